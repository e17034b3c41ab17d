"""The daily call table: kept as calls end, in the same transaction, and always equal to the
sum of the call log (a redelivered ``ended``, a re-synced record or a late correction never
counts twice)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from support.calls import call_chat
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.calls.days import figures_from_days, rebuild
from bot.calls.stats import Period, figures_by_employee
from bot.calls.store import CallIn, save_call
from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallDay, CallDirection, CallRecord, CallSource, CallStage
from models.tenants import Employee

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIELDS = ("member_id", "day", "calls", "connected", "talk_secs", "effective", "effective_secs")


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        yield opened


async def table() -> list[tuple[Any, ...]]:
    rows = await CallDay.filter(tenant_id=1).order_by("day", "member_id").values(*FIELDS)
    return [tuple(row[f] for f in FIELDS) for row in rows]


async def from_log(threshold: int = 60) -> list[tuple[Any, ...]]:
    """Σ log: every local day's figures summed from call_record directly."""
    days = sorted(
        {
            started.astimezone(SHANGHAI).date()
            for started in await CallRecord.filter(tenant_id=1, stage=CallStage.ENDED).values_list(
                "started_at", flat=True
            )
        }
    )
    out = []
    for day in days:
        start, end = Period("", day, day + timedelta(days=1)).bounds(SHANGHAI)
        found = await figures_by_employee(1, start, end, threshold)
        for who, f in sorted(found.items(), key=lambda item: item[0] or 0):
            out.append(
                (who or 0, day, f.calls, f.connected, f.talk_secs, f.effective, f.effective_secs)
            )
    return sorted(out, key=lambda row: (row[1], row[0]))


def event(
    key: str,
    employee: int | None,
    started: datetime,
    stage: CallStage,
    talk: int = 0,
    ring: int = 10,
) -> CallIn:
    answered = (
        started + timedelta(seconds=ring) if talk and stage is not CallStage.RINGING else None
    )
    ended = started + timedelta(seconds=ring + talk) if stage is CallStage.ENDED else None
    return CallIn(
        tenant_id=1,
        dedup_key=key,
        source=CallSource.WEBHOOK,
        direction=CallDirection.INBOUND,
        started_at=started,
        number="13800000000",
        employee_id=employee,
        answered_at=answered,
        ended_at=ended,
        stage=stage,
    )


async def staff() -> list[int | None]:
    ids = await Employee.filter(userid__in=["lisi", "wangwu"]).order_by("id")
    return [e.id for e in ids] + [None]


@pytest.mark.parametrize("seed", range(6))
async def test_the_table_equals_the_sum_of_the_log_whatever_the_deliveries(
    chat: Chat, seed: int
) -> None:
    """Calls with ringing/answered/ended events, each redelivered, shuffled, some ended
    twice with a corrected length, start or employee (a late correction), around local
    midnight: the incrementally kept table equals both Σ log and a rebuild."""
    rng = random.Random(seed)
    members = await staff()
    midnight = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # Monday 00:00 in Shanghai
    events: list[CallIn] = []
    for n in range(40):
        who = rng.choice(members)
        started = midnight + timedelta(minutes=rng.randint(-90, 90))
        talk = rng.choice([0, 0, 30, 59, 60, 61, 300])
        key = f"c{n}"
        events += [event(key, who, started, CallStage.RINGING)]
        if talk:
            events += [event(key, who, started, CallStage.ANSWERED, talk)]
        events += [event(key, who, started, CallStage.ENDED, talk)] * rng.randint(1, 3)
        if rng.random() < 0.3:  # a correction: another start, length or employee
            events.append(
                event(
                    key,
                    rng.choice(members),
                    started + timedelta(minutes=rng.randint(-30, 30)),
                    CallStage.ENDED,
                    rng.choice([0, 45, 120]),
                )
            )
    rng.shuffle(events)
    for one in events:
        await save_call(one, MONDAY_10AM, SHANGHAI)
    kept = await table()
    assert kept == await from_log()
    ended = await CallRecord.filter(tenant_id=1, stage=CallStage.ENDED).count()
    assert sum(row[2] for row in kept) == ended
    await rebuild(1, MONDAY_10AM)
    assert await table() == kept


