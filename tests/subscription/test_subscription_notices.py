"""Renewal, lapse and seat-usage notices: each milestone reaches each admin exactly once, with
two replicas sweeping at the same moment and across a crash and restart.

The tenant pays for 标准版, 10 seats, 2026-11-01 → 2026-12-01 (last day 11-30); the clock
starts on 2026-11-23, 7 days before that last day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date, timedelta

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.outbox import OutboxSender
from bot.subscription.notices import NoticeSweep, renewal_days_before
from bot.subscription.plan import Plan
from bot.subscription.service import Billing
from bot.subscription.upkeep import LifecycleSweep
from bot.tenants import TenantDirectory, TenantInfo
from models.outbox import OutboxMessage, OutboxStatus
from models.subscriptions import Notice, SeatAssignment
from models.subscriptions import SubscriptionStatus as Status
from models.tenants import Employee, Role
from tests.support.billing import RecordingClient, recording_sender, subscribe

NOV_1, DEC_1 = date(2026, 11, 1), date(2026, 12, 1)
DAYS = (30, 7, 3, 1, 0)


@pytest.fixture
def billing(settings: Settings, clock: FrozenClock) -> Billing:
    return Billing(settings.subscription, clock)


@pytest.fixture
async def paid(billing: Billing, tenant: TenantInfo, clock: FrozenClock) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1)
    # A second admin, promoted in the bot rather than named in config.
    await Employee.create(
        tenant_id=tenant.id,
        userid="wangwu",
        role=Role.ADMIN,
        first_seen_at=clock.now(),
        last_seen_at=clock.now(),
    )


def received(*clients: RecordingClient) -> list[tuple[str, str]]:
    return sorted(pair for client in clients for pair in client.texts())


@pytest.mark.parametrize(
    ("today", "status", "expected"),
    [
        (date(2026, 10, 20), Status.ACTIVE, None),  # 41 days before: nothing yet
        (date(2026, 10, 31), Status.ACTIVE, 30),
        (date(2026, 11, 15), Status.ACTIVE, 30),  # still the 30-day milestone (sent once)
        (date(2026, 11, 23), Status.ACTIVE, 7),
        (date(2026, 11, 28), Status.ACTIVE, 3),  # 2 days before: the 3-day one, late
        (date(2026, 11, 30), Status.ACTIVE, 0),  # the last day
        (date(2026, 12, 2), Status.GRACE, -2),  # every day of grace
        (date(2026, 12, 9), Status.SUSPENDED, None),
    ],
)
def test_which_milestone_a_day_reaches(today: date, status: Status, expected: int | None) -> None:
    since = date(2026, 9, 1)  # a period long enough for every milestone
    assert renewal_days_before(DEC_1, status, today, DAYS, since) == expected


def test_milestones_before_the_period_began_are_skipped() -> None:
    # A monthly period that began on 11-01: the 30-day milestone (10-31) was before it.
    assert renewal_days_before(DEC_1, Status.ACTIVE, date(2026, 11, 10), DAYS, NOV_1) is None
    trial_end = date(2026, 12, 8)  # a 15-day trial from 11-23
    assert (
        renewal_days_before(trial_end, Status.TRIAL, date(2026, 11, 23), DAYS, date(2026, 11, 23))
        is None
    )
    assert (
        renewal_days_before(trial_end, Status.TRIAL, date(2026, 11, 30), DAYS, date(2026, 11, 23))
        == 7
    )


async def test_a_renewal_notice_reaches_every_admin_once_per_milestone(
    billing: Billing, clock: FrozenClock, paid: None
) -> None:
    sender, client = recording_sender(clock)
    sweep = NoticeSweep(billing, sender)
    assert await sweep.run() == 1
    texts = received(client)
    assert [who for who, _ in texts] == ["wangwu", "zhangsan"]
    text = texts[0][1]
    assert text.startswith("【续费提醒】艾克米科技的标准版将于 2026-11-30 到期（还有 7 天）。")
    assert "1. 标准版 10 席 × ¥99.00/月：¥990.00" in text
    assert "合计：¥990.00（2026-12-01 起生效）" in text
    assert await sweep.run() == 0
    clock.advance(timedelta(days=4))
    assert await sweep.run() == 1
    assert "还有 3 天" in client.texts()[-1][1]
    clock.advance(timedelta(days=1))
    assert await sweep.run() == 0  # 2 days before: the 3-day notice is already out
    assert len(client.sent) == 4


async def test_grace_brings_a_notice_every_day(
    billing: Billing, clock: FrozenClock, paid: None
) -> None:
    sender, client = recording_sender(clock)
    sweep = NoticeSweep(billing, sender)
    clock.advance(timedelta(days=9))  # 2026-12-02
    assert await sweep.run() == 1
    assert "已于 2026-11-30 到期，2026-12-08 起将暂停使用" in client.texts()[0][1]
    clock.advance(timedelta(days=1))
    assert await sweep.run() == 1
    assert await sweep.run() == 0


async def test_two_replicas_sweeping_at_the_same_moment_send_each_notice_once(
    billing: Billing, clock: FrozenClock, paid: None
) -> None:
    (one, one_client), (two, two_client) = recording_sender(clock), recording_sender(clock)
    results = await asyncio.gather(NoticeSweep(billing, one).run(), NoticeSweep(billing, two).run())
    assert sorted(results) == [0, 1]
    assert [who for who, _ in received(one_client, two_client)] == ["wangwu", "zhangsan"]
    assert await Notice.filter(kind="renewal").count() == 1
    assert await OutboxMessage.all().count() == 2


class CrashingSender(OutboxSender):
    """The process dies after the notice's transaction committed, before anything is sent."""

    async def send_rows(self, rows: Iterable[OutboxMessage]) -> None:
        raise RuntimeError("process killed")


