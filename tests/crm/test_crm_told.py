"""Customer work told the way people tell a colleague: the note asked for after what the
customer said, a tag named before the word 标签, a new customer filed at the end of the
sentence, a change told as a mistake, a duplicate said to be the same person. Each
transcript checks what the speaker reads and the rows written."""

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


async def _notes(name: str) -> list[str]:
    customer = await Customer.get(name=name)
    rows = await CustomerNote.filter(customer_id=customer.id, kind=NoteKind.NOTE).order_by("id")
    return [n.text for n in rows]


async def _tags(name: str) -> list[str]:
    customer = await Customer.get(name=name)
    rows = await CustomerTag.filter(customer_id=customer.id).prefetch_related("tag")
    return sorted(t.tag.name for t in rows)


async def test_a_note_asked_for_after_what_was_said(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 卫总 13800138000")
    said = {
        "卫总说月底前付款，帮我记上": "月底前付款",
        "记一下，卫总说要等董事会批": "要等董事会批",
        "刚和卫总通完电话，他下周去外地，帮我记录": "他下周去外地",
        "昨天拜访了卫总，对样品很满意，记一下": "对样品很满意",
        "卫总那里加条备注 只收增值税专票": "只收增值税专票",
        "卫总 备注 周末别打电话": "周末别打电话",
        "在卫总名下记一笔：定金已到账": "定金已到账",
    }
    for sentence, note in said.items():
        assert await chat.say("lisi", sentence) == [f"已记下：卫总 — {note}"], sentence
    assert await _notes("卫总") == list(said.values())


async def test_tags_named_in_several_ways(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 邱总 13800138001")
    for sentence in (
        "邱总身上挂个标签 沉睡客户",
        "邱总加一个展会客户标签",
        "邱总设成VIP客户",
        "给邱总打上 老客户 这个标签",
    ):
        [reply] = await chat.say("lisi", sentence)
        assert "邱总" in reply, (sentence, reply)
    assert await _tags("邱总") == sorted(["VIP客户", "展会客户", "老客户", "沉睡客户"])
    await chat.say("lisi", "邱总身上沉睡客户那个标签不要了")
    await chat.say("lisi", "邱总已经不是VIP客户了，标签撤掉")
    assert await _tags("邱总") == sorted(["展会客户", "老客户"])


async def test_a_ticket_or_follow_up_status_is_never_a_tag(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 邱总 13800138001")
    await chat.say("lisi", "把3标记为完成")
    await chat.say("lisi", "邱总标成已完成")
    assert await _tags("邱总") == []


async def test_a_new_customer_filed_at_the_end_of_the_sentence(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "把庞海燕录进客户里，电话 136 5555 6666")
    assert reply.startswith("已新建客户：\n【客户】庞海燕"), reply
    [reply] = await chat.say("lisi", "展会认识的客户 欧阳总 13577770000，帮我建个档")
    assert reply.startswith("已新建客户：\n【客户】欧阳总"), reply
    assert (await Customer.get(name="庞海燕")).phone == "13655556666"
    assert (await Customer.get(name="欧阳总")).phone == "13577770000"


async def test_a_change_told_as_a_mistake_is_an_edit(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 汪总 13800138002 来源 官网")
    assert await chat.say("lisi", "汪总来源填错了，应该是展会") == [
        "已修改 汪总：\n来源：官网 → 展会"
    ]
    assert await chat.say("lisi", "汪总换号了，新号码 137 0000 1111") == [
        "已修改 汪总：\n电话：13800138002 → 13700001111"
    ]
    assert await chat.say("lisi", "汪总跳槽去了明德教育，公司改一下") == [
        "已修改 汪总：\n公司：（空） → 明德教育"
    ]


async def test_the_same_person_twice_is_merged_after_confirming(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 葛总 13800138003")
    await chat.say("lisi", "新建客户 葛建华 13800138004")
    [asked] = await chat.say("lisi", "葛总和葛建华是同一个人，合到葛建华里")
    wanted = "确定把「葛总」（13800138003）合并到「葛建华」（13800138004）吗？"
    assert asked.startswith(wanted), asked
    [merged] = await chat.say("lisi", "确认")
    assert merged.startswith("已把「葛总」合并到「葛建华」"), merged


async def test_two_names_said_to_be_one_customer_are_merged_never_deleted(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 李总 13800138006")
    await chat.say("lisi", "新建客户 李明 13800138007")
    wanted = "确定把「李总」（13800138006）合并到「李明」（13800138007）吗？"
    for sentence in (
        "这两个客户重复了：李总、李明，合一下",
        "合并一下李总和李明",
        "把李总和李明合起来",
        "李总跟李明是同一个客户",
        "李总这个客户重复了，并到李明里",
        "客户建重了，李总跟李明合成一个",
        "合并重复客户 李总 李明",
        "李总合进李明，保留李明",
        "李总跟李明是一个人，帮忙合一下，以李明为准",
        "李总和李明是同一个客户，合并到李明",
    ):
        [asked] = await chat.say("lisi", sentence)
        assert asked.startswith(wanted), (sentence, asked)
        assert await chat.say("lisi", "取消")
    [found] = await chat.say("lisi", "找一下带李的")
    assert found == (await chat.say("lisi", "查 李"))[0]


async def test_a_contact_with_a_mobile_is_kept_and_what_they_said_noted(chat: Chat) -> None:
    [made] = await chat.say("lisi", "今天加了个微信，钱总，做建材的，电话13711112222")
    assert made.splitlines()[1] == "【客户】钱总（线下客户）", made
    assert "电话：13711112222" in made
    assert made.splitlines()[-1] == "行业「建材」记在了客户动态里。"
    [made] = await chat.say("lisi", "保存一个客户 马总 宁波顺达 15811112222")
    assert made.splitlines()[1] == "【客户】马总（线下客户）", made
    assert await chat.say("lisi", "钱总说预算要等年后") == ["已记下：钱总 — 预算要等年后"]
    [card] = await chat.say("lisi", "马总哪个公司的")
    assert card.splitlines()[0] == "【客户】马总（线下客户）"
    # a fault reported is not a note
    [reply] = await chat.say("lisi", "钱总说打印机坏了")
    assert not reply.startswith("已记下")


async def test_a_duplicate_said_in_passing_is_deleted_after_confirming(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 柏工 13800138005")
    [asked] = await chat.say("lisi", "柏工建重复了，删掉一个")
    assert asked.startswith("确定删除客户「柏工」"), asked


async def test_finding_a_customer_by_what_is_remembered(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 卞总 15912345678 公司 四海物流")
    for sentence in (
        "159开头的那位客户是谁",
        "卞总在哪个单位来着",
        "把卞总的名片发我一下",
        "四海物流有几个联系人",
        "咱们有没有卞总这个客户",
    ):
        [card] = await chat.say("lisi", sentence)
        assert card.splitlines()[0] == "【客户】卞总（线下客户）", (sentence, card)


async def test_office_chatter_about_customers_does_nothing(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 卞总 15912345678")
    for sentence in (
        "卞总说今天不开会了",
        "今天客户来得好多",
        "下午要去客户那边",
        "刚跟卞总吃完饭，回公司了",
        "会议室设成静音模式",
    ):
        [reply] = await chat.say("lisi", sentence)
        assert not reply.startswith(("已记下", "已新建", "已修改", "【客户】")), (sentence, reply)
    assert await _notes("卞总") == []
    assert await _tags("卞总") == []


async def test_two_records_said_to_be_one_customer_are_offered_for_merging(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 严经理 13900001111")
    await chat.say("lisi", "新建客户 严俊 13900002222")
    [reply] = await chat.say("lisi", "严经理跟严俊是一个客户")
    assert "严经理" in reply and "严俊" in reply and "确认" in reply, reply
    assert await Customer.filter(name__in=["严经理", "严俊"]).count() == 2  # nothing before 确认
