"""WeCom 公费电话 into the call log: ``dial/get_dial_record``, pulled on a schedule and on demand.

WeCom returns connected calls only (missed ones never appear), with no record id, in windows
of at most 30 days, 100 a page by offset. Each run re-reads the last ``LOOKBACK`` (windows
overlap, so a call WeCom shows late is still found) and every leg — one per callee — gets a
key built from what identifies it (time, caller, callee, duration): reading a record again, in
any page or run, finds the row already there. Legs to colleagues (a callee ``userid``) are
internal calls, not customer calls, and are left out.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.calls.effects import after_save
from bot.calls.numbers import match_number, normalise
from bot.calls.store import CallIn, save_call, settings_of
from bot.clock import Clock
from bot.subscription.service import Billing
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.calls import CallDirection, CallSource
from models.tenants import Employee, Tenant

log = logging.getLogger(__name__)

API = "dial/get_dial_record"
PAGE = 100
WINDOW = timedelta(days=30)
LOOKBACK = timedelta(days=2)
FORBIDDEN = 48002
MODULE = "callcenter"


@dataclass(slots=True)
class DialReport:
    records: int = 0
    legs: int = 0
    new: int = 0
    pages: int = 0
    forbidden: bool = False
    started: bool = True


def leg_key(call_time: int, caller: str, callee: str, duration: int) -> str:
    digest = hashlib.sha256(f"{call_time}|{caller}|{callee}|{duration}".encode()).hexdigest()
    return f"dial:{digest[:40]}"


def _windows(start: datetime, end: datetime) -> list[tuple[int, int]]:
    spans = []
    while start < end:
        stop = min(start + WINDOW, end)
        spans.append((int(start.timestamp()), int(stop.timestamp())))
        start = stop
    return spans


async def sync_dial(
    client: WeComClient, tenant: TenantInfo, clock: Clock, since: datetime | None = None
) -> DialReport:
    """Pull [since or now − LOOKBACK, now]. Raises ``WeComAPIError`` except for 48002."""
    now = clock.now()
    report = DialReport()
    try:
        for start, end in _windows(since or now - LOOKBACK, now):
            await _window(client, tenant, start, end, now, report)
    except WeComAPIError as exc:
        if exc.errcode != FORBIDDEN:
            raise
        report.forbidden = True
    return report


async def _window(
    client: WeComClient, tenant: TenantInfo, start: int, end: int, now: datetime, report: DialReport
) -> None:
    offset = 0
    while True:
        body = {"start_time": start, "end_time": end, "offset": offset, "limit": PAGE}
        answer = await client.call(tenant.credentials, API, json=body)
        records = answer.get("record") or []
        report.pages += 1
        for record in records:
            report.records += 1
            await _store(tenant, record, now, report)
        if len(records) < PAGE:
            return
        offset += PAGE


async def _store(
    tenant: TenantInfo, record: dict[str, Any], now: datetime, report: DialReport
) -> None:
    call_time = int(record.get("call_time") or 0)
    caller = str((record.get("caller") or {}).get("userid") or "")
    employee = await Employee.get_or_none(tenant_id=tenant.id, userid=caller) if caller else None
    settings = await settings_of(tenant.id)
    for leg in record.get("callee") or []:
        phone = str(leg.get("phone") or "")
        if not phone or leg.get("userid"):
            continue
        duration = max(0, int(leg.get("duration") or 0))
        number = normalise(phone)
        match = await match_number(tenant.id, number, list(settings.own_numbers))
        started = datetime.fromtimestamp(call_time, UTC)
        call, created = await save_call(
            CallIn(
                tenant_id=tenant.id,
                dedup_key=leg_key(call_time, caller, phone, duration),
                source=CallSource.WECOM_DIAL,
                direction=CallDirection.OUTBOUND,
                started_at=started,
                number=number,
                employee_id=employee.id if employee else None,
                customer_id=match.customer.id if match.customer else None,
                answered_at=started,
                ended_at=started + timedelta(seconds=duration),
            ),
            now,
            tenant.timezone,
        )
        report.legs += 1
        report.new += created
        await after_save(call, match, settings, now, tenant.timezone)


class DialSyncSweep:
    """Every tenant whose plan has the call center, one after another; a WeCom error of one
    is logged and the others go on (the next run retries it)."""

    def __init__(
        self, tenants: TenantDirectory, client: WeComClient, billing: Billing, clock: Clock
    ) -> None:
        self._tenants, self._client, self._billing, self._clock = tenants, client, billing, clock

    async def run(self) -> int:
        synced = 0
        for row in await Tenant.all().order_by("id"):
            tenant = await self._tenants.get_by_id(row.id)
            if tenant is None or not await self._billing.grants(tenant.id, tenant.timezone, MODULE):
                continue
            try:
                await sync_dial(self._client, tenant, self._clock)
            except WeComAPIError as exc:
                log.warning("公费电话 sync of %s stopped: %s", tenant.key, exc)
                continue
            synced += 1
        return synced
