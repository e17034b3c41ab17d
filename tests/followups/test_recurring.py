"""Recurring reminders on an injected clock: each occurrence becomes one follow-up and one
card, exactly once even with two sweeps racing, in Shanghai time, across China's holidays,
month ends and 29 February; listing and stopping them in chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat, sweep_of, sweep_once

from bot.clock import FrozenClock
from bot.config import Settings
from bot.followups.occurrences import make_due_occurrences
from bot.followups.recurrence import Recurrence, understand_recurring
from models.followups import Followup, FollowupStatus, RecurrenceKind, RecurringRule

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUTTONS = "[完成] [推迟1小时] [明天再提醒]"


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened
        await opened.embedded.runtime.tasks.drain()


@pytest.mark.parametrize(
    ("said", "kind", "weekday", "day", "minute", "content"),
    [
        ("每天早上9点提醒我看日报", RecurrenceKind.DAILY, 0, 0, 540, "看日报"),
        ("每个工作日下午6点提醒我写日志", RecurrenceKind.WORKDAYS, 0, 0, 1080, "写日志"),
        ("每周一早上9点提醒我写周报", RecurrenceKind.WEEKLY, 1, 0, 540, "写周报"),
        ("每月1号提醒我对账", RecurrenceKind.MONTHLY, 0, 1, 540, "对账"),
        ("每月最后一天提醒我交报表", RecurrenceKind.MONTH_END, 0, 0, 540, "交报表"),
        ("每个月十五号下午3点半提醒我催款", RecurrenceKind.MONTHLY, 0, 15, 930, "催款"),
    ],
)
def test_what_a_recurring_sentence_means(
    said: str, kind: RecurrenceKind, weekday: int, day: int, minute: int, content: str
) -> None:
    request = understand_recurring(said, MONDAY_10AM.astimezone(SHANGHAI))
    assert request is not None
    assert request.recurrence == Recurrence(kind, minute, weekday, day)
    assert request.content == content


def occurrences(recurrence: Recurrence, after: datetime, count: int) -> list[datetime]:
    found = []
    for _ in range(count):
        after = recurrence.next_after(after, SHANGHAI)
        found.append(after)
    return found


def test_monthly_days_past_a_months_end_fall_on_its_last_day() -> None:
    on_31st = Recurrence(RecurrenceKind.MONTHLY, 540, day_of_month=31)
    assert occurrences(on_31st, local(2028, 1, 1), 4) == [
        local(2028, 1, 31, 9),
        local(2028, 2, 29, 9),
        local(2028, 3, 31, 9),
        local(2028, 4, 30, 9),
    ]
    month_end = Recurrence(RecurrenceKind.MONTH_END, 600)
    assert occurrences(month_end, local(2027, 1, 31, 10), 2) == [
        local(2027, 2, 28, 10),
        local(2027, 3, 31, 10),
    ]


def test_working_days_skip_national_day_and_keep_the_make_up_saturday() -> None:
    workdays = Recurrence(RecurrenceKind.WORKDAYS, 1080)
    assert [d.date().isoformat() for d in occurrences(workdays, local(2026, 9, 29, 19), 5)] == [
        "2026-09-30",
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",  # a Saturday worked in exchange
        "2026-10-12",
    ]


async def test_a_weekly_reminder_is_stored_as_a_rule_not_a_one_off(chat: Chat) -> None:
    assert await chat.say("lisi", "每周一早上9点提醒我写周报") == [
        "好的，已设周期提醒 #1：每周一 09:00 写周报\n客户：未关联客户\n"
        "下次提醒：11月30日（周一）09:00\n"
        "发送「我的周期提醒」查看，不要了发送「停止周期提醒 1」。"
    ]
    rule = await RecurringRule.get(number=1)
    assert (rule.kind, rule.weekday, rule.minute_of_day, rule.content, rule.active) == (
        RecurrenceKind.WEEKLY,
        1,
        540,
        "写周报",
        True,
    )
    assert rule.next_at == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert await Followup.all().count() == 0


async def test_each_occurrence_is_sent_once_and_the_next_one_planned(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "每天早上9点提醒我看日报")
    clock.set(local(2026, 11, 24, 8, 59))
    assert await sweep_once(chat, clock) == []
    clock.set(local(2026, 11, 24, 9))
    assert await sweep_once(chat, clock) == [
        f"【跟进提醒 #1】\n11月24日（周二）09:00 看日报\n{BUTTONS}"
    ]
    assert await sweep_once(chat, clock) == []
    assert (await RecurringRule.get(number=1)).next_at == local(2026, 11, 25, 9)
    clock.set(local(2026, 11, 25, 9, 0, 20))
    assert await sweep_once(chat, clock) == [
        f"【跟进提醒 #2】\n11月25日（周三）09:00 看日报\n{BUTTONS}"
    ]
    # Yesterday's occurrence left open gives way to today's; neither escalates.
    assert [f.status for f in await Followup.all().order_by("number")] == [
        FollowupStatus.CANCELLED,
        FollowupStatus.OPEN,
    ]
    clock.set(local(2026, 11, 25, 20))
    assert await sweep_once(chat, clock) == []


async def test_two_sweeps_racing_make_one_occurrence(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "每周一早上9点提醒我写周报")
    clock.set(local(2026, 11, 30, 9))
    since = await chat.sim.sent_count()
    first, second = sweep_of(chat, clock), sweep_of(chat, clock)
    claimed = await asyncio.gather(first.run(), second.run())
    assert sorted(claimed) == [0, 1]
    assert len(await chat.settle(since)) == 1
    assert await Followup.filter(rule_id__isnull=False).count() == 1
    runtime = chat.embedded.runtime
    made = await asyncio.gather(
        *(make_due_occurrences(runtime.tenants, clock.now(), 10) for _ in range(3))
    )
    assert sum(made) == 0  # the occurrence exists; nothing more is due until next Monday


async def test_month_end_and_29_february_through_the_sweep(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "每月最后一天上午10点提醒我交报表")
    await chat.say("lisi", "每月31号提醒我对账")
    clock.set(local(2026, 11, 30, 9))  # November has no 31st: its last day stands in
    assert await sweep_once(chat, clock) == [
        f"【跟进提醒 #1】\n11月30日（周一）09:00 对账\n{BUTTONS}"
    ]
    clock.set(local(2026, 11, 30, 10))
    assert await sweep_once(chat, clock) == [
        f"【跟进提醒 #2】\n11月30日（周一）10:00 交报表\n{BUTTONS}"
    ]
    rules = await RecurringRule.all().order_by("number")
    assert [r.next_at for r in rules] == [local(2026, 12, 31, 10), local(2026, 12, 31, 9)]
    # The same rules a leap year later, at the end of January.
    await RecurringRule.filter(number=1).update(next_at=local(2028, 1, 31, 10).astimezone(UTC))
    await RecurringRule.filter(number=2).update(next_at=local(2028, 1, 31, 9).astimezone(UTC))
    clock.set(local(2028, 1, 31, 9))
    assert len(await sweep_once(chat, clock)) == 1
    clock.set(local(2028, 1, 31, 10))
    assert len(await sweep_once(chat, clock)) == 1
    rules = await RecurringRule.all().order_by("number")
    assert [r.next_at for r in rules] == [local(2028, 2, 29, 10), local(2028, 2, 29, 9)]
    clock.set(local(2028, 2, 28, 23))
    assert await sweep_once(chat, clock) == []
    clock.set(local(2028, 2, 29, 9))
    assert await sweep_once(chat, clock) == [
        f"【跟进提醒 #5】\n2月29日（周二）09:00 对账\n{BUTTONS}"
    ]
    clock.set(local(2028, 2, 29, 10))
    assert await sweep_once(chat, clock) == [
        f"【跟进提醒 #6】\n2月29日（周二）10:00 交报表\n{BUTTONS}"
    ]
    assert await sweep_once(chat, clock) == []


async def test_after_downtime_only_the_latest_occurrence_is_sent(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "每天早上9点提醒我看日报")
    clock.set(local(2026, 11, 27, 9, 5))  # down since before Tuesday's 09:00
    [card] = await sweep_once(chat, clock)
    assert card.startswith("【跟进提醒 #1】\n11月27日（周五）09:00 看日报")
    assert (await RecurringRule.get(number=1)).next_at == local(2026, 11, 28, 9)


async def test_working_day_reminders_skip_the_weekend(chat: Chat, clock: FrozenClock) -> None:
    clock.set(local(2026, 11, 27, 19))  # a Friday evening
    [reply] = await chat.say("lisi", "每个工作日下午6点提醒我写日志")
    assert "每个工作日 18:00 写日志" in reply
    assert "下次提醒：11月30日（周一）18:00" in reply
    clock.set(local(2026, 11, 28, 18))
    assert await sweep_once(chat, clock) == []


async def test_list_and_stop_recurring_reminders(chat: Chat, clock: FrozenClock) -> None:
    assert await chat.say("lisi", "我的周期提醒") == [
        "你没有周期提醒。试试发送「每周一早上9点提醒我写周报」。"
    ]
    await chat.say("lisi", "每周一早上9点提醒我写周报")
    await chat.say("lisi", "每天早上9点提醒我看日报")
    await chat.say("lisi", "每月1号提醒我对账")
    assert await chat.say("lisi", "我有哪些周期提醒") == [
        "你的周期提醒（3 条）：\n"
        "#1 每周一 09:00 写周报（下次 11月30日（周一）09:00）\n"
        "#2 每天 09:00 看日报（下次 11月24日（周二）09:00）\n"
        "#3 每月1号 09:00 对账（下次 12月1日（周二）09:00）\n"
        "不要了发送「停止周期提醒 编号」。"
    ]
    listed = await chat.say("lisi", "我有哪些周期提醒")
    for said in ("每天都会提醒我的那些有哪些", "定期提醒列一下"):
        assert await chat.say("lisi", said) == listed, said
    assert await chat.say("lisi", "停止 周报提醒") == [
        "好的，周期提醒 #1「写周报」已停止，以后不再提醒。"
    ]
    assert await chat.say("lisi", "不用再提醒我看日报了") == [
        "好的，周期提醒 #2「看日报」已停止，以后不再提醒。"
    ]
    assert await chat.say("lisi", "停止周期提醒 3") == [
        "好的，周期提醒 #3「对账」已停止，以后不再提醒。"
    ]
    assert await chat.say("lisi", "停止周期提醒 3") == [
        "没有编号为 3 的周期提醒。发送「我的周期提醒」查看编号。"
    ]
    assert await RecurringRule.filter(active=True).count() == 0
    clock.set(local(2026, 11, 30, 9))
    assert await sweep_once(chat, clock) == []


async def test_stopping_something_that_is_not_there(chat: Chat) -> None:
    await chat.say("lisi", "每周一早上9点提醒我写周报")
    assert await chat.say("lisi", "停止 月报提醒") == [
        "没找到对得上「月报提醒」的周期提醒。\n你的周期提醒有：\n"
        "#1 每周一 09:00 写周报（下次 11月30日（周一）09:00）\n"
        "不要了发送「停止周期提醒 编号」。"
    ]
    assert (await RecurringRule.get(number=1)).active is True


async def test_not_again_about_a_one_off_cancels_it(chat: Chat) -> None:
    await chat.say("lisi", "明天下午3点提醒我给张总打电话")
    assert await chat.say("lisi", "不用再提醒我给张总打电话了") == [
        "好的，已取消跟进 #1：给张总打电话"
    ]
    assert (await Followup.get(number=1)).status == FollowupStatus.CANCELLED


@pytest.mark.parametrize("said", ["每两周提醒我写总结", "每周一三五提醒我开晨会", "每年提醒我年检"])
async def test_a_rhythm_not_supported_is_said_plainly(chat: Chat, said: str) -> None:
    assert await chat.say("lisi", said) == [
        "周期提醒目前支持：每天、每个工作日、每周一（每周只选一天）、每月1号、每月最后一天，"
        "例如：每周一早上9点提醒我写周报"
    ]
    assert await Followup.all().count() == 0
    assert await RecurringRule.all().count() == 0
