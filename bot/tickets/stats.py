"""``工单统计``: the open backlog by status, then the last N days: average first response and
resolution time, SLA hit rates, and the same per assignee.

Everything is aggregated in SQL over the (tenant, status, assignee), (tenant, created_at) and
(tenant, resolved_at, assignee) indexes; the SLA columns were measured when each clock
stopped, so no row is read back into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q, RawSQL
from tortoise.functions import Avg, Count

from bot.tickets.listing import overdue
from models.tenants import Employee
from models.tickets import OPEN_STATUSES, Ticket, TicketStatus

DEFAULT_DAYS = 30
# Grouping by the bare column lets SQLite pick the (tenant, assignee, ...) index to skip a
# sort, and then walk every ticket of the tenant; "+ 0" keeps the index of the WHERE (the
# open statuses, or the window) in charge, and the few groups are sorted in memory.
_UNINDEXED_ASSIGNEE = RawSQL('"assignee_id" + 0')
TOP_ASSIGNEES = 10


@dataclass(frozen=True, slots=True)
class ClockStats:
    average_seconds: float | None
    met: int
    measured: int


@dataclass(frozen=True, slots=True)
class AssigneeStats:
    name: str
    open: int
    resolved: int
    average_resolution: float | None
    met: int
    measured: int


@dataclass(frozen=True, slots=True)
class TicketStats:
    days: int
    backlog: dict[TicketStatus, int]
    overdue: int
    created: int
    resolved: int
    response: ClockStats
    resolution: ClockStats
    assignees: list[AssigneeStats]


async def _one(query: Any, **aggregates: Any) -> dict[str, Any]:
    rows = await query.annotate(**aggregates).values(*aggregates)
    return dict(rows[0]) if rows else dict.fromkeys(aggregates)


async def _backlog(tenant_id: int) -> dict[TicketStatus, int]:
    rows = (
        await Ticket.filter(tenant_id=tenant_id, status__in=list(OPEN_STATUSES))
        .annotate(n=Count("id"))
        .group_by("status")
        .values_list("status", "n")
    )
    return {TicketStatus(status): int(n) for status, n in rows}


async def _overdue(tenant_id: int, now: datetime) -> int:
    return await overdue(tenant_id, now).count()


async def _responses(tenant_id: int, since: datetime) -> tuple[int, ClockStats]:
    row = await _one(
        Ticket.filter(tenant_id=tenant_id, created_at__gte=since),
        created=Count("id"),
        average=Avg("response_seconds"),
        met=Count("id", _filter=Q(response_met=True)),
        measured=Count("response_met"),
    )
    clock = ClockStats(_float(row["average"]), int(row["met"] or 0), int(row["measured"] or 0))
    return int(row["created"] or 0), clock


async def _resolutions(tenant_id: int, since: datetime) -> tuple[int, ClockStats]:
    row = await _one(
        Ticket.filter(tenant_id=tenant_id, resolved_at__gte=since),
        resolved=Count("id"),
        average=Avg("resolution_seconds"),
        met=Count("id", _filter=Q(resolution_met=True)),
        measured=Count("resolution_met"),
    )
    clock = ClockStats(_float(row["average"]), int(row["met"] or 0), int(row["measured"] or 0))
    return int(row["resolved"] or 0), clock


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


async def _per_assignee(tenant_id: int, since: datetime) -> list[AssigneeStats]:
    open_rows = (
        await Ticket.filter(tenant_id=tenant_id, status__in=list(OPEN_STATUSES))
        .annotate(who=_UNINDEXED_ASSIGNEE, n=Count("id"))
        .group_by("who")
        .values_list("who", "n")
    )
    done_rows = (
        await Ticket.filter(tenant_id=tenant_id, resolved_at__gte=since)
        .annotate(
            who=_UNINDEXED_ASSIGNEE,
            n=Count("id"),
            average=Avg("resolution_seconds"),
            met=Count("id", _filter=Q(resolution_met=True)),
            measured=Count("resolution_met"),
        )
        .group_by("who")
        .values_list("who", "n", "average", "met", "measured")
    )
    open_by = {int(a): int(n) for a, n in open_rows if a is not None}
    done_by = {int(row[0]): row[1:] for row in done_rows if row[0] is not None}
    busiest = sorted(
        set(open_by) | set(done_by), key=lambda i: (-open_by.get(i, 0) - _n(done_by, i), i)
    )
    ids = busiest[:TOP_ASSIGNEES]
    names = {e.id: e.name or e.userid for e in await Employee.filter(id__in=ids)}
    return [_assignee(names.get(i, str(i)), open_by.get(i, 0), done_by.get(i)) for i in ids]


def _n(done_by: dict[int, Any], employee_id: int) -> int:
    row = done_by.get(employee_id)
    return int(row[0]) if row else 0


def _assignee(name: str, open_count: int, done: Any) -> AssigneeStats:
    if done is None:
        return AssigneeStats(name, open_count, 0, None, 0, 0)
    resolved, average, met, measured = done
    return AssigneeStats(name, open_count, int(resolved), _float(average), int(met), int(measured))


async def ticket_stats(tenant_id: int, now: datetime, days: int = DEFAULT_DAYS) -> TicketStats:
    since = now - timedelta(days=days)
    created, response = await _responses(tenant_id, since)
    resolved, resolution = await _resolutions(tenant_id, since)
    return TicketStats(
        days=days,
        backlog=await _backlog(tenant_id),
        overdue=await _overdue(tenant_id, now),
        created=created,
        resolved=resolved,
        response=response,
        resolution=resolution,
        assignees=await _per_assignee(tenant_id, since),
    )
