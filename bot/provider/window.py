"""A client's last 30 days in figures: who was active, which paid modules they used, what was
refused, and the trend and breadth the roll-ups show.

Two ways to the same figures. Live, from the raw events up to this moment, for one client's
profile (企业概况) or a client not yet summed tonight. Stored, in ``tenant_usage_window`` (one row
per client, rebuilt by the nightly job as of the end of the client's yesterday), for the
operators' lists: 客户健康 over thousands of clients reads one small row each instead of
counting distinct members and modules across every client's events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from bot.dispatch.router import CORE_MODULE
from models.provider import Outcome, TenantDailyUsage, TenantUsageWindow, UsageEvent

WINDOW_DAYS = 30


async def count_by_tenant(query: QuerySet[Any]) -> dict[int, int]:
    rows = await query.annotate(n=Count("id")).group_by("tenant_id").values_list("tenant_id", "n")
    return {int(tenant): int(n) for tenant, n in rows}


@dataclass(slots=True)
class EventFigures:
    """One client's events over the window, summed by the database."""

    active_7: int = 0
    active_30: int = 0
    modules_used: set[str] = field(default_factory=set)
    refused_modules: Counter[str] = field(default_factory=Counter)
    refused_seats: int = 0


async def event_figures(
    ids: Sequence[int], since_30: datetime, since_7: datetime, until: datetime | None = None
) -> dict[int, EventFigures]:
    """Many clients' figures in five grouped queries, whatever their number."""
    month = UsageEvent.filter(tenant_id__in=ids, at__gte=since_30)
    if until is not None:
        month = month.filter(at__lt=until)
    ran = month.filter(outcome=Outcome.OK)
    found: dict[int, EventFigures] = {}

    def of(tenant_id: Any) -> EventFigures:
        return found.setdefault(int(tenant_id), EventFigures())

    members = Count("userid", distinct=True)
    for tenant_id, n in (
        await ran.annotate(n=members).group_by("tenant_id").values_list("tenant_id", "n")
    ):
        of(tenant_id).active_30 = int(n)
    week = ran.filter(at__gte=since_7)
    for tenant_id, n in (
        await week.annotate(n=members).group_by("tenant_id").values_list("tenant_id", "n")
    ):
        of(tenant_id).active_7 = int(n)
    for tenant_id, module in await ran.distinct().values_list("tenant_id", "module"):
        if module != CORE_MODULE:
            of(tenant_id).modules_used.add(str(module))
    refused = month.filter(outcome=Outcome.REFUSED_MODULE).annotate(n=Count("id"))
    for tenant_id, module, n in await refused.group_by("tenant_id", "module").values_list(
        "tenant_id", "module", "n"
    ):
        of(tenant_id).refused_modules[str(module)] = int(n)
    seats = month.filter(outcome=Outcome.REFUSED_SEAT)
    for tenant_id, n in (await count_by_tenant(seats)).items():
        of(tenant_id).refused_seats = n
    return found


@dataclass(frozen=True, slots=True)
class UsageWindow:
    """What the roll-ups of the 28 days up to yesterday say."""

    last_14: int  # commands
    previous_14: int
    capabilities_used: int  # distinct, in the last 30 days
    capabilities_owned: int  # on the latest day rolled up


class DayRow(NamedTuple):
    """What the window reads of one roll-up."""

    day: date
    commands: int
    capabilities_owned: int
    by_capability: dict[str, int]


def usage_window(days: Sequence[DayRow], yesterday: date) -> UsageWindow:
    recent_start = yesterday - timedelta(days=13)
    previous_start = recent_start - timedelta(days=14)
    month_start = yesterday - timedelta(days=WINDOW_DAYS - 1)
    last = sum(d.commands for d in days if recent_start <= d.day <= yesterday)
    before = sum(d.commands for d in days if previous_start <= d.day < recent_start)
    used = {c for d in days if month_start <= d.day <= yesterday for c in d.by_capability}
    latest = max(days, key=lambda d: d.day, default=None)
    owned = latest.capabilities_owned if latest is not None else 0
    return UsageWindow(last, before, len(used), owned)


async def rolled_up_windows(yesterdays: Mapping[int, date]) -> dict[int, UsageWindow]:
    """Each client's window from its roll-ups of the 30 days up to its yesterday: one query
    per date that is some client's yesterday (far-apart timezones), not one per client."""
    by_day: dict[date, list[int]] = {}
    for tenant_id, yesterday in yesterdays.items():
        by_day.setdefault(yesterday, []).append(tenant_id)
    days: dict[int, list[DayRow]] = {}
    for yesterday, ids in by_day.items():
        rows = await TenantDailyUsage.filter(
            tenant_id__in=ids,
            day__gte=yesterday - timedelta(days=WINDOW_DAYS - 1),
            day__lte=yesterday,
        ).values_list("tenant_id", "day", "commands", "capabilities_owned", "by_capability")
        for tenant_id, day, commands, owned, by_capability in rows:
            days.setdefault(tenant_id, []).append(DayRow(day, commands, owned, by_capability))
    return {t: usage_window(days.get(t, []), y) for t, y in yesterdays.items()}


async def build_window(
    tenant_id: int, timezone: ZoneInfo, as_of: date, now: datetime
) -> TenantUsageWindow:
    """Write (or rewrite) the client's figures as of the end of ``as_of``, its local day."""
    end = _midnight_after(as_of, timezone)
    since_30 = _midnight_after(as_of - timedelta(days=WINDOW_DAYS), timezone)
    since_7 = _midnight_after(as_of - timedelta(days=7), timezone)
    events = (await event_figures([tenant_id], since_30, since_7, end)).get(
        tenant_id, EventFigures()
    )
    window = (await rolled_up_windows({tenant_id: as_of}))[tenant_id]
    row, _ = await TenantUsageWindow.update_or_create(
        defaults={
            "as_of": as_of,
            "active_7": events.active_7,
            "active_30": events.active_30,
            "modules_used": sorted(events.modules_used),
            "refused_modules": dict(sorted(events.refused_modules.items())),
            "refused_seats": events.refused_seats,
            "commands_last_14": window.last_14,
            "commands_previous_14": window.previous_14,
            "capabilities_used": window.capabilities_used,
            "capabilities_owned": window.capabilities_owned,
            "built_at": now,
        },
        tenant_id=tenant_id,
    )
    return row


def day_bounds(day: date, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a local day starts and ends (a DST day is 23 or 25 hours long), in UTC
    as stored: SQLite compares the stored text, so the offsets must agree."""
    start = datetime.combine(day, time(), timezone)
    end = datetime.combine(day + timedelta(days=1), time(), timezone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _midnight_after(day: date, timezone: ZoneInfo) -> datetime:
    return day_bounds(day, timezone)[1]
