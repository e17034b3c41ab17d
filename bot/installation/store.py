"""Writing jobs: a new job under the day's next number, and the installer's calendar.

Every function here runs inside the handler's transaction (the inbox opens it), so a job and
the replies that announce it commit together or not at all.

No double booking: a dispatch (or 改约) first locks the installer's employee row (``SELECT …
FOR UPDATE`` on PostgreSQL; SQLite runs one write transaction at a time), then looks for
another booked job whose window, widened by the travel time, meets the new one. Two
dispatchers booking one installer at once are thus served one after the other, and the
second sees the first's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.installation.asking import MAX_WINDOW
from bot.installation.numbers import format_number, next_seq
from models.crm.customers import Customer
from models.installation import BOOKED_STATES, InstallJob
from models.tenants import Employee

NUMBER_ATTEMPTS = 3


def utc(when: datetime | None) -> datetime | None:
    """Times are stored in UTC: SQLite compares the stored text, so one offset for all."""
    return when.astimezone(UTC) if when is not None else None


@dataclass(frozen=True, slots=True)
class NewJob:
    customer: Customer
    start: datetime | None
    end: datetime | None
    items: str
    address: str
    contact: str
    order_id: int | None = None


async def create_job(
    tenant_id: int, asked: NewJob, creator: Employee | None, now: datetime, today: date
) -> InstallJob:
    """A 待排期 job under the day's next number; a racing twin's insert is refused by the
    unique index (inside a savepoint) and takes the next number."""
    fields: dict[str, Any] = {
        "tenant_id": tenant_id,
        "customer_id": asked.customer.id,
        "order_id": asked.order_id,
        "address": asked.address,
        "items": asked.items,
        "contact": asked.contact,
        "window_start": utc(asked.start),
        "window_end": utc(asked.end),
        "creator_id": creator.id if creator else None,
        "created_at": now,
        "updated_at": now,
    }
    for attempt in range(NUMBER_ATTEMPTS):
        seq = await next_seq(tenant_id, today)
        try:
            async with in_transaction():
                return await InstallJob.create(
                    **fields, day=today, seq=seq, number=format_number(today, seq)
                )
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def lock_installer(installer: Employee) -> None:
    """Serialises every booking of this installer until the transaction ends."""
    await Employee.filter(id=installer.id).select_for_update().first()


async def clash(
    job: InstallJob, installer_id: int, start: datetime, end: datetime, travel: timedelta
) -> InstallJob | None:
    """Another booked job of the installer too close to [start, end) to get there between.
    Bounds go to the database in UTC: SQLite compares the stored text."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    found: InstallJob | None = (
        await InstallJob.filter(
            tenant_id=job.tenant_id,
            installer_id=installer_id,
            state__in=BOOKED_STATES,
            window_start__gte=start - travel - MAX_WINDOW,  # keeps the index range short
            window_start__lt=end + travel,
            window_end__gt=start - travel,
        )
        .exclude(id=job.id)
        .order_by("window_start")
        .first()
    )
    return found
