"""Follow-up rows: creating, finding by number, closing and moving them."""

from __future__ import annotations

from datetime import datetime

from bot.crm.book import add_note
from bot.db import storable
from bot.nlu.names import NameRef, fits
from models.crm.customers import Customer, NoteKind
from models.followups import Followup, FollowupStatus, ReminderStatus
from models.tenants import Employee

CANDIDATE_LIMIT = 9


async def next_number(tenant_id: int) -> int:
    last = await Followup.filter(tenant_id=tenant_id).order_by("-number").first()
    return last.number + 1 if last else 1


async def customers_named(tenant_id: int, ref: NameRef) -> list[Customer]:
    """Customers the reference fits, exact names first (deleted or merged ones are gone)."""
    rows = await Customer.filter(
        tenant_id=tenant_id, name__startswith=ref.surname, archived_at__isnull=True
    ).limit(50)
    found = [c for c in rows if fits(ref, c.name)]
    return sorted(found, key=lambda c: (c.name != ref.text, c.id))[:CANDIDATE_LIMIT]


async def create_followup(
    owner: Employee,
    content: str,
    due_at: datetime,
    source_text: str,
    now: datetime,
    customer: Customer | None,
) -> Followup:
    followup = await Followup.create(
        tenant_id=owner.tenant_id,
        number=await next_number(owner.tenant_id),
        customer_id=customer.id if customer else None,
        owner_id=owner.id,
        content=content[:255],
        due_at=due_at,
        remind_at=due_at,
        source_text=source_text[:500],
        created_at=now,
    )
    if customer is not None:
        await refresh_next(customer.id)
    return followup


async def by_number(tenant_id: int, number: int) -> Followup | None:
    if not storable(number):
        return None
    return await Followup.get_or_none(tenant_id=tenant_id, number=number)


async def refresh_next(customer_id: int | None) -> None:
    """The customer card's 下次跟进: the earliest open follow-up about the customer."""
    if customer_id is None:
        return
    first = (
        await Followup.filter(customer_id=customer_id, status=FollowupStatus.OPEN)
        .order_by("due_at")
        .first()
    )
    await Customer.filter(id=customer_id).update(next_followup_at=first.due_at if first else None)


async def close(followup: Followup, status: FollowupStatus, now: datetime, note: str = "") -> None:
    followup.status = status
    followup.result_note = note[:500]
    followup.completed_at = now
    followup.reminder_status = ReminderStatus.SENT
    followup.lease_until = None
    await followup.save()
    await refresh_next(followup.customer_id)


async def complete(followup: Followup, now: datetime, note: str, by: Employee | None) -> None:
    """Done, with the result note in the customer's timeline."""
    await close(followup, FollowupStatus.DONE, now, note)
    if followup.customer_id is not None:
        customer = await Customer.get(id=followup.customer_id)
        text = f"#{followup.number} {followup.content}" + (f"：{note}" if note else "")
        await add_note(customer, NoteKind.FOLLOWUP, text, now, by)


async def move(followup: Followup, due_at: datetime) -> None:
    """A new time restarts the reminder from its first stage."""
    followup.due_at = due_at
    followup.remind_at = due_at
    followup.reminder_status = ReminderStatus.PENDING
    followup.lease_until = None
    followup.stage = 0
    followup.late = False
    await followup.save()
    await refresh_next(followup.customer_id)
