"""The customer commands as chat transcripts, through the simulator, with their error replies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.conversations import ConversationState
from models.crm.customers import Customer, CustomerKind, CustomerNote, NoteKind
from models.crm.tags import CorpTag, CustomerTag

CREATE_USAGE = (
    "请按这个格式写：新建客户 王五 13800138000 公司 华夏科技 来源 展会"
    "（手机号、公司、来源可以不写）"
)


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def test_create_a_customer_and_see_the_card(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "新建客户 王五 13800138000 公司 华夏科技 来源 展会")
    assert reply.splitlines() == [
        "已新建客户：",
        "【客户】王五（线下客户）",
        "公司：华夏科技",
        "电话：13800138000",
        "负责人：lisi",
        "标签：无",
        "价值：D 级（0 分）：还没有互动记录，近 90 天互动 0 次，暂无订单数据",
        "最近互动：无",
        "下次跟进：未安排",
        "来源：展会",
    ]
    customer = await Customer.get(name="王五")
    assert (customer.kind, customer.phone, customer.external_userid) == (
        CustomerKind.OFFLINE,
        "13800138000",
        None,
    )
    assert [n.kind for n in await CustomerNote.filter(customer_id=customer.id)] == [
        NoteKind.CREATED
    ]


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("新建客户", CREATE_USAGE),
        ("新建客户 13800138000", CREATE_USAGE),
        (
            "新建客户 王五 1380013",
            "手机号「1380013」不对：应为 11 位手机号（如 13800138000）"
            "或带区号的座机（如 010-12345678）。\n" + CREATE_USAGE,
        ),
        ("新建客户 王五 公司", "「公司」后面要写内容。\n" + CREATE_USAGE),
        ("新建客户 王五 13800138000 很重要", "看不懂「很重要」。\n" + CREATE_USAGE),
    ],
)
async def test_create_refuses_malformed_input_with_the_expected_form(
    chat: Chat, said: str, answer: str
) -> None:
    assert await chat.say("lisi", said) == [answer]
    assert await Customer.all().count() == 0


async def test_create_refuses_a_phone_already_in_the_book(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 王五 13800138000")
    for phone in ("13800138000", "138-0013-8000"):
        assert await chat.say("lisi", f"新建客户 老王 {phone}") == [
            "已有客户「王五」使用这个手机号，发送「查 13800138000」查看。"
        ]


async def test_search_by_name_phone_company_and_tag_then_pick_from_the_list(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张三 13800138000 公司 华夏科技")
    await chat.say("lisi", "新建客户 张三丰 13900139000 公司 武当")
    await chat.say("lisi", "新建客户 李雷 13700137000 公司 华夏银行")
    [one] = await chat.say("lisi", "查 138")
    assert one.startswith("【客户】张三（线下客户）")
    [several] = await chat.say("lisi", "查客户 张三")
    assert several.splitlines() == [
        "找到 2 个「张三」相关的客户：",
        "1. 张三（华夏科技 · 13800138000） D级",
        "2. 张三丰（武当 · 13900139000） D级",
        "请回复序号选择，回复「取消」放弃。",
    ]
    assert await chat.say("lisi", "3") == ["请回复 1 到 2 之间的序号，或回复「取消」放弃。"]
    [card] = await chat.say("lisi", "2")
    assert card.startswith("【客户】张三丰（线下客户）\n公司：武当")
    assert not await ConversationState.exists()
    [companies] = await chat.say("lisi", "查 华夏")
    assert [line[:6] for line in companies.splitlines()[1:3]] == ["1. 张三（", "2. 李雷（"]
    await chat.say("lisi", "打标签 李雷 重点客户")
    [tagged] = await chat.say("lisi", "查 重点客户")
    assert tagged.startswith("【客户】李雷")
    assert await chat.say("lisi", "查 没有这个人") == [
        "没有找到「没有这个人」相关的客户。可以按姓名、手机号开头、公司或标签查，例如：查客户 张三"
    ]
    assert await chat.say("lisi", "查客户") == [
        "请写要查的客户，例如：查客户 张三、查 138、查 华夏"
    ]


async def test_a_pending_choice_can_be_cancelled(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张三")
    await chat.say("lisi", "新建客户 张三丰")
    await chat.say("lisi", "客户 张三 备注 想要报价")
    assert await chat.say("lisi", "取消") == ["好的，已取消。"]
    [after] = await chat.say("lisi", "1")  # the choice is gone: 1 is no longer an answer
    assert after.startswith("没听懂「1」。")
    assert after.endswith("发送「帮助」查看我能做什么。")
    assert await CustomerNote.filter(kind=NoteKind.NOTE).count() == 0


async def test_phone_numbers_are_masked_for_everyone_but_the_owner_and_admins(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 王五 13800138000")
    [for_colleague] = await chat.say("wangwu", "查客户 王五")
    assert "电话：138****8000" in for_colleague.splitlines()
    [for_admin] = await chat.say("zhangsan", "查客户 王五")
    assert "电话：13800138000" in for_admin.splitlines()
    await chat.say("lisi", "新建客户 王六 13800138001")
    [listed] = await chat.say("wangwu", "查 1380013")
    assert "1. 王五（138****8000） D级" in listed.splitlines()


async def test_notes_build_the_timeline_and_raise_the_value(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 王五")
    assert await chat.say("lisi", "客户 王五 备注 对价格敏感") == ["已记下：王五 — 对价格敏感"]
    assert await chat.say("lisi", "客户王五备注：下周再联系") == ["已记下：王五 — 下周再联系"]
    assert await chat.say("lisi", "客户 王五 备注") == ["请按这个格式写：客户 张三 备注 对价格敏感"]
    [timeline] = await chat.say("lisi", "客户动态 王五")
    lines = timeline.splitlines()
    assert lines[0] == "【王五 的动态】最近 3 条："
    assert lines[1].endswith("备注：下周再联系（lisi）")
    assert lines[3].endswith("新建（lisi）")
    [card] = await chat.say("lisi", "查客户 王五")
    assert "价值：B 级（67 分）：今天有互动，近 90 天互动 2 次，互动在增加，暂无订单数据" in card
    assert await chat.say("lisi", "客户动态") == ["请写客户名字，例如：客户动态 张三"]


async def test_tags_on_a_wechat_customer_reach_wecom(chat: Chat) -> None:
    tag_ids = await chat.sim.seed_tags("acme", "客户等级", ["重点客户"], notify=True)
    await chat.settle(0)
    answer = await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(0)
    external = answer["external_userid"]
    assert await chat.say("lisi", "打标签 王小明 重点客户 老客户") == [
        "已给 王小明 打上标签：重点客户、老客户"
    ]
    [marked] = await chat.sim.contact_calls("externalcontact/mark_tag")
    [added] = await chat.sim.contact_calls("externalcontact/add_corp_tag")
    assert added["body"]["group_name"] == "机器人标签"
    new_id = (await CorpTag.get(name="老客户")).tag_id
    assert marked["body"] == {
        "userid": "lisi",
        "external_userid": external,
        "add_tag": [tag_ids["重点客户"], new_id],
        "remove_tag": [],
    }
    assert await chat.say("lisi", "打标签 王小明 重点客户") == ["王小明 已经有标签：重点客户"]
    assert await chat.say("lisi", "去标签 王小明 重点客户") == ["已去掉 王小明 的标签：重点客户"]
    removed = (await chat.sim.contact_calls("externalcontact/mark_tag"))[-1]
    assert removed["body"]["remove_tag"] == [tag_ids["重点客户"]]
    assert await chat.say("lisi", "去标签 王小明 重点客户") == ["王小明 没有标签：重点客户"]
    assert await chat.say("lisi", "打标签 王小明") == [
        "请按这个格式写：打标签 张三 重点客户（可以一次写几个标签，用空格隔开）"
    ]


async def test_tags_stay_local_when_wecom_refuses(chat: Chat) -> None:
    await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(0)
    await chat.sim.inject_fault("externalcontact/add_corp_tag", 48002)
    assert await chat.say("lisi", "打标签 王小明 回头客") == [
        "已给 王小明 打上标签：回头客（企业微信里没有同步成功，标签先保存在这里）"
    ]
    tag = await CorpTag.get(name="回头客")
    assert tag.tag_id is None
    assert await CustomerTag.filter(tag_id=tag.id).count() == 1


async def test_my_customers_pages_through_what_i_own(chat: Chat) -> None:
    assert await chat.say("lisi", "我的客户") == [
        "你还没有客户。发送「新建客户 王五 13800138000」添加一个。"
    ]
    for n in range(12):
        await chat.say("lisi", f"新建客户 客户{n:02d}")
    await chat.say("wangwu", "新建客户 别人的客户")
    [first] = await chat.say("lisi", "我的客户")
    lines = first.splitlines()
    assert lines[0] == "我的客户（共 12 个，第 1/2 页）："
    assert lines[1] == "1. 客户11 D级"
    assert lines[-1] == "发送「我的客户 2」看下一页。"
    [second] = await chat.say("lisi", "我的客户 2")
    assert await chat.say("lisi", "我的客户第二页") == [second]
    assert second.splitlines()[1:3] == ["1. 客户01 D级", "2. 客户00 D级"]
    [card] = await chat.say("lisi", "2")
    assert card.startswith("【客户】客户00")
    assert await chat.say("lisi", "我的客户 3") == ["没有第 3 页：你的客户共 2 页。"]
    assert await chat.say("lisi", "我的客户 下一页") == ["页码要写数字，例如：我的客户 2"]
    # Beyond what any database offset can hold: the same answer, not an apology.
    assert await chat.say("lisi", "我的客户 99999999999999999999") == [
        "没有第 99999999999999999999 页：你的客户共 2 页。"
    ]


async def test_help_lists_the_customer_commands(chat: Chat) -> None:
    [overview] = await chat.say("lisi", "帮助")
    assert "【客户】新建客户、查客户、" in overview
    [help_text] = await chat.say("lisi", "帮助 客户")
    assert help_text.startswith("「客户」的命令：")
    for line in (
        "· 新建客户 / add customer：新建客户，例如：新建客户 王五 13800138000 公司 华夏科技 "
        "来源 展会",
        "· 查客户 / find customer：按姓名、手机号开头、公司或标签查客户，例如：查客户 张三、查 138",
        "· 打标签：给客户打标签，例如：打标签 张三 重点客户",
        "· 转交：把客户转交给同事，例如：转交 张三 给 lisi",
    ):
        assert line in help_text


async def test_no_query_crosses_tenants(chat: Chat, embedded: Embedded) -> None:
    other = Chat(embedded, chat.sim, tenant="other")
    await chat.say("lisi", "新建客户 张三 13800138000 公司 华夏科技")
    await chat.say("lisi", "打标签 张三 重点客户")
    await other.say("lisi", "新建客户 张三 13800138000 公司 华夏科技")
    for query in ("查客户 张三", "查 138", "查 华夏"):
        [found] = await other.say("lisi", query)
        assert found.startswith("【客户】张三"), query
        assert "标签：无" in found
    [by_tag] = await other.say("lisi", "查 重点客户")
    assert by_tag.startswith("没有找到「重点客户」")
    other_tenant = (await Customer.get(name="张三", tenant__key="other")).tenant_id
    await other.say("lisi", "客户 张三 备注 只属于别家")
    mine = await Customer.get(name="张三", tenant__key="acme")
    assert mine.tenant_id != other_tenant
    assert not await CustomerNote.filter(customer_id=mine.id, kind=NoteKind.NOTE).exists()
    [timeline] = await chat.say("lisi", "客户动态 张三")
    assert "只属于别家" not in timeline
