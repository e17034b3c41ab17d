"""Writing the address book: departments and members as WeCom reports them.

Every write is an upsert keyed by (tenant, WeCom id), so storing the same page twice, or a
callback and a sync that cross, changes nothing the second time. A member's ``Employee`` row
(what customers, tickets and seats point at) gets their name too, so lists show 李四 rather
than lisi.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.people import Department, DirectoryMember, MemberStatus
from models.tenants import Employee, Role

NAME_LENGTH = 64


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What one WeCom answer or callback said about a member; None: it did not say."""

    userid: str
    name: str | None = None
    departments: Sequence[int] | None = None
    alias: str | None = None
    position: str | None = None


async def upsert_department(
    tenant_id: int,
    dept_id: int,
    now: datetime,
    *,
    name: str | None = None,
    parent_id: int | None = None,
    order: int | None = None,
    run: int | None = None,
) -> None:
    changes: dict[str, Any] = {"removed": False, "updated_at": now}
    for field, value in (("name", name), ("parent_id", parent_id), ("order", order)):
        if value is not None:
            changes[field] = value if field != "name" else str(value)[:NAME_LENGTH]
    if run is not None:
        changes["seen_run"] = run
    updated = await Department.filter(tenant_id=tenant_id, dept_id=dept_id).update(**changes)
    if not updated:
        await Department.create(tenant_id=tenant_id, dept_id=dept_id, **changes)


async def remove_department(tenant_id: int, dept_id: int, now: datetime) -> None:
    await Department.filter(tenant_id=tenant_id, dept_id=dept_id).update(
        removed=True, updated_at=now
    )


async def upsert_member(
    tenant_id: int, facts: MemberFacts, now: datetime, *, run: int | None = None
) -> bool:
    """Store what is known; True when the member is new to the directory (or back after
    leaving), so the caller may fetch their details."""
    changes: dict[str, Any] = {"status": MemberStatus.ACTIVE, "left_at": None, "updated_at": now}
    if facts.name:
        changes["name"] = facts.name[:NAME_LENGTH]
    if facts.departments is not None:
        changes["departments"] = list(facts.departments)
    if facts.alias is not None:
        changes["alias"] = facts.alias[:NAME_LENGTH]
    if facts.position is not None:
        changes["position"] = facts.position[:128]
    if facts.alias is not None or facts.position is not None:
        changes["detailed"] = True
    if run is not None:
        changes["seen_run"] = run
    async with in_transaction():
        existing = (
            await DirectoryMember.filter(tenant_id=tenant_id, userid=facts.userid)
            .select_for_update()
            .first()
        )
        if existing is None:
            await DirectoryMember.create(
                tenant_id=tenant_id, userid=facts.userid, joined_at=now, **changes
            )
        else:
            await DirectoryMember.filter(id=existing.id).update(**changes)
        if facts.name:
            await _name_employee(tenant_id, facts.userid, facts.name[:NAME_LENGTH])
    return existing is None or existing.status == MemberStatus.LEFT or not existing.detailed


async def _name_employee(tenant_id: int, userid: str, name: str) -> None:
    await Employee.filter(tenant_id=tenant_id, userid=userid).exclude(name=name).update(name=name)


async def mark_left(tenant_id: int, userid: str, now: datetime) -> DirectoryMember | None:
    """The member as they were, when this call is the one that marked them left; None when
    they were unknown or had already left (a retried callback, a second replica)."""
    member = await DirectoryMember.get_or_none(
        tenant_id=tenant_id, userid=userid, status=MemberStatus.ACTIVE
    )
    if member is None:
        return None
    won = await DirectoryMember.filter(id=member.id, status=MemberStatus.ACTIVE).update(
        status=MemberStatus.LEFT, left_at=now, updated_at=now
    )
    return member if won else None


async def rename_member(tenant_id: int, old: str, new: str) -> None:
    """A userid changed in WeCom (NewUserID): history follows the member. When the new
    userid already has a row, the old one stays: merging two people is a human decision."""
    if not await DirectoryMember.exists(tenant_id=tenant_id, userid=new):
        await DirectoryMember.filter(tenant_id=tenant_id, userid=old).update(userid=new)
    if not await Employee.exists(tenant_id=tenant_id, userid=new):
        await Employee.filter(tenant_id=tenant_id, userid=old).update(userid=new)


async def employee_for(tenant_id: int, member: DirectoryMember, now: datetime) -> Employee:
    """The member's Employee row, made on first mention: a colleague who never talked to the
    bot can still be given a ticket, a seat or a customer."""
    employee, created = await Employee.get_or_create(
        tenant_id=tenant_id,
        userid=member.userid,
        defaults={
            "role": Role.MEMBER,
            "name": member.name,
            "first_seen_at": now,
            "last_seen_at": now,
        },
    )
    if not created and member.name and employee.name != member.name:
        await Employee.filter(id=employee.id).update(name=member.name)
        employee.name = member.name
    return employee


async def department_names(tenant_id: int) -> dict[int, str]:
    rows = await Department.filter(tenant_id=tenant_id, removed=False).values_list(
        "dept_id", "name"
    )
    return {int(dept_id): str(name) for dept_id, name in rows}
