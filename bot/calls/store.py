"""Writing calls: one row per dedup key, whichever delivery gets there first.

Two deliveries of the same call (a retried webhook, a pull overlapping the last one) race
to insert the same ``(tenant, dedup_key)``; the loser's insert fails on the unique key and
it updates the winner's row instead. Updates only move a call forward (ringing → answered
→ ended), so an event arriving late or twice never undoes a later one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.calls import days
from models.calls import CallDirection, CallRecord, CallSettings, CallSource, CallStage, Disposition

STAGE_ORDER = {CallStage.RINGING: 0, CallStage.ANSWERED: 1, CallStage.ENDED: 2}


@dataclass(frozen=True, slots=True)
class CallIn:
    """A call (or one event of it) as a source reported it, numbers already normalised."""

    tenant_id: int
    dedup_key: str
    source: CallSource
    direction: CallDirection
    started_at: datetime
    number: str = ""
    line: str = ""
    employee_id: int | None = None
    customer_id: int | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    stage: CallStage = CallStage.ENDED
    said: Disposition | None = None  # busy / failed as the platform told it
    external_id: str | None = None
    note: str = ""
    recording_url: str = ""


@dataclass(frozen=True, slots=True)
class Figures:
    duration_secs: int
    talk_secs: int
    disposition: Disposition


def figures(call: CallIn) -> Figures:
    """Duration start → end, talk answer → end (0 ≤ talk ≤ duration); answered ⇔ talk > 0."""
    if call.stage is not CallStage.ENDED or call.ended_at is None:
        answered = call.stage is CallStage.ANSWERED
        return Figures(0, 0, Disposition.ANSWERED if answered else Disposition.MISSED)
    duration = max(0, int((call.ended_at - call.started_at).total_seconds()))
    talk = 0
    if call.answered_at is not None:
        talk = min(duration, max(0, int((call.ended_at - call.answered_at).total_seconds())))
    if talk > 0:
        return Figures(duration, talk, Disposition.ANSWERED)
    said = call.said if call.said in (Disposition.BUSY, Disposition.FAILED) else None
    return Figures(duration, 0, said or Disposition.MISSED)


async def settings_of(tenant_id: int) -> CallSettings:
    """The tenant's call settings (unsaved defaults when an admin set nothing)."""
    found = await CallSettings.get_or_none(tenant_id=tenant_id)
    return found or CallSettings(tenant_id=tenant_id)


def _utc(moment: datetime) -> datetime:
    """Stored in UTC: SQLite compares times as text, so every row must share one offset."""
    return moment.astimezone(UTC)


def _values(call: CallIn, now: datetime) -> dict[str, Any]:
    shown = figures(call)
    return {
        "source": call.source,
        "external_id": call.external_id,
        "direction": call.direction,
        "number": call.number[:32],
        "line": call.line[:32],
        "employee_id": call.employee_id,
        "customer_id": call.customer_id,
        "started_at": _utc(call.started_at),
        "answered_at": _utc(call.answered_at) if call.answered_at else None,
        "ended_at": _utc(call.ended_at) if call.ended_at else None,
        "duration_secs": shown.duration_secs,
        "talk_secs": shown.talk_secs,
        "disposition": shown.disposition,
        "stage": call.stage,
        "note": call.note[:500],
        "recording_url": call.recording_url[:512],
        "updated_at": _utc(now),
    }


async def save_call(
    call: CallIn, now: datetime, tz: ZoneInfo | None = None
) -> tuple[CallRecord, bool]:
    """The call's row and whether this delivery created it. The daily table is rewritten in
    the same transaction as the call's row whenever what it counts changed."""
    zone = tz or await days.zone_of(call.tenant_id)
    try:
        async with in_transaction():
            settings = await days.locked_settings(call.tenant_id, now)
            twin = await _twin(call)
            if twin is not None and call.source is CallSource.WECOM_DIAL:
                return twin, False  # the platform reported this call already
            if twin is not None:
                return await _adopt(twin, call, settings.effective_secs, zone, now), False
            row = await CallRecord.create(
                tenant_id=call.tenant_id,
                dedup_key=call.dedup_key,
                created_at=_utc(now),
                **_values(call, now),
            )
            await days.refresh(
                call.tenant_id, [days.cell_of(row, zone)], settings.effective_secs, zone, now
            )
        return row, True
    except IntegrityError:
        pass  # another delivery of the same call created it first: update that row instead
    async with in_transaction():
        settings = await days.locked_settings(call.tenant_id, now)
        row = await CallRecord.get(tenant_id=call.tenant_id, dedup_key=call.dedup_key)
        before, cell = days.counted(row, zone), days.cell_of(row, zone)
        row = await _advance(row, call, now)
        if days.counted(row, zone) != before:
            await days.refresh(
                call.tenant_id, [cell, days.cell_of(row, zone)], settings.effective_secs, zone, now
            )
    return row, False


