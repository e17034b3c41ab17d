"""The daily call table (``call_day``): per tenant, employee and tenant-local day, kept as
calls end and rebuilt from the log when asked.

Every write of a call's final state (``bot.calls.store``) runs in one transaction that
first locks the tenant's ``call_settings`` row, then rewrites the day rows the call was
counted in before and is counted in now, each recomputed from ``call_record`` (one
employee's day: a small indexed range). So:

- a redelivered ``ended`` event or a re-synced 公费电话 record rewrites the same figures;
- a late correction (another start time, employee or length) moves the call from the old
  row to the new one, never counting it twice;
- two calls ending at once on two replicas are serialised by the tenant lock (PostgreSQL),
  or by SQLite's single writer, so neither overwrites the other's count.

``rebuild`` recomputes a tenant's rows from the log day by day, under the same lock: it is
what a new 有效通话 threshold runs (in the transaction that saves it) and what
``scrm-bot calls rebuild-stats`` runs. ``tests/calls/test_call_days.py`` proves the table
equals the sum of the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max, Min, Sum
from tortoise.transactions import in_transaction

from bot.calls.stats import Figures, Period, figures_by_employee, moment
from models.calls import CallDay, CallRecord, CallSettings, CallStage
from models.tenants import Tenant

NOBODY = 0  # member_id of calls no employee made or took

Cell = tuple[int, date]  # (member_id, tenant-local day)


async def zone_of(tenant_id: int) -> ZoneInfo:
    return ZoneInfo((await Tenant.get(id=tenant_id)).timezone)


async def locked_settings(tenant_id: int, now: datetime) -> CallSettings:
    """The tenant's settings row, created if missing, locked until the transaction ends."""
    found = await CallSettings.select_for_update().get_or_none(tenant_id=tenant_id)
    if found is not None:
        return found
    try:
        async with in_transaction():  # a savepoint: losing the race leaves the outer one usable
            await CallSettings.create(tenant_id=tenant_id, updated_at=now)
    except IntegrityError:
        pass
    return await CallSettings.select_for_update().get(tenant_id=tenant_id)


def cell_of(call: CallRecord, tz: ZoneInfo) -> Cell | None:
    """Where an ended call counts; None while it is still ringing or talking."""
    if call.stage is not CallStage.ENDED:
        return None
    return call.employee_id or NOBODY, call.started_at.astimezone(tz).date()


def counted(call: CallRecord, tz: ZoneInfo) -> tuple[object, ...] | None:
    """What of a call the table depends on: unchanged means nothing to rewrite."""
    cell = cell_of(call, tz)
    if cell is None:
        return None
    return cell, call.started_at, call.disposition, call.talk_secs


def _bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return Period("", day, day + timedelta(days=1)).bounds(tz)


async def refresh(
    tenant_id: int, cells: Iterable[Cell | None], threshold: int, tz: ZoneInfo, now: datetime
) -> None:
    """Rewrite these day rows from the log. Call inside the transaction that holds
    ``locked_settings`` and wrote the call."""
    for cell in {c for c in cells if c is not None}:
        member, day = cell
        start, end = _bounds(day, tz)
        found = await figures_by_employee(
            tenant_id, start, end, threshold, member or None, nobody=member == NOBODY
        )
        figures = found.get(member or None)
        if figures is None or figures.calls == 0:
            await CallDay.filter(tenant_id=tenant_id, member_id=member, day=day).delete()
            continue
        values = _row_values(figures, now)
        updated = await CallDay.filter(tenant_id=tenant_id, member_id=member, day=day).update(
            **values
        )
        if not updated:
            await CallDay.create(tenant_id=tenant_id, member_id=member, day=day, **values)


def _row_values(figures: Figures, now: datetime) -> dict[str, Any]:
    return {
        "calls": figures.calls,
        "connected": figures.connected,
        "talk_secs": figures.talk_secs,
        "effective": figures.effective,
        "effective_secs": figures.effective_secs,
        "first_at": figures.first_at,
        "last_at": figures.last_at,
        "updated_at": now,
    }


async def rebuild_locked(tenant_id: int, threshold: int, tz: ZoneInfo, now: datetime) -> int:
    """The tenant's rows recomputed from the log, one grouped query per local day. Call
    inside a transaction holding ``locked_settings``. Returns the number of rows."""
    await CallDay.filter(tenant_id=tenant_id).delete()
    span = (
        await CallRecord.filter(tenant_id=tenant_id, stage=CallStage.ENDED)
        .annotate(first=Min("started_at"), last=Max("started_at"))
        .values("first", "last")
    )
    first, last = (moment(span[0]["first"]), moment(span[0]["last"])) if span else (None, None)
    if first is None or last is None:
        return 0
    day, last_day = first.astimezone(tz).date(), last.astimezone(tz).date()
    written = 0
    while day <= last_day:
        start, end = _bounds(day, tz)
        found = await figures_by_employee(tenant_id, start, end, threshold)
        rows = [
            CallDay(tenant_id=tenant_id, member_id=member or NOBODY, day=day,
                    **_row_values(figures, now))
            for member, figures in found.items()
        ]  # fmt: skip
        if rows:
            await CallDay.bulk_create(rows)
            written += len(rows)
        day += timedelta(days=1)
    return written


async def rebuild(tenant_id: int, now: datetime, threshold: int | None = None) -> int:
    """Rebuild under the tenant lock; with ``threshold``, save it in the same transaction."""
    tz = await zone_of(tenant_id)
    async with in_transaction():
        settings = await locked_settings(tenant_id, now)
        if threshold is not None:
            settings.effective_secs = threshold
            settings.updated_at = now
            await settings.save(update_fields=["effective_secs", "updated_at"])
        return await rebuild_locked(tenant_id, settings.effective_secs, tz, now)


async def figures_from_days(
    tenant_id: int, period: Period, employee_id: int | None = None
) -> dict[int | None, Figures]:
    """The period's figures per employee (None: nobody's), summed from the daily table."""
    query = CallDay.filter(tenant_id=tenant_id, day__gte=period.start, day__lt=period.end)
    if employee_id is not None:
        query = query.filter(member_id=employee_id)
    rows = (
        await query.annotate(
            s_calls=Sum("calls"),
            s_connected=Sum("connected"),
            s_talk=Sum("talk_secs"),
            s_effective=Sum("effective"),
            s_effective_secs=Sum("effective_secs"),
            s_first=Min("first_at"),
            s_last=Max("last_at"),
        )
        .group_by("member_id")
        .values(
            "member_id", "s_calls", "s_connected", "s_talk", "s_effective", "s_effective_secs",
            "s_first", "s_last",
        )
    )  # fmt: skip
    return {
        (row["member_id"] or None): Figures(
            calls=int(row["s_calls"] or 0),
            connected=int(row["s_connected"] or 0),
            talk_secs=int(row["s_talk"] or 0),
            effective=int(row["s_effective"] or 0),
            effective_secs=int(row["s_effective_secs"] or 0),
            first_at=moment(row["s_first"]),
            last_at=moment(row["s_last"]),
        )
        for row in rows
        if row["s_calls"]
    }
