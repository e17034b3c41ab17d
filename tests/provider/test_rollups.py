"""Daily roll-ups: a tenant's day in its own timezone, equal to the sum of its events however
often it is rebuilt; the nightly job rolls up each tenant's yesterday once; old events go
after the retention while their roll-ups stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tortoise.exceptions import IntegrityError

from bot.cli.provider import rebuild
from bot.clock import FrozenClock
from bot.provider.rollup import (
    CATCH_UP_DAYS,
    CORE_ACTION_NAMES,
    OwnedCount,
    purge_events,
    roll_up_day,
    roll_up_missing,
)
from bot.subscription.service import Billing
from bot.subscription.settings import SubscriptionSettings
from bot.tenants import TenantInfo
from models.provider import Outcome, TenantDailyUsage, TenantUsageWindow, UsageEvent
from models.tenants import Tenant

pytestmark = pytest.mark.db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
# 00:00 and 23:59 of Monday in Shanghai, and the first minute of Tuesday.
MONDAY_START = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
MONDAY_LAST = datetime(2026, 11, 23, 15, 59, tzinfo=UTC)
TUESDAY_START = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)

MONDAY_EVENTS = (
    ("lisi", "calls", "callcenter", "calls.log_call", Outcome.OK, MONDAY_START),
    ("lisi", "calls", "callcenter", "calls.my_calls", Outcome.OK, MONDAY_START),
    ("lisi", "tickets", "tickets", "tickets.resolve_ticket", Outcome.OK, MONDAY_LAST),
    ("wangwu", "followups", "crm", "followups.complete_followup", Outcome.OK, MONDAY_LAST),
    ("wangwu", "followups", "crm", "followups.complete_followup", Outcome.OK, MONDAY_LAST),
    (
        "zhaoliu",
        "installation",
        "installation",
        "installation.book",
        Outcome.REFUSED_MODULE,
        MONDAY_LAST,
    ),
    (
        "zhaoliu",
        "installation",
        "installation",
        "installation.list",
        Outcome.REFUSED_MODULE,
        MONDAY_START,
    ),
    ("zhaoliu", "calls", "callcenter", "calls.my_calls", Outcome.REFUSED_SEAT, MONDAY_START),
    ("lisi", "orders", "orders", "orders.create_sales_order", Outcome.ERROR, MONDAY_START),
    ("zhaoliu", "core", "core", "core.help", Outcome.REFUSED, MONDAY_START),
)
OTHER_DAYS = (
    (
        "lisi",
        "calls",
        "callcenter",
        "calls.log_call",
        Outcome.OK,
        MONDAY_START - timedelta(minutes=1),
    ),
    ("lisi", "calls", "callcenter", "calls.log_call", Outcome.OK, TUESDAY_START),
)


async def store(rows: tuple[tuple[str, str, str, str, Outcome, datetime], ...]) -> None:
    for userid, capability, module, intent, outcome, at in rows:
        await UsageEvent.create(
            tenant_id=1,
            userid=userid,
            capability=capability,
            module=module,
            intent=intent,
            outcome=outcome,
            latency_ms=3,
            at=at,
        )


def owning(count: int) -> OwnedCount:
    async def owned(tenant_id: int, timezone: ZoneInfo) -> int:
        return count

    return owned


async def test_a_day_is_the_sum_of_its_events_however_often_it_is_rebuilt(
    tenant: TenantInfo,
) -> None:
    await store(MONDAY_EVENTS + OTHER_DAYS)
    now = TUESDAY_START + timedelta(hours=1)
    await roll_up_day(1, MONDAY, SHANGHAI, 8, now)
    row = await roll_up_day(1, MONDAY, SHANGHAI, 8, now)
    assert await TenantDailyUsage.filter(tenant_id=1).count() == 1

    monday = UsageEvent.filter(tenant_id=1, at__gte=MONDAY_START, at__lt=TUESDAY_START)
    ran = monday.filter(outcome=Outcome.OK)
    assert row.commands == await ran.count() == 5
    assert row.active_members == len(set(await ran.values_list("userid", flat=True))) == 2
    assert row.errors == await monday.filter(outcome=Outcome.ERROR).count() == 1
    assert row.refused_seats == await monday.filter(outcome=Outcome.REFUSED_SEAT).count()
    assert (
        sum(row.refused_modules.values())
        == await monday.filter(outcome=Outcome.REFUSED_MODULE).count()
    )
    assert row.by_capability == {"calls": 2, "followups": 2, "tickets": 1}
    assert sum(row.by_capability.values()) == row.commands
    assert (row.capabilities_used, row.capabilities_owned) == (3, 8)
    assert row.refused_modules == {"installation": 2}
    assert row.core_actions == {
        "followups_done": 2,
        "tickets_resolved": 1,
        "orders": 0,  # the order that failed is no order
        "installations": 0,
        "calls": 1,
    }
    assert tuple(row.core_actions) == CORE_ACTION_NAMES


async def test_the_day_follows_the_tenants_timezone(tenant: TenantInfo) -> None:
    await store(MONDAY_EVENTS)
    row = await roll_up_day(1, MONDAY, ZoneInfo("Europe/Berlin"), 8, TUESDAY_START)
    # Berlin's Monday starts at 07:00 Shanghai time: the events at Shanghai midnight are
    # Sunday's there.
    assert row.commands == 3
    assert row.by_capability == {"followups": 2, "tickets": 1}


async def test_the_nightly_job_rolls_up_each_day_once_after_midnight(
    tenant: TenantInfo,
) -> None:
    await store(MONDAY_EVENTS + OTHER_DAYS)
    tenants = await Tenant.all().count()  # every configured tenant gets its days
    before_midnight = TUESDAY_START - timedelta(minutes=1)
    # The first run catches up on the week up to Sunday; after midnight only Monday is new.
    assert await roll_up_missing(owning(8), before_midnight) == tenants * CATCH_UP_DAYS
    after_midnight = TUESDAY_START + timedelta(minutes=30)
    assert await roll_up_missing(owning(8), after_midnight) == tenants
    assert await roll_up_missing(owning(8), after_midnight + timedelta(hours=1)) == 0
    days = await TenantDailyUsage.filter(tenant_id=1, commands__gt=0).values_list("day", "commands")
    assert sorted(days) == [(MONDAY - timedelta(days=1), 1), (MONDAY, 5)]
    # Then the 30 days up to Monday, for the operators' lists: Tuesday's call is not in them.
    window = await TenantUsageWindow.get(tenant_id=1)
    assert (window.as_of, window.active_7, window.active_30) == (MONDAY, 2, 2)
    assert (window.commands_last_14, window.commands_previous_14) == (6, 0)
    assert (window.capabilities_used, window.capabilities_owned) == (3, 8)
    assert (window.refused_modules, window.refused_seats) == ({"installation": 2}, 1)
    # Down for two days: both are rolled up when it is back.
    await TenantDailyUsage.filter(day__gte=MONDAY).delete()
    assert await roll_up_missing(owning(8), after_midnight + timedelta(days=1)) == tenants * 2


async def test_the_cli_rebuilds_a_day(
    tenant: TenantInfo, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    await store(MONDAY_EVENTS)
    billing = Billing(SubscriptionSettings(), clock)
    assert await rebuild(billing, FrozenClock(TUESDAY_START), MONDAY) == 0
    assert "2026-11-23 acme: 2 active members, 5 commands, 3 refused\n" in (capsys.readouterr().out)
    await UsageEvent.filter(userid="wangwu").delete()
    assert await rebuild(billing, FrozenClock(TUESDAY_START), MONDAY) == 0
    assert "2026-11-23 acme: 1 active members, 3 commands" in capsys.readouterr().out
    row = await TenantDailyUsage.get(tenant_id=1, day=MONDAY)
    assert row.core_actions["followups_done"] == 0
    assert row.capabilities_owned >= 1


async def test_events_past_the_retention_are_deleted_and_roll_ups_stay(
    tenant: TenantInfo,
) -> None:
    await store(MONDAY_EVENTS + OTHER_DAYS)
    await roll_up_day(1, MONDAY, SHANGHAI, 8, TUESDAY_START)
    later = MONDAY_LAST + timedelta(days=180)
    assert await purge_events(later, 180) == len(MONDAY_EVENTS) - 4 + 1
    assert await UsageEvent.all().count() == 5  # Monday 23:59 (×4) and Tuesday are kept
    assert await TenantDailyUsage.filter(day=MONDAY).count() == 1


async def test_one_window_per_client_when_two_replicas_build_it_at_once(
    tenant: TenantInfo,
) -> None:
    await store(MONDAY_EVENTS)
    after_midnight = TUESDAY_START + timedelta(minutes=30)
    await asyncio.gather(
        roll_up_missing(owning(8), after_midnight), roll_up_missing(owning(8), after_midnight)
    )
    assert await TenantUsageWindow.filter(tenant_id=1).count() == 1
    window = await TenantUsageWindow.get(tenant_id=1)
    assert (window.as_of, window.active_30) == (MONDAY, 2)
    # The table itself refuses a second row for a client.
    with pytest.raises(IntegrityError):
        await TenantUsageWindow.create(
            tenant_id=1, as_of=MONDAY, built_at=after_midnight, modules_used=[]
        )
