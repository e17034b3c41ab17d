"""我的工单, 超时工单 and 工单统计 on a small fixture whose numbers are worked out by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer
from support.tickets import colleague, ticket_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.tickets import Ticket, TicketPriority, TicketStatus

NOW = MONDAY_10AM


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with ticket_chat(settings, clock) as opened:
        yield opened


async def make(
    title: str, status: TicketStatus, assignee: str | None, *, days_ago: float = 1, **values: Any
) -> Ticket:
    created = NOW - timedelta(days=days_ago)
    seq = await Ticket.all().count() + 1
    person = (
        await colleague(assignee, {"lisi": "李四", "wangwu": "王五"}[assignee])
        if assignee
        else None
    )
    fields: dict[str, Any] = {
        "tenant_id": 1,
        "number": f"GD-20261122-{seq:04d}",
        "day": (NOW - timedelta(days=1)).date(),
        "seq": seq,
        "title": title,
        "priority": TicketPriority.NORMAL,
        "status": status,
        "assignee_id": person.id if person else None,
        "created_at": created,
        "updated_at": created,
        "response_due_at": NOW + timedelta(hours=1),
        "response_warn_at": NOW + timedelta(minutes=30),
        "resolution_due_at": NOW + timedelta(hours=5),
        "resolution_warn_at": NOW + timedelta(hours=4),
    }
    return await Ticket.create(**{**fields, **values})


def responded(seconds: int, met: bool) -> dict[str, Any]:
    return {
        "first_responded_at": NOW - timedelta(hours=20),
        "response_seconds": seconds,
        "response_met": met,
    }


def resolved(seconds: int, met: bool, hours_ago: float = 2) -> dict[str, Any]:
    return {
        "resolved_at": NOW - timedelta(hours=hours_ago),
        "resolution_seconds": seconds,
        "resolution_met": met,
    }


async def fixture() -> None:
    await make(
        "一号", TicketStatus.RESOLVED, "lisi", **responded(600, True), **resolved(7200, True)
    )
    await make(
        "二号", TicketStatus.CLOSED, "lisi", **responded(1800, False), **resolved(18000, False)
    )
    late = NOW - timedelta(hours=1)
    await make(
        "三号", TicketStatus.IN_PROGRESS, "wangwu", resolution_due_at=late, **responded(1200, True)
    )
    await make("四号", TicketStatus.NEW, None)
    await make(
        "五号",
        TicketStatus.CLOSED,
        "wangwu",
        days_ago=40,
        **responded(60, True),
        **resolved(600, True, hours_ago=35 * 24),
    )
    await make(
        "六号",
        TicketStatus.PENDING_CUSTOMER,
        "wangwu",
        resolution_due_at=late,
        **responded(300, True),
    )


async def test_statistics_by_status_time_sla_and_assignee(chat: Chat) -> None:
    await fixture()
    assert await chat.say("zhaoliu", "工单统计") == [
        "工单统计（最近 30 天）\n"
        "当前未完成 3 张：待派单 1、已派单 0、处理中 1、等待客户 1；其中超时 1 张\n"
        "新建 5 张，解决 2 张\n"
        "平均首次响应 16分钟，平均解决 3小时30分钟\n"
        "SLA 达标率：首次响应 75%（3/4），解决 50%（1/2）\n"
        "按负责人：\n"
        "· 李四：未完成 0，已解决 2，平均解决 3小时30分钟，达标 50%（1/2）\n"
        "· 王五：未完成 2，已解决 0，平均解决 —，达标 —"
    ]
    [longer] = await chat.say("zhangsan", "工单统计 60天")
    assert "新建 6 张，解决 3 张" in longer
    # a span in weeks or months is counted in days, typed or said
    assert (await chat.say("zhangsan", "工单统计 两周"))[0].startswith("工单统计（最近 14 天）")
    [said] = await chat.say("zhangsan", "最近两周的工单数据")
    assert said.splitlines()[:2] == ["（按「工单统计 14」处理）", "工单统计（最近 14 天）"]
    assert "· 王五：未完成 2，已解决 1，平均解决 10分钟，达标 100%（1/1）" in longer


async def test_statistics_input_and_access(chat: Chat) -> None:
    usage = ["请按这个格式写：工单统计，或 工单统计 7（最近 7 天，1 到 365）"]
    assert await chat.say("zhaoliu", "工单统计 上周") == usage
    assert await chat.say("zhaoliu", "工单统计 0") == usage
    assert await chat.say("lisi", "工单统计") == ["仅管理员和派单员可用"]
    [empty] = await chat.say("zhaoliu", "工单统计 7")
    assert empty.endswith("SLA 达标率：首次响应 —，解决 —\n按负责人：\n· 还没有派出的工单")


async def test_my_tickets_lists_the_open_ones_most_urgent_first(chat: Chat) -> None:
    await fixture()
    await add_customer("张三")
    assert await chat.say("lisi", "我的工单") == ["你没有未完成的工单。"]
    assert await chat.say("wangwu", "我的工单") == [
        "你的未完成工单（2 条）：\n"
        "GD-20261122-0003 三号（中） 处理中 · 内部 · 已超时 1小时\n"
        "GD-20261122-0006 六号（中） 等待客户 · 内部 · 解决计时暂停\n"
        "发送「工单 0001」看详情。"
    ]


async def test_overdue_tickets(chat: Chat) -> None:
    await fixture()
    assert await chat.say("zhaoliu", "超时工单") == [
        "超时工单（1 条）：\nGD-20261122-0003 三号（中） 处理中 · 内部 · 已超时 1小时\n"
        "发送「工单 0001」看详情。"
    ]
    assert await chat.say("lisi", "超时工单") == ["没有超时的工单。"]
    assert await chat.say("wangwu", "超时工单") == [
        "超时工单（1 条）：\nGD-20261122-0003 三号（中） 处理中 · 内部 · 已超时 1小时\n"
        "发送「工单 0001」看详情。"
    ]


async def test_the_daily_report_has_a_work_order_line(chat: Chat) -> None:
    await fixture()
    [report] = await chat.say("zhangsan", "日报")
    line = "· 工单：今天新建 0 张、解决 2 张；未完成 3 张（1 张已超时，发送「超时工单」查看）"
    assert line in report


async def test_a_tenant_without_tickets_has_no_work_order_line(chat: Chat) -> None:
    [report] = await chat.say("zhangsan", "日报")
    assert "工单" not in report
