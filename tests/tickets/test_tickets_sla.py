"""SLA time and its sweep on a frozen clock: business hours and wall-clock, the 80% warning
to the assignee and the breach to the admins (each once), the pause while waiting for the
customer, and the config that sets it all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer
from support.tickets import sweep, ticket_chat

from bot.clock import FrozenClock
from bot.config import ConfigError, Settings, parse_settings
from bot.tickets.hours import BusinessHours, WorkingTime, add_working, parse_hours, working_between
from bot.tickets.settings import TicketSettings
from bot.tickets.sweep import SlaSweep
from models.tickets import Ticket, TicketPriority

SHANGHAI = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = BusinessHours(time(9), time(18), frozenset({1, 2, 3, 4, 5}))
OFFICE = WorkingTime(SHANGHAI, NINE_TO_SIX)
WALL = WorkingTime(SHANGHAI)
N1 = "GD-20261123-0001"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_wall_clock_counts_every_minute() -> None:
    start = local(27, 17, 50)
    assert add_working(start, timedelta(hours=4), WALL) == local(27, 21, 50)
    assert working_between(start, local(30, 9), WALL) == timedelta(days=2, hours=15, minutes=10)
    assert working_between(local(30, 9), start, WALL) == timedelta(0)


def test_business_hours_skip_nights_and_weekends() -> None:
    friday = local(27, 17, 50)
    assert add_working(friday, timedelta(minutes=30), OFFICE) == local(30, 9, 20)
    assert add_working(friday, timedelta(minutes=10), OFFICE) == local(27, 18, 0)
    assert add_working(local(28, 11), timedelta(hours=1), OFFICE) == local(30, 10)  # Saturday
    assert add_working(local(23, 7), timedelta(hours=9, minutes=30), OFFICE) == local(24, 9, 30)
    assert working_between(friday, local(30, 9, 20), OFFICE) == timedelta(minutes=30)
    assert working_between(local(23, 8), local(24, 20), OFFICE) == timedelta(hours=18)
    assert working_between(local(28, 8), local(29, 20), OFFICE) == timedelta(0)


def test_business_hours_skip_chinas_public_holidays_and_count_makeup_days() -> None:
    national_day_eve = datetime(2026, 9, 30, 17, tzinfo=SHANGHAI)
    # 1–7 October are off; Saturday 10 October is worked in exchange, so 8 and 9 come first.
    assert add_working(national_day_eve, timedelta(hours=2), OFFICE) == datetime(
        2026, 10, 8, 10, tzinfo=SHANGHAI
    )
    friday_9th = datetime(2026, 10, 9, 17, tzinfo=SHANGHAI)
    assert add_working(friday_9th, timedelta(hours=2), OFFICE) == datetime(
        2026, 10, 10, 10, tzinfo=SHANGHAI
    )
    weekdays_only = WorkingTime(SHANGHAI, replace(NINE_TO_SIX, public_holidays=False))
    assert add_working(national_day_eve, timedelta(hours=2), weekdays_only) == datetime(
        2026, 10, 1, 10, tzinfo=SHANGHAI
    )


def test_business_hours_parse() -> None:
    assert parse_hours("09:00-18:00") == (time(9), time(18))
    assert parse_hours(" 08:30 - 17:30 ") == (time(8, 30), time(17, 30))
    assert parse_hours("18:00-09:00") is None
    assert parse_hours("9点到6点") is None
    assert parse_hours("") is None


@pytest.mark.parametrize(
    ("tickets", "path"),
    [
        ({"business_hours": "9-18"}, "tickets.business_hours"),
        ({"workdays": [0, 1]}, "tickets.workdays"),
        ({"public_holidays": "yes"}, "tickets.public_holidays"),
        ({"warn_percent": 100}, "tickets.warn_percent"),
        (
            {"sla": {"urgent": {"first_response_minutes": 0}}},
            "tickets.sla.urgent.first_response_minutes",
        ),
        ({"sla": {"critical": {}}}, "tickets.sla.critical"),
    ],
)
def test_bad_ticket_config_names_the_key(tickets: dict[str, Any], path: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"tickets": tickets})
    assert caught.value.path == path


def test_ticket_config_sets_targets_and_hours() -> None:
    raw = {
        "tickets": {
            "business_hours": "09:00-18:00",
            "workdays": [1, 2, 3, 4, 5, 6],
            "sla": {"urgent": {"first_response_minutes": 15, "resolution_minutes": 120}},
        }
    }
    parsed = parse_settings(raw).tickets
    assert parsed.sla[TicketPriority.URGENT].first_response == timedelta(minutes=15)
    assert parsed.sla[TicketPriority.LOW].resolution == timedelta(hours=72)  # the default
    assert parsed.business_hours == BusinessHours(time(9), time(18), frozenset(range(1, 7)))
    assert parse_settings({}).tickets.business_hours is None


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with ticket_chat(settings, clock) as opened:
        yield opened


async def urgent_for_lisi(chat: Chat) -> Ticket:
    await add_customer("张三")
    await chat.say("zhaoliu", "新建工单 张三 打印机无法开机 紧急")
    await chat.say("zhaoliu", "派单 0001 给 李四")
    return await Ticket.get(number=N1)


def texts(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["body"]["touser"], r["body"]["text"]["content"]) for r in records]


RESPONSE_WARNING = (
    f"【工单即将超时】{N1} 打印机无法开机（紧急）的首次响应将在 11月23日（周一）10:30 到期"
    "（还剩 6分钟）。发送「回复 0001 内容」回复客户。"
)
RESPONSE_BREACH = (
    f"【工单超时】{N1} 打印机无法开机（紧急）的首次响应已超时（应在 11月23日（周一）10:30 前），"
    "负责人：李四。发送「工单 0001」看详情。"
)


async def test_first_response_warning_then_breach_each_once(chat: Chat, clock: FrozenClock) -> None:
    await urgent_for_lisi(chat)
    clock.set(MONDAY_10AM + timedelta(minutes=23))
    assert await sweep(chat, clock) == []
    clock.set(MONDAY_10AM + timedelta(minutes=24))  # 80% of 30 minutes
    assert texts(await sweep(chat, clock)) == [("lisi", RESPONSE_WARNING)]
    assert await sweep(chat, clock) == []
    clock.set(MONDAY_10AM + timedelta(minutes=30))
    assert texts(await sweep(chat, clock)) == [("zhangsan", RESPONSE_BREACH)]
    assert await sweep(chat, clock) == []
    ticket = await Ticket.get(number=N1)
    assert ticket.response_warned_at is not None and ticket.response_breached_at is not None


async def test_a_reply_in_time_stops_the_response_clock(chat: Chat, clock: FrozenClock) -> None:
    await urgent_for_lisi(chat)
    clock.set(MONDAY_10AM + timedelta(minutes=5))
    await chat.say("lisi", "回复 0001 马上处理")
    clock.set(MONDAY_10AM + timedelta(hours=1))
    assert await sweep(chat, clock) == []


async def test_resolution_warning_and_breach(chat: Chat, clock: FrozenClock) -> None:
    await urgent_for_lisi(chat)
    await chat.say("lisi", "回复 0001 马上处理")
    clock.set(MONDAY_10AM + timedelta(hours=3, minutes=12))  # 80% of 4 hours
    [warning] = texts(await sweep(chat, clock))
    assert warning == (
        "lisi",
        f"【工单即将超时】{N1} 打印机无法开机（紧急）的解决将在 11月23日（周一）14:00 到期"
        "（还剩 48分钟）。处理完发送「解决 0001 解决办法」。",
    )
    clock.set(MONDAY_10AM + timedelta(hours=4))
    [breach] = texts(await sweep(chat, clock))
    assert breach[0] == "zhangsan" and "的解决已超时（应在 11月23日（周一）14:00 前）" in breach[1]


async def test_a_breach_found_late_skips_the_warning(chat: Chat, clock: FrozenClock) -> None:
    await urgent_for_lisi(chat)
    await chat.say("lisi", "回复 0001 马上处理")
    clock.set(MONDAY_10AM + timedelta(hours=6))
    [(to, text)] = texts(await sweep(chat, clock))
    assert to == "zhangsan" and text.startswith("【工单超时】")


async def test_waiting_for_the_customer_pauses_resolution(chat: Chat, clock: FrozenClock) -> None:
    await urgent_for_lisi(chat)
    await chat.say("lisi", "回复 0001 请提供型号")
    await chat.say("lisi", "等待客户 0001")
    clock.set(MONDAY_10AM + timedelta(hours=5))
    assert await sweep(chat, clock) == []
    await chat.say("lisi", "处理中 0001")
    ticket = await Ticket.get(number=N1)
    assert ticket.resolution_due_at == MONDAY_10AM + timedelta(hours=9)
    assert ticket.resolution_warn_at == MONDAY_10AM + timedelta(hours=8, minutes=12)
    clock.set(MONDAY_10AM + timedelta(hours=8, minutes=12))
    assert len(await sweep(chat, clock)) == 1


async def test_a_warning_with_nobody_assigned_goes_to_the_creator(
    chat: Chat, clock: FrozenClock
) -> None:
    await add_customer("张三")
    await chat.say("lisi", "新建工单 张三 打印机无法开机 紧急")
    clock.set(MONDAY_10AM + timedelta(minutes=24))
    [(to, _)] = texts(await sweep(chat, clock))
    assert to == "lisi"


async def test_two_sweeps_at_once_send_each_milestone_once(chat: Chat, clock: FrozenClock) -> None:
    await urgent_for_lisi(chat)
    clock.set(MONDAY_10AM + timedelta(minutes=24))
    runtime = chat.embedded.runtime
    assert runtime.sender is not None
    since = await chat.sim.sent_count()
    sweeps = [SlaSweep(runtime.tenants, runtime.sender, clock) for _ in range(2)]
    counts = await asyncio.gather(*(s.run() for s in sweeps))
    assert sorted(counts) == [0, 1]
    assert len(await chat.settle(since)) == 1


FRIDAY_1750 = datetime(2026, 11, 27, 9, 50, tzinfo=UTC)  # 17:50 in Shanghai


async def test_business_hours_carry_the_clock_over_the_weekend(settings: Settings) -> None:
    clock = FrozenClock(FRIDAY_1750)
    office = TicketSettings(business_hours=NINE_TO_SIX)
    async with ticket_chat(settings, clock, tickets=office) as chat:
        await add_customer("张三")
        [reply] = await chat.say("zhaoliu", "新建工单 张三 服务器宕机 紧急")
        assert "首次响应截止 11月30日（周一）09:20，解决截止 11月30日（周一）12:50。" in reply
        await chat.say("zhaoliu", "派单 0001 给 李四")
        clock.set(datetime(2026, 11, 29, 4, tzinfo=UTC))  # Sunday noon
        assert await sweep(chat, clock) == []
        clock.set(datetime(2026, 11, 30, 1, 14, tzinfo=UTC))  # Monday 09:14: 24 working minutes
        [(to, text)] = texts(await sweep(chat, clock))
        assert (to, text) == (
            "lisi",
            "【工单即将超时】GD-20261127-0001 服务器宕机（紧急）的首次响应"
            "将在 11月30日（周一）09:20 到期（还剩 6分钟）。发送「回复 0001 内容」回复客户。",
        )
        clock.set(datetime(2026, 11, 30, 1, 30, tzinfo=UTC))
        await chat.say("lisi", "回复 0001 已重启")
        ticket = await Ticket.get(seq=1)
        assert (ticket.response_seconds, ticket.response_met) == (40 * 60, False)


async def test_a_friday_warning_counts_the_business_time_left(settings: Settings) -> None:
    clock = FrozenClock(datetime(2026, 11, 27, 6, 30, tzinfo=UTC))  # Friday 14:30 in Shanghai
    office = TicketSettings(business_hours=NINE_TO_SIX)
    async with ticket_chat(settings, clock, tickets=office) as chat:
        await add_customer("张三")
        await chat.say("zhaoliu", "新建工单 张三 网络很慢")
        await chat.say("zhaoliu", "派单 0001 给 李四")
        clock.set(datetime(2026, 11, 27, 9, 42, tzinfo=UTC))  # 17:42: 3h12m of 4h
        assert texts(await sweep(chat, clock)) == [
            (
                "lisi",
                "【工单即将超时】GD-20261127-0001 网络很慢（中）的首次响应"
                "将在 11月30日（周一）09:30 到期（还剩 48分钟）。发送「回复 0001 内容」回复客户。",
            )
        ]
