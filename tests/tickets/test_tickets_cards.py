"""The dispatch card and its buttons through the simulator (template_card_event): 接单, 转派
with "转给谁？" answered by the next message, and the 转派 command; plus the hooks the surveys
capability plugs into resolve and reopen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.tickets import colleague, ticket_chat
from support.updates import text_update

from bot.capabilities import all_routers as routers
from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.dispatcher import Dispatcher
from bot.tenants import TenantInfo
from bot.tickets.hooks import TicketHooks
from models.surveys import Survey, SurveyStatus, SurveyTrigger
from models.tenants import Role
from models.tickets import Ticket, TicketEvent, TicketStatus

N1 = "GD-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with ticket_chat(settings, clock) as opened:
        yield opened


async def dispatched(chat: Chat) -> Ticket:
    await add_customer("张三")
    await chat.say("lisi", "新建工单 张三 打印机无法开机 紧急")
    await chat.say("zhaoliu", "派单 0001 给 李四")
    return await Ticket.get(number=N1)


async def press(chat: Chat, user: str, action: str, ticket: Ticket) -> list[str]:
    task = f"ticket-{ticket.id}-{action}-{await chat.sim.sent_count()}"
    await chat.event(
        {
            "Event": "template_card_event",
            "FromUserName": user,
            "EventKey": f"ticket:{action}:{ticket.id}",
            "TaskId": task,
            "CardType": "button_interaction",
        }
    )
    return chat.sent_to(user)


def card_of(records: list[dict[str, Any]], user: str) -> dict[str, Any]:
    [card] = [
        r["body"]["template_card"]
        for r in records
        if r["body"]["touser"] == user and r["body"]["msgtype"] == "template_card"
    ]
    return card


async def test_the_assignee_gets_a_card_with_two_buttons(chat: Chat) -> None:
    ticket = await dispatched(chat)
    card = card_of(chat.last, "lisi")
    assert card["card_type"] == "button_interaction"
    assert card["main_title"] == {"title": f"新工单 {N1}", "desc": "紧急 · 打印机无法开机"}
    assert card["sub_title_text"] == "客户：张三\n首次响应截止：11月23日（周一）10:30\n派单人：赵六"
    assert card["button_list"] == [
        {"text": "接单", "style": 1, "key": f"ticket:accept:{ticket.id}"},
        {"text": "转派", "style": 2, "key": f"ticket:transfer:{ticket.id}"},
    ]


async def test_accepting_starts_the_work(chat: Chat) -> None:
    ticket = await dispatched(chat)
    assert await press(chat, "wangwu", "accept", ticket) == [
        f"工单 {N1} 现在由 李四 负责，不用你处理了。"
    ]
    assert await press(chat, "lisi", "accept", ticket) == [
        f"已接单：{N1} 打印机无法开机。处理完发送「解决 0001 解决办法」。"
    ]
    assert (await Ticket.get(id=ticket.id)).status == TicketStatus.IN_PROGRESS
    assert await press(chat, "lisi", "accept", ticket) == [
        f"工单 {N1} 当前状态：处理中，可以：派单、等待客户、解决、关闭"
    ]
    assert await TicketEvent.filter(ticket_id=ticket.id, action="accept").count() == 1
    # Only the accepted click greyed the card out (the refused ones left it as it was).
    updates = [
        r["body"] for r in await chat.sim.sent() if r["api"] == "message/update_template_card"
    ]
    assert [(u["userids"], u["button"]) for u in updates] == [
        (["lisi"], {"replace_name": "已接单"})
    ]


async def test_transfer_asks_whom_and_the_answer_hands_it_over(chat: Chat) -> None:
    ticket = await dispatched(chat)
    assert await press(chat, "lisi", "transfer", ticket) == [
        f"要把工单 {N1} 转给谁？回复同事的姓名或账号，回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "钱七") == [
        "没找到同事「钱七」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    ]
    assert await chat.say("lisi", "李四") == [
        f"工单 {N1} 已经由 李四 负责，请写另一位同事的姓名或账号。"
    ]
    assert await chat.say("lisi", "王五") == [f"已把工单 {N1} 转派给 王五，等待对方接单。"]
    assert card_of(chat.last, "wangwu")["main_title"]["title"] == f"新工单 {N1}"
    ticket = await Ticket.get(id=ticket.id)
    assert (ticket.status, ticket.assignee_id) == (
        TicketStatus.ASSIGNED,
        (await colleague("wangwu", "王五")).id,
    )
    event = await TicketEvent.get(ticket_id=ticket.id, action="transfer")
    assert event.detail == "转派给 王五"


async def test_a_transfer_can_be_abandoned(chat: Chat) -> None:
    ticket = await dispatched(chat)
    await press(chat, "lisi", "transfer", ticket)
    assert await chat.say("lisi", "取消") == ["好的，工单没有转派。"]
    assert (await Ticket.get(id=ticket.id)).status == TicketStatus.ASSIGNED


async def test_the_transfer_command(chat: Chat) -> None:
    await dispatched(chat)
    assert await chat.say("lisi", "转派") == ["请按这个格式写：转派 0001 给 王五"]
    assert await chat.say("wangwu", "转派 0001 给 王五") == [
        f"工单 {N1} 现在由 李四 负责，不用你处理了。"
    ]
    assert await chat.say("lisi", "转派 0001 给 wangwu") == [
        f"已把工单 {N1} 转派给 王五，等待对方接单。"
    ]
    assert await press(chat, "wangwu", "accept", await Ticket.get(number=N1)) == [
        f"已接单：{N1} 打印机无法开机。处理完发送「解决 0001 解决办法」。"
    ]


async def test_resolve_and_reopen_run_the_hooks(
    settings: Settings, tenant: TenantInfo, clock: FrozenClock
) -> None:
    calls: list[tuple[str, str, TicketStatus]] = []

    def hook(name: str) -> Any:
        async def run(ctx: Context, ticket: Ticket) -> None:
            calls.append((name, ticket.number, ticket.status))

        return run

    hooks = TicketHooks(on_resolved=hook("resolved"), on_reopened=hook("reopened"))
    deps = {"settings": settings, "ticket_hooks.surveys": hooks}
    dispatcher = Dispatcher(routers(), clock=clock, deps=deps)
    await colleague("lisi", "李四", Role.DISPATCHER)
    for line in ("新建工单 内部 换硒鼓", "处理中 0001", "解决 0001 换好了", "重开 0001 又漏粉"):
        await dispatcher.feed(text_update(line, "lisi"), tenant)
    assert calls == [
        ("resolved", N1, TicketStatus.RESOLVED),
        ("reopened", N1, TicketStatus.IN_PROGRESS),
    ]


async def test_without_hooks_nothing_else_happens(tenant: TenantInfo, clock: FrozenClock) -> None:
    dispatcher = Dispatcher(routers(), clock=clock)
    await colleague("lisi", "李四")
    await dispatcher.feed(text_update("新建工单 内部 换硒鼓", "lisi"), tenant)
    [reply] = await dispatcher.feed(text_update("解决 0001 换好了", "lisi"), tenant)
    assert reply.text.startswith(f"工单 {N1} 已解决：换好了")


async def test_the_app_surveys_the_customer_of_a_resolved_ticket(chat: Chat) -> None:
    ticket = await dispatched(chat)
    await chat.say("lisi", "解决 0001 更换电源")
    [survey] = await Survey.filter(trigger=SurveyTrigger.TICKET_RESOLVED)
    assert (survey.trigger_ref, survey.customer_id, survey.status) == (
        N1,
        ticket.customer_id,
        SurveyStatus.SENT,
    )
    await chat.say("lisi", "重开 0001 问题复现")
    assert (await Survey.get(id=survey.id)).status == SurveyStatus.CANCELLED