TWIN_SECONDS = 120
_TWINS = {CallSource.WECOM_DIAL: CallSource.WEBHOOK, CallSource.WEBHOOK: CallSource.WECOM_DIAL}


async def _twin(call: CallIn) -> CallRecord | None:
    """The same call as the other source reported it. A 公费电话 record and a telephony
    platform's webhook share no id, so: both outbound, the same outside number and employee,
    starts within ``TWIN_SECONDS``; the nearest start wins. Only for a key not stored yet
    (a retried delivery finds its own row by its key)."""
    other = _TWINS.get(call.source)
    if other is None or call.direction is not CallDirection.OUTBOUND or not call.number:
        return None
    if await CallRecord.exists(tenant_id=call.tenant_id, dedup_key=call.dedup_key):
        return None
    started = _utc(call.started_at)
    window = timedelta(seconds=TWIN_SECONDS)
    query = CallRecord.filter(
        tenant_id=call.tenant_id,
        number=call.number[:32],
        source=other,
        direction=CallDirection.OUTBOUND,
        started_at__gte=started - window,
        started_at__lte=started + window,
    )
    if call.employee_id is not None:
        query = query.filter(employee_id=call.employee_id)
    found = await query.limit(20)
    return min(found, key=lambda r: (abs(r.started_at - started), r.id), default=None)


async def _adopt(
    row: CallRecord, call: CallIn, threshold: int, zone: ZoneInfo, now: datetime
) -> CallRecord:
    """A webhook's first event for a call 公费电话 stored already: the row becomes the
    webhook's (its key, so the next events find it, and its times), counted once."""
    before, cell = days.counted(row, zone), days.cell_of(row, zone)
    await CallRecord.filter(id=row.id).update(
        dedup_key=call.dedup_key, source=call.source, external_id=call.external_id
    )
    await row.refresh_from_db()
    row = await _advance(row, call, now)
    if days.counted(row, zone) != before:
        await days.refresh(call.tenant_id, [cell, days.cell_of(row, zone)], threshold, zone, now)
    return row


def _merged(row: CallRecord, call: CallIn) -> CallIn:
    """What is known of the call once this event is added to the row's: nothing learnt is
    forgotten (a late ``ringing`` keeps the answer time an earlier ``answered`` gave)."""
    return replace(
        call,
        stage=max(row.stage, call.stage, key=STAGE_ORDER.__getitem__),
        started_at=min(row.started_at, call.started_at),
        answered_at=call.answered_at or row.answered_at,
        ended_at=call.ended_at or row.ended_at,
        number=call.number or row.number,
        line=call.line or row.line,
        employee_id=call.employee_id or row.employee_id,
        customer_id=call.customer_id or row.customer_id,
        note=call.note or row.note,
        recording_url=call.recording_url or row.recording_url,
        external_id=call.external_id or row.external_id,
    )


async def _advance(row: CallRecord, call: CallIn, now: datetime) -> CallRecord:
    merged = _merged(row, call)
    values = _values(merged, now)
    # Guarded by the stage read: a concurrent update that moved it on wins, this one re-reads.
    for _ in range(3):
        updated = await CallRecord.filter(
            id=row.id, stage=row.stage, updated_at=row.updated_at
        ).update(**values)
        if updated:
            await row.refresh_from_db()
            return row
        row = await CallRecord.get(id=row.id)
        values = _values(_merged(row, call), now)
    return row


async def claim_once(row: CallRecord, flag: str) -> bool:
    """True for exactly one caller across replicas: a conditional update on ``flag``."""
    updated = await CallRecord.filter(id=row.id, **{flag: False}).update(**{flag: True})
    return updated == 1
