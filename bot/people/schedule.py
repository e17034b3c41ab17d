"""When a tenant's address book is synced without anyone asking: soon after start-up when it
never finished a sync, at once when a run died half way (its lease ran out), and nightly at
``SYNC_HOUR`` local time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from models.people import DirectorySync, SyncStatus

SYNC_HOUR = 2  # local time, before the customer sync at 3


def _midnight(now: datetime, tz: ZoneInfo) -> datetime:
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


async def sync_due(tenant_id: int, tz: ZoneInfo, now: datetime) -> bool:
    row = await DirectorySync.get_or_none(tenant_id=tenant_id)
    if row is None or row.finished_at is None:
        return row is None or row.lease_until is None or row.lease_until <= now
    if row.status == SyncStatus.RUNNING:
        return row.lease_until is None or row.lease_until <= now
    if now.astimezone(tz).hour != SYNC_HOUR:
        return False
    return row.finished_at < _midnight(now, tz)
