"""Customer commands typed the way people type them, through the simulator: polite openings,
softeners, grouped phone numbers and full-width digits; and command words that only match
whole words, so a longer word is never cut into a command and a garbled argument."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.crm.customers import Customer, CustomerNote, NoteKind
from models.crm.tags import CustomerTag


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def _card_of(chat: Chat, said: str) -> list[str]:
    [reply] = await chat.say("lisi", said)
    return reply.splitlines()


async def test_a_customer_is_found_however_the_search_is_phrased(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000 公司 星辰科技")
    for said in ("查一下张总", "帮我查一下张总", "麻烦查 张总", "查张总"):
        card = await _card_of(chat, said)
        assert card[0] == "【客户】张总（线下客户）", said
        assert "公司：星辰科技" in card


async def test_a_phone_typed_in_groups_or_full_width_is_one_number(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 王经理 139 1234 5678")
    assert (await Customer.get(name="王经理")).phone == "13912345678"
    card = await _card_of(chat, "查 １３９１２３４５６７８")
    assert card[0] == "【客户】王经理（线下客户）"


async def test_a_longer_word_is_not_cut_into_a_command(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总")
    # 查看 / 查找 are not 查 + 看… / 找…: nothing searches for a customer called 看工单0001.
    [reply] = await chat.say("lisi", "查看工单0001")
    assert "没有找到" not in reply
    [reply] = await chat.say("lisi", "查找张总呢")
    assert reply.startswith("没听懂「查找张总呢」")
    # 添加知识库文章 is not 添加知识 with the question 库文章 (and adds nothing).
    [reply] = await chat.say("zhangsan", "添加知识库文章 标题：退款流程 内容：七天内可退")
    assert "库文章" not in reply.replace("添加知识库文章", "")


async def test_the_fallback_quotes_what_was_typed_not_a_tidied_fragment(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "帮我看看明天天气")
    assert reply.startswith("没听懂「帮我看看明天天气」")


async def test_tags_and_notes_in_plain_words(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000")
    [tagged] = await chat.say("lisi", "给张总打个标签 重点客户")
    [again] = await chat.say("lisi", "把张总标记为意向强")
    customer = await Customer.get(name="张总")
    names = sorted(
        [
            t.tag.name
            for t in await CustomerTag.filter(customer_id=customer.id).prefetch_related("tag")
        ]
    )
    assert names == ["意向强", "重点客户"], (tagged, again)
    await chat.say("lisi", "把张总的标签 意向强 去掉")
    names = [
        t.tag.name
        for t in await CustomerTag.filter(customer_id=customer.id).prefetch_related("tag")
    ]
    assert names == ["重点客户"]

    await chat.say("lisi", "给张总加个备注：下个月才有预算")
    await chat.say("lisi", "张总备注：要发报价单")
    notes = [n.text for n in await CustomerNote.filter(customer_id=customer.id, kind=NoteKind.NOTE)]
    assert notes == ["下个月才有预算", "要发报价单"]
