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


async def test_searching_everything_in_other_words_is_the_same_search(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000 公司 星辰科技")
    wanted = await chat.say("lisi", "查 星辰")
    assert "张总" in wanted[0]
    for said in (
        "系统里搜一下星辰",
        "全局搜索 星辰",
        "帮我在系统里搜下星辰",
        "查一下星辰相关的",
        "查 星辰有关的信息",
    ):
        assert await chat.say("lisi", said) == wanted, said


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


CREATE_USAGE = (
    "请按这个格式写：新建客户 王五 13800138000 公司 华夏科技 来源 展会"
    "（手机号、公司、来源可以不写）"
)


async def test_a_new_customer_written_with_commas_and_a_keyword_glued_on(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "新建客户 张总，北京星辰科技，电话13800138000")
    lines = reply.splitlines()
    assert lines[:4] == [
        "已新建客户：",
        "【客户】张总（线下客户）",
        "公司：北京星辰科技",
        "电话：13800138000",
    ]
    customer = await Customer.get(name="张总")
    assert (customer.company, customer.phone) == ("北京星辰科技", "13800138000")


async def test_a_new_customer_with_a_position_is_not_an_erp_question(chat: Chat) -> None:
    replies = await chat.say("lisi", "帮我加个客户：王经理，上海远航贸易的采购，手机 139 1234 5678")
    assert len(replies) == 1  # no upsell for 采购, the ERP module's word
    lines = replies[0].splitlines()
    assert lines[:4] == [
        "已新建客户：",
        "【客户】王经理（线下客户）",
        "公司：上海远航贸易",
        "电话：13912345678",
    ]
    assert lines[-1] == "职位「采购」记在了客户动态里。"
    customer = await Customer.get(name="王经理")
    assert (customer.company, customer.phone) == ("上海远航贸易", "13912345678")
    [created] = await CustomerNote.filter(customer_id=customer.id)
    assert (created.kind, created.text) == (NoteKind.CREATED, "职位：采购")
    [timeline] = await chat.say("lisi", "看看王经理的动态")
    assert "新建：职位：采购（lisi）" in timeline


@pytest.mark.parametrize(
    ("said", "name", "company", "phone"),
    [
        ("加个客户 李姐 13700137000", "李姐", "", "13700137000"),
        (
            "有个新客户，郑总，苏州金桥实业的老板，13300133000",
            "郑总",
            "苏州金桥实业",
            "13300133000",
        ),
        ("录一下客户：刘总，深圳华强电子，13600136000", "刘总", "深圳华强电子", "13600136000"),
        ("存一下王总的电话 13700137111", "王总", "", "13700137111"),
        ("加个客户 星辰科技的张总 13800138000", "张总", "星辰科技", "13800138000"),
        # the company said with 的 after it, a keyword's value after 写/是, the filing asked
        # for at the end, and a company by its trade's ending (五金)
        ("帮我建个客户，宋经理，嘉禾食品的", "宋经理", "嘉禾食品", ""),
        (
            "新建客户 李经理，杭州博远科技的，电话 138 0571 2233",
            "李经理",
            "杭州博远科技",
            "13805712233",
        ),
        ("新建客户 许经理 13822223333，帮我建一下档案", "许经理", "", "13822223333"),
        ("新建客户 叶经理 15288889999 明辉五金", "叶经理", "明辉五金", "15288889999"),
    ],
)
async def test_new_customers_in_plain_words(
    chat: Chat, said: str, name: str, company: str, phone: str
) -> None:
    [reply] = await chat.say("lisi", said)
    assert reply.startswith(f"已新建客户：\n【客户】{name}（线下客户）"), reply
    customer = await Customer.get(name=name)
    assert (customer.company, customer.phone) == (company, phone)


async def test_filing_a_customer_is_not_a_product_and_offers_nothing(chat: Chat) -> None:
    # 建个档案 is also how a product is filed in 进销存, which this tenant lacks
    replies = await chat.say("lisi", "帮我建个档案，王经理 13812345678")
    assert len(replies) == 1 and "未开通" not in replies[0]
    assert "已新建客户：\n【客户】王经理（线下客户）" in replies[0]


async def test_a_source_said_with_a_verb_and_a_position_before_the_name(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "新建客户 冯总 13723456789，来源写展会")
    assert "来源：展会" in reply.splitlines()
    [reply] = await chat.say("lisi", "新建客户 上海远航贸易的采购马经理 手机13933334444")
    assert reply.splitlines()[:3] == [
        "已新建客户：",
        "【客户】马经理（线下客户）",
        "公司：上海远航贸易",
    ]
    assert reply.splitlines()[-1] == "职位「采购」记在了客户动态里。"


async def test_a_new_customer_in_plain_words_still_gets_specific_errors(chat: Chat) -> None:
    assert await chat.say("lisi", "加个客户 张总 很重要") == ["看不懂「很重要」。\n" + CREATE_USAGE]
    assert await chat.say("lisi", "加个客户 张总，电话 1380013") == [
        "手机号「1380013」不对：应为 11 位手机号（如 13800138000）或带区号的座机"
        "（如 010-12345678）。\n" + CREATE_USAGE
    ]
    assert await Customer.all().count() == 0


async def test_a_customer_is_found_by_looking_or_asking_for_the_phone(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000 公司 星辰科技")
    for said in (
        "查一下张总",
        "看看张总",
        "张总的电话多少",
        "查一下张总的电话",
        "有没有叫张总的客户",
    ):
        card = await _card_of(chat, said)
        assert card[0] == "【客户】张总（线下客户）", said
        assert "电话：13800138000" in card, said
    # A colleague asking for the number still sees it masked.
    [for_colleague] = await chat.say("wangwu", "张总的电话多少")
    assert "电话：138****8000" in for_colleague.splitlines()


async def test_the_other_customer_commands_in_plain_words(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000")
    assert await chat.say("lisi", "跟张总聊了，下周二来看样品") == ["已记下：张总 — 下周二来看样品"]
    [timeline] = await chat.say("lisi", "张总最近有什么动态")
    assert timeline.startswith("【张总 的动态】最近 2 条：")
    [mine] = await chat.say("lisi", "我手上有多少客户")
    assert mine.startswith("我的客户（共 1 个，第 1/1 页）：")
    assert await chat.say("lisi", "我的客户第二页") == ["没有第 2 页：你的客户共 1 页。"]
    assert await chat.say("lisi", "张总的重点客户标签不要了") == ["张总 没有标签：重点客户"]
    assert await chat.say("lisi", "给张总加个标签叫老客户") == ["已给 张总 打上标签：老客户"]
    await chat.say("wangwu", "我的客户")  # a colleague the bot has met
    assert await chat.say("lisi", "把张总转给wangwu") == ["已把 张总 转交给 wangwu。"]
    assert (await Customer.get(name="张总").prefetch_related("owner")).owner.userid == "wangwu"
    [welcome] = await chat.say("lisi", "现在的欢迎语是什么")
    assert welcome.startswith("当前欢迎语")
    [asked] = await chat.say("lisi", "张总这个客户什么情况")
    assert asked.splitlines()[0] == "【客户】张总（线下客户）"


async def test_handover_and_welcome_in_plain_words(chat: Chat) -> None:
    assert await chat.say("zhangsan", "wangwu的客户全部交接给lisi") == await chat.say(
        "zhangsan", "离职交接 wangwu 给 lisi"
    )
    [saved] = await chat.say("zhangsan", "把客户欢迎语设置为 欢迎关注，有事随时找我")
    assert saved == "已设置默认欢迎语。新客户会收到：\n欢迎关注，有事随时找我"
    [saved] = await chat.say("zhangsan", "欢迎语改成：您好，我是您的专属顾问")
    assert saved == "已设置默认欢迎语。新客户会收到：\n您好，我是您的专属顾问"