async def test_a_redelivered_ended_event_counts_once_and_a_correction_moves_the_call(
    chat: Chat,
) -> None:
    lisi, wangwu, _ = await staff()
    nine = MONDAY_10AM - timedelta(hours=1)
    for _ in range(3):
        await save_call(event("x", lisi, nine, CallStage.ENDED, 120), MONDAY_10AM, SHANGHAI)
    assert await table() == [(lisi, nine.astimezone(SHANGHAI).date(), 1, 1, 120, 1, 120)]
    # The platform corrects the call: it was wangwu's, yesterday, and shorter.
    yesterday = nine - timedelta(days=1)
    await save_call(event("x", wangwu, yesterday, CallStage.ENDED, 30), MONDAY_10AM, SHANGHAI)
    assert await table() == [(wangwu, yesterday.astimezone(SHANGHAI).date(), 1, 1, 30, 0, 0)]


async def test_calls_ending_at_once_are_all_counted(chat: Chat) -> None:
    """Twenty calls of one employee's day ending concurrently, each delivered twice."""
    lisi, _, _ = await staff()
    nine = MONDAY_10AM - timedelta(hours=1)
    ends = [
        event(f"k{n}", lisi, nine + timedelta(minutes=n), CallStage.ENDED, 60 + n)
        for n in range(20)
    ]
    await asyncio.gather(*(save_call(one, MONDAY_10AM, SHANGHAI) for one in ends + ends))
    [row] = await table()
    assert row[2:5] == (20, 20, sum(60 + n for n in range(20)))
    assert await table() == await from_log()


async def test_a_new_threshold_rebuilds_the_table_from_the_log(chat: Chat) -> None:
    lisi, _, _ = await staff()
    nine = MONDAY_10AM - timedelta(hours=1)
    for n, talk in enumerate([30, 45, 90, 0]):
        await save_call(
            event(f"t{n}", lisi, nine + timedelta(minutes=n), CallStage.ENDED, talk),
            MONDAY_10AM,
            SHANGHAI,
        )
    assert (await table())[0][5:] == (1, 90)
    assert await chat.say("zhangsan", "通话设置 有效通话 40秒") == [
        "已保存：接通且通话不少于 40 秒算有效通话，历史统计也按这个标准重算。"
    ]
    assert (await table())[0][5:] == (2, 135)
    assert await table() == await from_log(40)
    # A call ending after the change is counted with the new threshold too.
    await save_call(event("t9", lisi, nine, CallStage.ENDED, 41), MONDAY_10AM, SHANGHAI)
    assert await table() == await from_log(40)


async def test_the_commands_read_the_table(chat: Chat) -> None:
    """A row written straight into the table (as a rebuild would) is what 我的通话 shows."""
    lisi, _, _ = await staff()
    day = MONDAY_10AM.astimezone(SHANGHAI).date()
    await CallDay.create(
        tenant_id=1, member_id=lisi, day=day, calls=7, connected=5, talk_secs=600, effective=3,
        effective_secs=500, first_at=MONDAY_10AM - timedelta(hours=2),
        last_at=MONDAY_10AM - timedelta(hours=1), updated_at=MONDAY_10AM,
    )  # fmt: skip
    [mine] = await chat.say("lisi", "我的通话 今天")
    assert mine.startswith("今天（11月23日）：拨打/接听 7 通，接通 5 通（71%），通话 10分钟")
    assert "首通 08:00 末通 09:00" in mine
    found = await figures_from_days(1, Period("本周", day, day + timedelta(days=7)))
    assert found[lisi].calls == 7