async def test_a_notice_claimed_before_a_crash_is_sent_after_the_restart_and_only_once(
    billing: Billing, clock: FrozenClock, paid: None
) -> None:
    doomed = CrashingSender(RecordingClient(), TenantDirectory(), clock)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="process killed"):
        await NoticeSweep(billing, doomed).run()
    # After the restart: a new process, its own sweeps.
    sender, client = recording_sender(clock)
    assert await NoticeSweep(Billing(billing.settings, clock), sender).run() == 0
    assert await sender.sweep() == 0  # the dead process's lease still holds the rows
    clock.advance(timedelta(seconds=61))
    assert await sender.sweep() == 2
    assert await sender.sweep() == 0
    assert [who for who, _ in received(client)] == ["wangwu", "zhangsan"]
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 2


async def test_seat_usage_at_90_percent_is_announced_once_with_the_price_of_a_seat(
    billing: Billing, clock: FrozenClock, tenant: TenantInfo, paid: None
) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1, Plan("standard", 10, "month"))
    sender, client = recording_sender(clock)
    sweep = NoticeSweep(billing, sender)
    for n in range(9):
        employee = await Employee.create(
            tenant_id=tenant.id,
            userid=f"user{n}",
            first_seen_at=clock.now(),
            last_seen_at=clock.now(),
        )
        await SeatAssignment.create(
            tenant_id=tenant.id,
            employee_id=employee.id,
            assigned_by="auto",
            assigned_at=clock.now(),
        )
    assert await sweep.run() == 2  # the 7-day renewal notice and the seat notice
    seat_notice = next(t for _, t in client.texts() if t.startswith("【席位提醒】"))
    assert "席位已用 9/10" in seat_notice
    assert "加 1 个席位本期需 ¥26.40" in seat_notice
    assert await sweep.run() == 0


async def test_a_lapse_is_stored_and_announced_once(
    billing: Billing, clock: FrozenClock, tenant: TenantInfo, paid: None
) -> None:
    sender, client = recording_sender(clock)
    sweep = LifecycleSweep(billing, sender)
    clock.advance(timedelta(days=15))  # 2026-12-08: past 7 days of grace
    assert await sweep.run() == 1
    assert await sweep.run() == 0
    texts = received(client)
    assert len(texts) == 2
    assert texts[0][1].startswith("【套餐已暂停】艾克米科技的套餐已于 2026-11-30 到期")
