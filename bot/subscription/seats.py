"""Seats: which employees may use the modules the tenant pays for.

The first employees to use a paid module get a seat automatically until none is left; admins
assign and revoke them by userid. Every change is checked against the seat count with the
subscription row locked, so two replicas assigning at once never hand out one seat twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.subscription.store import audit, locked
from models.subscriptions import SeatAssignment
from models.tenants import Employee, Role

AUTO = "auto"
# WeCom userids: letters, digits and _ - . @, at most 64 characters.


class SeatChange(StrEnum):
    ASSIGNED = "assigned"
    ALREADY = "already"  # held a seat before
    FULL = "full"
    REVOKED = "revoked"
    NOT_HELD = "not_held"


@dataclass(frozen=True, slots=True)
class Holder:
    userid: str
    name: str
    assigned_by: str
    assigned_at: datetime


async def holders(tenant_id: int) -> list[Holder]:
    rows = (
        await SeatAssignment.filter(tenant_id=tenant_id)
        .order_by("assigned_at", "id")
        .prefetch_related("employee")
    )
    return [Holder(r.employee.userid, r.employee.name, r.assigned_by, r.assigned_at) for r in rows]


async def auto_assign(tenant_id: int, employee: Employee, seats: int, now: datetime) -> bool:
    """Give ``employee`` a free seat on first use; False when every seat is taken."""
    change = await _assign(tenant_id, employee, seats, AUTO, now)
    return change in (SeatChange.ASSIGNED, SeatChange.ALREADY)


async def assign(tenant_id: int, userid: str, seats: int, by: str, now: datetime) -> SeatChange:
    """An admin gives ``userid`` a seat; they need not have used the bot yet."""
    employee, _ = await Employee.get_or_create(
        tenant_id=tenant_id,
        userid=userid,
        defaults={"role": Role.MEMBER, "first_seen_at": now, "last_seen_at": now},
    )
    return await _assign(tenant_id, employee, seats, by, now)


async def _assign(
    tenant_id: int, employee: Employee, seats: int, by: str, now: datetime
) -> SeatChange:
    try:
        async with in_transaction():
            await locked(tenant_id)
            if await SeatAssignment.exists(tenant_id=tenant_id, employee_id=employee.id):
                return SeatChange.ALREADY
            if await SeatAssignment.filter(tenant_id=tenant_id).count() >= seats:
                return SeatChange.FULL
            await SeatAssignment.create(
                tenant_id=tenant_id, employee_id=employee.id, assigned_by=by, assigned_at=now
            )
            await audit(tenant_id, by, "seat_assigned", now, None, {"userid": employee.userid})
    except IntegrityError:
        return SeatChange.ALREADY  # the same person's other message got there first
    return SeatChange.ASSIGNED


async def revoke(tenant_id: int, userid: str, by: str, now: datetime) -> SeatChange:
    held = await SeatAssignment.filter(tenant_id=tenant_id, employee__userid=userid).values_list(
        "id", flat=True
    )
    if not held:
        return SeatChange.NOT_HELD
    await SeatAssignment.filter(id__in=list(held)).delete()
    await audit(tenant_id, by, "seat_revoked", now, {"userid": userid}, None)
    return SeatChange.REVOKED


async def trim(tenant_id: int, seats: int, by: str, now: datetime) -> list[str]:
    """After the seat count went down, the most recently assigned seats above it are freed
    (the people keep their data; they just need a seat again to use paid modules)."""
    extra = await holders(tenant_id)
    freed = [h.userid for h in extra[seats:]]
    for userid in freed:
        await revoke(tenant_id, userid, by, now)
    return freed
