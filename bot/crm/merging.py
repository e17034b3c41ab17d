"""Deleting and merging customers without losing history.

A deleted customer is archived: it stays in the database with its timeline, and search and
lists no longer show it. A merge moves everything that points at the first customer (notes,
tags, follow-ups and their recurring rules, tickets) to the second and archives the first
with a note naming the second. The handler's transaction covers every UPDATE here, so a
merge happens entirely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.crm.book import add_note, employee_label
from bot.crm.valuation import refresh_value
from models.crm.customers import Customer, CustomerNote, NoteKind
from models.crm.tags import CustomerTag
from models.followups import Followup, RecurringRule
from models.tenants import Employee
from models.tickets import Ticket

DELETED_NOTE = "由 {by} 删除（动态保留）"
MERGED_AWAY_NOTE = "已合并到「{into}」（客户编号 {id}）"
MERGED_IN_NOTE = "「{name}」（客户编号 {id}）合并进来"
# Fields the surviving customer takes from the merged one when it has none of its own.
FILLED = ("phone", "company", "source")


@dataclass(frozen=True, slots=True)
class Moved:
    notes: int
    tags: int
    followups: int
    tickets: int


async def archive_customer(customer: Customer, now: datetime, employee: Employee | None) -> None:
    await Customer.filter(id=customer.id).update(archived_at=now, updated_at=now)
    customer.archived_at = now
    await add_note(
        customer, NoteKind.DELETE, DELETED_NOTE.format(by=employee_label(employee)), now, employee
    )


async def _move_tags(source: Customer, target: Customer) -> int:
    """The first customer's tags the second lacks move; the duplicates go with the first."""
    have = set(await CustomerTag.filter(customer_id=target.id).values_list("tag_id", flat=True))
    moving = CustomerTag.filter(customer_id=source.id).exclude(tag_id__in=list(have) or [0])
    moved = await moving.update(customer_id=target.id)
    await CustomerTag.filter(customer_id=source.id).delete()
    return moved


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


async def _fill_gaps(source: Customer, target: Customer, now: datetime) -> None:
    values: dict[str, object] = {
        field: getattr(source, field)
        for field in FILLED
        if not getattr(target, field) and getattr(source, field)
    }
    values["next_followup_at"] = _earliest(source.next_followup_at, target.next_followup_at)
    values["last_interaction_at"] = _latest(source.last_interaction_at, target.last_interaction_at)
    values["updated_at"] = now
    await Customer.filter(id=target.id).update(**values)
    for name, value in values.items():
        setattr(target, name, value)


async def _move_followups(source: Customer, target: Customer) -> int:
    """Follow-ups, and the recurring rules that will make more of them."""
    scope = {"tenant_id": source.tenant_id, "customer_id": source.id}
    moved = await Followup.filter(**scope).update(customer_id=target.id)
    await RecurringRule.filter(**scope).update(customer_id=target.id)
    return moved


async def merge_customers(
    source: Customer, target: Customer, now: datetime, employee: Employee | None
) -> Moved:
    """Moves ``source``'s history to ``target`` and archives ``source``."""
    moved = Moved(
        notes=await CustomerNote.filter(customer_id=source.id).update(customer_id=target.id),
        tags=await _move_tags(source, target),
        followups=await _move_followups(source, target),
        tickets=await Ticket.filter(tenant_id=source.tenant_id, customer_id=source.id).update(
            customer_id=target.id
        ),
    )
    await _fill_gaps(source, target, now)
    await Customer.filter(id=source.id).update(archived_at=now, updated_at=now)
    source.archived_at = now
    away = MERGED_AWAY_NOTE.format(into=target.display_name, id=target.id)
    await add_note(source, NoteKind.MERGE, away, now, employee)
    merged_in = MERGED_IN_NOTE.format(name=source.display_name, id=source.id)
    await add_note(target, NoteKind.MERGE, merged_in, now, employee)
    await refresh_value(target, now)
    return moved
