"""Daily roll-ups of usage events, per tenant and day of the tenant's own calendar.

A roll-up is a pure sum of that day's events (``summarise``), written over whatever row was
there, so rebuilding a day any number of times gives the same row: roll-up = Σ events.
Only ``capabilities_owned`` comes from elsewhere: what the tenant's plan covers when the
day is rolled up.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.router import CORE_MODULE, Router
from bot.provider.usage import capability_of_router
from bot.provider.window import build_window, day_bounds
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from models.provider import Outcome, TenantDailyUsage, TenantUsageWindow, UsageEvent
from models.tenants import Tenant

logger = logging.getLogger(__name__)

# The commands whose successful runs are a client's core actions, by the name they are
# counted under.
CORE_ACTIONS: dict[str, str] = {
    "followups.complete_followup": "followups_done",
    "tickets.resolve_ticket": "tickets_resolved",
    "orders.create_sales_order": "orders",
    "installation.complete_job": "installations",
    "calls.log_call": "calls",
}
CORE_ACTION_NAMES = tuple(dict.fromkeys(CORE_ACTIONS.values()))

OPERATORS_CAPABILITY = "provider"
# Days the nightly job looks back for days not yet rolled up (the bot may have been down).
CATCH_UP_DAYS = 7
# How many capabilities a tenant's plan covers today.
OwnedCount = Callable[[int, ZoneInfo], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class EventRow:
    userid: str
    capability: str
    module: str
    intent: str
    outcome: Outcome


@dataclass(slots=True)
class DaySums:
    active_members: int = 0
    commands: int = 0
    errors: int = 0
    by_capability: dict[str, int] = field(default_factory=dict)
    core_actions: dict[str, int] = field(default_factory=dict)
    refused_modules: dict[str, int] = field(default_factory=dict)
    refused_seats: int = 0


def summarise(events: Iterable[EventRow]) -> DaySums:
    """Sum one tenant-day's events. Only commands that ran make a member active and count
    as use; refusals and errors are counted apart."""
    members: set[str] = set()
    used: Counter[str] = Counter()
    core: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    sums = DaySums()
    for event in events:
        if event.outcome is Outcome.OK:
            members.add(event.userid)
            used[event.capability] += 1
            if event.intent in CORE_ACTIONS:
                core[CORE_ACTIONS[event.intent]] += 1
        elif event.outcome is Outcome.REFUSED_MODULE:
            refused[event.module] += 1
        elif event.outcome is Outcome.REFUSED_SEAT:
            sums.refused_seats += 1
        elif event.outcome is Outcome.ERROR:
            sums.errors += 1
    sums.active_members = len(members)
    sums.commands = sum(used.values())
    sums.by_capability = dict(sorted(used.items()))
    sums.core_actions = {name: core[name] for name in CORE_ACTION_NAMES}
    sums.refused_modules = dict(sorted(refused.items()))
    return sums


async def events_of(tenant_id: int, day: date, timezone: ZoneInfo) -> list[EventRow]:
    start, end = day_bounds(day, timezone)
    rows = await UsageEvent.filter(tenant_id=tenant_id, at__gte=start, at__lt=end).values_list(
        "userid", "capability", "module", "intent", "outcome"
    )
    return [EventRow(u, c, m, i, Outcome(o)) for u, c, m, i, o in rows]


async def roll_up_day(
    tenant_id: int, day: date, timezone: ZoneInfo, owned: int, now: datetime
) -> TenantDailyUsage:
    """Write (or rewrite) the tenant's roll-up of ``day`` from its events."""
    sums = summarise(await events_of(tenant_id, day, timezone))
    values = {
        "active_members": sums.active_members,
        "commands": sums.commands,
        "errors": sums.errors,
        "capabilities_used": len(sums.by_capability),
        "capabilities_owned": owned,
        "by_capability": sums.by_capability,
        "core_actions": sums.core_actions,
        "refused_modules": sums.refused_modules,
        "refused_seats": sums.refused_seats,
        "built_at": now,
    }
    async with in_transaction():
        row, _ = await TenantDailyUsage.update_or_create(
            defaults=values, tenant_id=tenant_id, day=day
        )
    return row


def owned_counter(billing: Billing, routers: Iterable[Router]) -> OwnedCount:
    """Counts the capabilities a tenant's current plan covers (core ones included): those
    with a command of a core or granted module, as the dispatcher's routers declare them."""
    modules: dict[str, set[str]] = {}
    for router in routers:
        name = capability_of_router(router)
        # The operators' own commands are open to all but of use to no client.
        if name and name != OPERATORS_CAPABILITY:
            modules.setdefault(name, set()).add(router.module)

    async def owned(tenant_id: int, timezone: ZoneInfo) -> int:
        snapshot = await billing.snapshot(tenant_id)
        term = billing.current(snapshot.term, timezone)
        granted = {CORE_MODULE, *granted_modules(billing.catalog, term.plan)}
        return sum(1 for used in modules.values() if used & granted)

    return owned


async def roll_up_tenants(
    owned: OwnedCount, now: datetime, day: date | None = None
) -> list[TenantDailyUsage]:
    """Rebuild every tenant's roll-up of ``day`` (default: each tenant's yesterday), then its
    30-day window as of its yesterday, which may include that day."""
    built = []
    for tenant in await Tenant.all().order_by("id"):
        timezone = ZoneInfo(tenant.timezone)
        yesterday = now.astimezone(timezone).date() - timedelta(days=1)
        which = day or yesterday
        built.append(
            await roll_up_day(tenant.id, which, timezone, await owned(tenant.id, timezone), now)
        )
        await build_window(tenant.id, timezone, yesterday, now)
    return built


async def roll_up_missing(owned: OwnedCount, now: datetime) -> int:
    """The nightly job: each tenant's days of the last week that are over and not yet rolled
    up (yesterday, or more after the bot was down), then its 30-day window as of yesterday.
    Two replicas may race to the same row; the loser finds it written and moves on. Returns
    how many days it rolled up."""
    made = 0
    windows = dict(await TenantUsageWindow.all().values_list("tenant_id", "as_of"))
    for tenant in await Tenant.all().order_by("id"):
        timezone = ZoneInfo(tenant.timezone)
        yesterday = now.astimezone(timezone).date() - timedelta(days=1)
        first = yesterday - timedelta(days=CATCH_UP_DAYS - 1)
        done = set(
            await TenantDailyUsage.filter(
                tenant_id=tenant.id, day__gte=first, day__lte=yesterday
            ).values_list("day", flat=True)
        )
        missing = [first + timedelta(days=n) for n in range(CATCH_UP_DAYS)]
        for day in (d for d in missing if d not in done):
            try:
                await roll_up_day(tenant.id, day, timezone, await owned(tenant.id, timezone), now)
            except IntegrityError:
                logger.info("usage of tenant %s on %s rolled up elsewhere", tenant.key, day)
                continue
            made += 1
        if windows.get(tenant.id) != yesterday:  # its days are in: the window as of yesterday
            try:
                await build_window(tenant.id, timezone, yesterday, now)
            except IntegrityError:
                logger.info("usage window of tenant %s built elsewhere", tenant.key)
    return made


async def purge_events(now: datetime, retention_days: int) -> int:
    """Delete usage events older than the retention; their roll-ups stay."""
    return await UsageEvent.filter(at__lt=now - timedelta(days=retention_days)).delete()
