"""The lifecycle: trial → active → grace → suspended → cancelled, and back to active on
renewal. Pure rules first, then the whole story with a frozen clock through chat, orders and
the lifecycle sweep."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import Dispatcher
from bot.subscription.catalog import Catalog, load_catalog
from bot.subscription.lifecycle import (
    LifecyclePolicy,
    Term,
    advance,
    apply_change,
    extend_days,
    paid_end,
    renew,
    status_on,
    trial_term,
)
from bot.subscription.plan import Plan, PlanChange
from bot.subscription.service import Billing
from bot.subscription.upkeep import LifecycleSweep
from bot.tenants import TenantInfo
from models.subscriptions import AuditLog, SeatAssignment, Subscription
from models.subscriptions import SubscriptionStatus as Status
from tests.support.billing import (
    STANDARD_10,
    answer,
    build_dispatcher,
    recording_sender,
    say,
    subscribe,
    with_operators,
)

POLICY = LifecyclePolicy(grace_days=7, cancel_after_days=30)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def paid(start: date, end: date, plan: Plan = STANDARD_10, **changes: object) -> Term:
    term = Term(plan, Status.ACTIVE, False, start, end, highest_paid_seats=plan.seats)
    return replace(term, **{"anchor_day": start.day, **changes})  # type: ignore[arg-type]


# --- the rules -------------------------------------------------------------------------------


def test_a_trial_that_ends_unpaid_is_suspended_at_once_then_cancelled(catalog: Catalog) -> None:
    trial = trial_term(catalog, date(2026, 11, 23))
    assert (trial.plan, trial.period_end) == (STANDARD_10, date(2026, 12, 8))
    assert status_on(trial, date(2026, 12, 7), POLICY) is Status.TRIAL
    assert status_on(trial, date(2026, 12, 8), POLICY) is Status.SUSPENDED
    assert status_on(trial, date(2027, 1, 7), POLICY) is Status.CANCELLED


def test_a_paid_period_lapses_into_grace_then_suspension_then_cancellation() -> None:
    term = paid(date(2026, 11, 1), date(2026, 12, 1))
    expected = {
        date(2026, 11, 30): Status.ACTIVE,
        date(2026, 12, 1): Status.GRACE,
        date(2026, 12, 7): Status.GRACE,
        date(2026, 12, 8): Status.SUSPENDED,
        date(2027, 1, 6): Status.SUSPENDED,
        date(2027, 1, 7): Status.CANCELLED,
    }
    assert {day: status_on(term, day, POLICY) for day in expected} == expected


def test_paying_during_the_trial_starts_paid_periods_when_the_trial_ends(catalog: Catalog) -> None:
    trial = trial_term(catalog, date(2026, 11, 23))
    renewed = renew(catalog, trial, 2, date(2026, 11, 30), POLICY)
    assert (renewed.status, renewed.prepaid_periods) == (Status.TRIAL, 2)
    assert paid_end(catalog, renewed) == date(2027, 2, 8)
    first = advance(catalog, renewed, date(2026, 12, 8), POLICY)
    assert (first.status, first.is_trial) == (Status.ACTIVE, False)
    assert (first.period_start, first.period_end, first.prepaid_periods) == (
        date(2026, 12, 8),
        date(2027, 1, 8),
        1,
    )
    later = advance(catalog, renewed, date(2027, 2, 8), POLICY)
    assert (later.status, later.period_end) == (Status.GRACE, date(2027, 2, 8))


def test_renewing_in_grace_continues_the_period_and_after_suspension_starts_today(
    catalog: Catalog,
) -> None:
    term = paid(date(2026, 11, 1), date(2026, 12, 1))
    in_grace = renew(catalog, term, 1, date(2026, 12, 3), POLICY)
    assert (in_grace.status, in_grace.period_start, in_grace.period_end) == (
        Status.ACTIVE,
        date(2026, 12, 1),
        date(2027, 1, 1),
    )
    suspended = renew(catalog, term, 1, date(2026, 12, 20), POLICY)
    assert (suspended.status, suspended.period_start, suspended.period_end) == (
        Status.ACTIVE,
        date(2026, 12, 20),
        date(2027, 1, 20),
    )


def test_a_decrease_waits_for_the_next_period_and_an_increase_keeps_it(catalog: Catalog) -> None:
    term = paid(date(2026, 11, 1), date(2026, 12, 1), prepaid_periods=1)
    fewer = apply_change(catalog, term, PlanChange(seats=6))
    assert (fewer.plan.seats, fewer.pending) == (10, Plan("standard", 6, "month"))
    more = apply_change(catalog, fewer, PlanChange(add_modules=frozenset({"tickets"})))
    assert more.plan.modules == {"tickets"}
    assert more.pending == Plan("standard", 6, "month", modules=frozenset({"tickets"}))
    next_period = advance(catalog, more, date(2026, 12, 1), POLICY)
    assert (next_period.plan, next_period.pending) == (more.pending, None)
    assert next_period.highest_paid_seats == 6


def test_monthly_periods_stay_on_the_31st(catalog: Catalog) -> None:
    term = paid(date(2027, 1, 31), date(2027, 2, 28), prepaid_periods=2, anchor_day=31)
    march = advance(catalog, term, date(2027, 3, 1), POLICY)
    assert (march.period_start, march.period_end) == (date(2027, 2, 28), date(2027, 3, 31))
    assert paid_end(catalog, term) == date(2027, 4, 30)


def test_an_operator_extension_lengthens_the_period_or_revives_a_lapsed_one(
    catalog: Catalog,
) -> None:
    term = paid(date(2026, 11, 1), date(2026, 12, 1))
    assert extend_days(catalog, term, 10, date(2026, 11, 23), POLICY).period_end == date(
        2026, 12, 11
    )
    revived = extend_days(catalog, term, 10, date(2026, 12, 20), POLICY)
    assert (revived.status, revived.period_end) == (Status.ACTIVE, date(2026, 12, 30))


# --- the story, with a clock that moves ------------------------------------------------------


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


async def test_trial_to_active_to_grace_to_suspended_and_renewed_again(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    billing = Billing(with_operators(settings, "acme:ops").subscription, clock)
    bot = build_dispatcher(billing, clock)
    sweep = LifecycleSweep(billing, recording_sender(clock)[0])
    assert "（试用中）" in await answer(bot, tenant, "套餐")

    await answer(bot, tenant, "续费 1个月")
    await answer(bot, tenant, "确认")
    await answer(bot, tenant, "确认收款 1", user="ops")

    clock.set(at(date(2026, 12, 8)))  # the trial is over; the paid month begins
    assert await sweep.run() == 1
    row = await Subscription.get(tenant_id=tenant.id)
    assert (row.status, row.period_start, row.period_end) == (
        Status.ACTIVE,
        date(2026, 12, 8),
        date(2027, 1, 8),
    )

    clock.set(at(date(2027, 1, 9)))  # unpaid: grace, everything still works, reminded daily
    assert await sweep.run() == 1
    first = await answer_all(bot, tenant, "查客户 张三")
    assert first[0].startswith("提醒：套餐已于 2027-01-07 到期，2027-01-15 起将暂停使用。")
    assert first[1] == "查找：张三"
    assert await answer_all(bot, tenant, "查客户 李四") == ["查找：李四"]

    clock.set(at(date(2027, 1, 15)))  # grace is over
    assert await sweep.run() == 1
    assert (await answer(bot, tenant, "查客户 张三")).startswith("套餐已于 2027-01-07 到期并暂停")
    assert "（已暂停）" in await answer(bot, tenant, "套餐")

    await answer(bot, tenant, "续费 1个月")
    await answer(bot, tenant, "确认")
    assert "已确认收款并生效" in await answer(bot, tenant, "确认收款 2", user="ops")
    assert await answer(bot, tenant, "查客户 张三") == "查找：张三"
    row = await Subscription.get(tenant_id=tenant.id)
    assert (row.status, row.period_start, row.period_end) == (
        Status.ACTIVE,
        date(2027, 1, 15),
        date(2027, 2, 15),
    )
    actions = (
        await AuditLog.filter(tenant_id=tenant.id).order_by("id").values_list("action", flat=True)
    )
    assert actions[0] == "trial_started"
    assert {"status_active", "status_grace", "status_suspended", "order_renewal"} <= set(actions)


async def test_cancelled_answers_only_how_to_renew(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    billing = Billing(settings.subscription, clock)
    bot = build_dispatcher(billing, clock)
    await answer(bot, tenant, "套餐")  # starts the trial
    clock.advance(timedelta(days=15 + 30))
    reply = await answer(bot, tenant, "帮助", user="lisi")
    assert reply.startswith("服务已停用（套餐于 2026-12-07 到期）。数据都完好保留")
    assert "（已停用）" in await answer(bot, tenant, "套餐")
    assert "【报价】续费 1 个月" in await answer(bot, tenant, "续费")


async def answer_all(bot: Dispatcher, tenant: TenantInfo, body: str) -> list[str]:
    return [r.text for r in await say(bot, tenant, body)]


async def test_fewer_seats_from_the_next_period_free_the_latest_seats(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    billing = Billing(settings.subscription, clock)
    bot = build_dispatcher(billing, clock)
    start, end = date(2026, 11, 1), date(2026, 12, 1)
    await subscribe(
        billing, tenant.id, start, end, prepaid_periods=1, pending=Plan("standard", 1, "month")
    )
    await answer(bot, tenant, "查客户 a", user="lisi")
    clock.advance(timedelta(minutes=1))
    await answer(bot, tenant, "查客户 b", user="wangwu")
    clock.set(at(end))
    assert await LifecycleSweep(billing, recording_sender(clock)[0]).run() == 1
    row = await Subscription.get(tenant_id=tenant.id)
    assert (row.seats, row.pending, row.period_start) == (1, None, end)
    holders = await SeatAssignment.filter(tenant_id=tenant.id).values_list(
        "employee__userid", flat=True
    )
    assert holders == ["lisi"]
    assert (await answer(bot, tenant, "查客户 c", user="wangwu")).startswith("席位已满（已用 1/1）")
