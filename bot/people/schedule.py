"""When a tenant's address book is synced without anyone asking: soon after start-up when it
never finished a sync, when a run died half way (once its lease ran out), half an hour after
WeCom refused one, and nightly at ``SYNC_HOUR`` local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models.people import DirectorySync, SyncStatus

SYNC_HOUR = 2  # local time, before the customer sync at 3
# After WeCom refused a sync (no permission, a bad secret) the scheduler waits this long before
# trying again on its own, instead of asking every minute; 同步通讯录 still runs at once.
RETRY_AFTER = timedelta(minutes=30)


def _midnight(now: datetime, tz: ZoneInfo) -> datetime:
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


async def sync_due(tenant_id: int, tz: ZoneInfo, now: datetime) -> bool:
    row = await DirectorySync.get_or_none(tenant_id=tenant_id)
    # A failed run released its lease at the moment it stopped.
    failed_at = row.lease_until if row is not None and row.error else None
    if failed_at is not None and now < failed_at + RETRY_AFTER:
        return False
    if row is None or row.finished_at is None:
        return row is None or row.lease_until is None or row.lease_until <= now
    if row.status == SyncStatus.RUNNING:
        return row.lease_until is None or row.lease_until <= now
    if now.astimezone(tz).hour != SYNC_HOUR:
        return False
    return row.finished_at < _midnight(now, tz)
