"""Naming a colleague in any command: by Chinese name, userid, alias or @mention, including
colleagues who never talked to the bot; a numbered choice between two 王伟 with their
departments; close names and the visible range when a name is unknown; people who left."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.people import SALES, SERVICE, book, people_chat, sync

from bot.clock import FrozenClock
from bot.config import Settings
from models.crm.customers import Customer
from models.subscriptions import SeatAssignment
from models.tenants import Employee
from models.tickets import Ticket

PEOPLE = (
    ("lisi", "李四", SALES),
    ("wangwei", "王伟", SALES),
    ("wangwei2", "王伟", SERVICE),
    ("wangwu", "王五", SERVICE),
)
N1 = "GD-20261123-0001"
VISIBLE = (
    "如果 TA 是新同事或不在本应用的可见范围内，请管理员在企业微信管理后台 → 应用管理 → "
    "本应用 → 可见范围 里加上 TA，再发送「同步通讯录」。"
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with people_chat(settings, clock) as opened:
        await book(opened, PEOPLE)
        await opened.sim.put_person("acme", "lisi", "李四", [SALES], alias="Leo")
        await sync(opened)
        await add_customer("张三")
        await opened.say("zhangsan", "新建工单 张三 打印机无法开机")
        yield opened


def card_titles(chat: Chat, user: str) -> list[str]:
    return [
        r["body"]["template_card"]["main_title"]["title"]
        for r in chat.last
        if r["body"]["touser"] == user and r["body"]["msgtype"] == "template_card"
    ]


async def assignee() -> str:
    ticket = await Ticket.get(number=N1).prefetch_related("assignee")
    return ticket.assignee.userid if ticket.assignee else ""


async def test_a_colleague_who_never_talked_to_the_bot_gets_the_dispatch_card(chat: Chat) -> None:
    assert not await Employee.exists(userid="lisi")
    assert await chat.say("zhangsan", "派单 0001 给 李四") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]
    assert len(card_titles(chat, "lisi")) == 1
    assert await assignee() == "lisi"
    assert (await Employee.get(userid="lisi")).name == "李四"


@pytest.mark.parametrize("who", ["lisi", "@李四", "Leo", "LISI"])
async def test_userid_mention_and_alias_name_the_same_colleague(chat: Chat, who: str) -> None:
    assert await chat.say("zhangsan", f"派单 0001 给 {who}") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]


async def test_the_natural_phrasing_finds_the_name_too(chat: Chat) -> None:
    assert await chat.say("zhangsan", "把工单0001派给李四") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]


async def test_two_colleagues_with_one_name_get_a_numbered_choice(chat: Chat) -> None:
    assert await chat.say("zhangsan", "派单 0001 给 王伟") == [
        "有 2 位同事叫「王伟」，你说的是哪一位？\n"
        "1. 王伟（销售部，wangwei）\n"
        "2. 王伟（售后部，wangwei2）\n"
        "请回复序号，回复「取消」放弃。"
    ]
    assert await assignee() == ""
    assert await chat.say("zhangsan", "3") == ["请回复 1 到 2 之间的序号，或回复「取消」放弃。"]
    assert await chat.say("zhangsan", "2") == [f"已把工单 {N1} 派给 王伟，等待对方接单。"]
    assert await assignee() == "wangwei2"
    assert len(card_titles(chat, "wangwei2")) == 1


async def test_the_choice_can_be_cancelled(chat: Chat) -> None:
    await chat.say("zhangsan", "分配席位 王伟")
    assert await chat.say("zhangsan", "取消") == ["好的，已取消。"]
    assert not await SeatAssignment.exists(employee__userid__startswith="wangwei")


async def test_an_unknown_name_gets_the_closest_names_and_the_visible_range(chat: Chat) -> None:
    assert await chat.say("zhangsan", "派单 0001 给 李斯") == [
        "没找到同事「李斯」。你是不是要找：李四（销售部）？" + VISIBLE
    ]


async def test_someone_outside_the_address_book_gets_no_seat(chat: Chat) -> None:
    [answer] = await chat.say("zhangsan", "分配席位 zhaoliu")
    assert answer.startswith("没找到同事「zhaoliu」。") and answer.endswith(VISIBLE)
    assert await chat.say("zhangsan", "分配席位 王五") == ["已为 wangwu 分配席位（已用 2 / 10）。"]


async def test_people_who_left_cannot_take_work_but_their_customers_can_be_handed_over(
    chat: Chat,
) -> None:
    await chat.sim.delete_person("acme", "lisi")
    await sync(chat)
    assert await chat.say("zhangsan", "派单 0001 给 李四") == [
        "李四（lisi）已不在企业微信通讯录里（已离职或移出可见范围），不能再接工单。"
        "TA 的客户可以用「离职交接 lisi 给 同事名字」交给别人。"
    ]
    assert await chat.say("zhangsan", "离职交接 李四 给 王五") == ["李四 名下没有客户。"]


async def test_a_choice_inside_a_role_command(chat: Chat) -> None:
    [question] = await chat.say("zhangsan", "把王伟设为派单员")
    assert question.startswith("有 2 位同事叫「王伟」")
    assert await chat.say("zhangsan", "1") == [
        "已把 wangwei 设为派单员。\n派单员可以派单，其他管理命令仍只有管理员可用。"
    ]


async def test_a_member_deleted_in_wecom_keeps_history_and_enters_the_handover_flow(
    chat: Chat,
) -> None:
    assert await chat.say("zhangsan", "派单 0001 给 李四") == [
        f"已把工单 {N1} 派给 李四，等待对方接单。"
    ]
    assert await chat.say("zhangsan", "分配席位 李四") == ["已为 lisi 分配席位（已用 2 / 10）。"]
    lisi = await Employee.get(userid="lisi")
    await Customer.filter(name="张三").update(owner_id=lisi.id)
    since = await chat.sim.sent_count()
    await chat.sim.delete_person("acme", "lisi", notify=True)
    await chat.settle(since)
    assert chat.sent_to("zhangsan") == [
        "李四（lisi）已不在企业微信通讯录里（已删除或移出应用的可见范围）。\n"
        "TA 的席位已收回，可以分配给别人：分配席位 同事名字\n"
        "TA 名下还有 1 位客户、1 个未完成的工单。发送「离职交接 lisi 给 同事名字」把客户交给别人，"
        "工单请用「转派 工单号 给 同事名字」改派。"
    ]
    assert not await SeatAssignment.exists(employee_id=lisi.id)
    assert await assignee() == "lisi"  # the ticket keeps its history until it is moved
    assert await chat.say("zhangsan", "离职交接 李四 给 王五") == [
        "已为 李四 的 0 位企业微信客户发起离职继承给 王五：成功 0 位，失败 0 位。\n"
        "另有 1 位线下客户已直接转给 王五。"
    ]
    assert await chat.say("zhangsan", "转派 0001 给 王五") == [
        f"已把工单 {N1} 转派给 王五，等待对方接单。"
    ]


async def test_with_one_of_two_namesakes_gone_work_goes_to_the_other_and_handovers_ask(
    chat: Chat,
) -> None:
    await chat.sim.delete_person("acme", "wangwei")
    await sync(chat)
    assert await chat.say("zhangsan", "派单 0001 给 王伟") == [
        f"已把工单 {N1} 派给 王伟，等待对方接单。"
    ]
    assert await assignee() == "wangwei2"
    assert await chat.say("zhangsan", "离职交接 王伟 给 王五") == [
        "有 2 位同事叫「王伟」，你说的是哪一位？\n"
        "1. 王伟（销售部，wangwei）（已离开）\n"
        "2. 王伟（售后部，wangwei2）\n"
        "请回复序号，回复「取消」放弃。"
    ]
    assert await chat.say("zhangsan", "1") == ["王伟 名下没有客户。"]


async def test_anyone_may_ask_where_a_colleague_sits(chat: Chat) -> None:
    assert await chat.say("wangwu", "李四是哪个部门的") == ["李四（lisi）· 销售部 · 别名 Leo"]
    await chat.sim.delete_person("acme", "lisi")
    await sync(chat)
    assert await chat.say("wangwu", "找同事 lisi") == [
        "李四（lisi）· 销售部 · 别名 Leo · 已离开通讯录"
    ]
    [question] = await chat.say("wangwu", "找同事 王伟")
    assert question.startswith("有 2 位同事叫「王伟」")
