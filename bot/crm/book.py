"""Writing the customer book: customers from WeCom, followers, timeline entries, admins.

Every function takes the tenant explicitly and every query filters on it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.crm.phones import remark_numbers
from bot.tenants import TenantInfo
from bot.wecom.contacts import ContactDetail, FollowInfo
from models.crm.customers import (
    INTERACTION_KINDS,
    Customer,
    CustomerFollower,
    CustomerKind,
    CustomerNote,
    FollowerStatus,
    NoteKind,
)
from models.crm.tags import CorpTag, CustomerTag
from models.tenants import Employee, Role

NOTE_LIMIT = 500  # the column's size: longer notes are cut, not refused


async def ensure_employee(tenant_id: int, userid: str, now: datetime) -> Employee:
    employee, _ = await Employee.get_or_create(
        tenant_id=tenant_id,
        userid=userid,
        defaults={"role": Role.MEMBER, "first_seen_at": now, "last_seen_at": now},
    )
    return employee


async def find_employee(tenant_id: int, who: str) -> Employee | None:
    """An employee by WeCom userid, or by name when exactly one has it."""
    employee = await Employee.get_or_none(tenant_id=tenant_id, userid=who)
    if employee is not None:
        return employee
    named = await Employee.filter(tenant_id=tenant_id, name=who).limit(2)
    return named[0] if len(named) == 1 else None


def employee_label(employee: Employee | None) -> str:
    if employee is None:
        return "无"
    return employee.name or employee.userid


async def admin_userids(tenant: TenantInfo) -> list[str]:
    """Admins from config first, then employees made admin in the database."""
    stored = await Employee.filter(tenant_id=tenant.id, role=Role.ADMIN).values_list(
        "userid", flat=True
    )
    return list(dict.fromkeys([*tenant.admins, *(str(u) for u in stored)]))


async def add_note(
    customer: Customer,
    kind: NoteKind,
    text: str,
    now: datetime,
    employee: Employee | None = None,
    *,
    touch: bool = True,
) -> CustomerNote:
    """``touch=False`` when the customer's row was written at ``now`` a moment ago and the
    note is no interaction: there is nothing to update."""
    note = await CustomerNote.create(
        tenant_id=customer.tenant_id,
        customer_id=customer.id,
        employee_id=employee.id if employee else None,
        kind=kind,
        text=text[:NOTE_LIMIT],
        created_at=now,
    )
    changes: dict[str, object] = {"updated_at": now}
    if kind in INTERACTION_KINDS:
        changes["last_interaction_at"] = now
    elif not touch:
        return note
    await Customer.filter(id=customer.id).update(**changes)
    for name, value in changes.items():
        setattr(customer, name, value)
    return note


def _kind(value: int) -> CustomerKind:
    return CustomerKind.WECOM if value == CustomerKind.WECOM else CustomerKind.WECHAT


def _wecom_values(detail: ContactDetail) -> dict[str, Any]:
    contact = detail.contact
    values: dict[str, Any] = {
        "name": contact.name[:64],
        "kind": _kind(contact.kind),
        "gender": contact.gender,
        "avatar": contact.avatar[:512],
    }
    company = contact.corp_name or next(
        (f.remark_corp_name for f in detail.follows if f.remark_corp_name), ""
    )
    phone = next((m for f in detail.follows for m in f.remark_mobiles if m), "")
    # Only fill in what WeCom knows: a phone or company typed in here is not wiped out.
    if company:
        values["company"] = company[:128]
    if phone:
        values["phone"] = phone[:32]
    return values


async def upsert_contact(
    tenant_id: int, detail: ContactDetail, now: datetime
) -> tuple[Customer, bool]:
    """Create or refresh a WeCom customer and each member's relationship with them."""
    values = _wecom_values(detail)
    customer = await Customer.get_or_none(
        tenant_id=tenant_id, external_userid=detail.contact.external_userid
    )
    created = customer is None
    if customer is None:
        source = next((f.state for f in detail.follows if f.state), "")
        customer = await Customer.create(
            tenant_id=tenant_id,
            external_userid=detail.contact.external_userid,
            source=source[:64],
            created_at=now,
            updated_at=now,
            **values,
        )
    else:
        await Customer.filter(id=customer.id).update(updated_at=now, **values)
        customer.update_from_dict({"updated_at": now, **values})
    for follow in detail.follows:
        await upsert_follower(customer, follow, now)
    if detail.every_follower:
        await drop_unreported_wecom_tags(customer, {t for f in detail.follows for t in f.tag_ids})
    return customer, created


async def upsert_follower(customer: Customer, follow: FollowInfo, now: datetime) -> Employee:
    employee = await ensure_employee(customer.tenant_id, follow.userid, now)
    added_at = datetime.fromtimestamp(follow.createtime, UTC) if follow.createtime else now
    await CustomerFollower.update_or_create(
        defaults={
            "tenant_id": customer.tenant_id,
            "remark": follow.remark[:64],
            "description": follow.description[:255],
            "add_way": follow.add_way,
            "state": follow.state[:64],
            "remark_numbers": remark_numbers(follow.remark_mobiles),
            "status": FollowerStatus.ACTIVE,
            "added_at": added_at,
            "ended_at": None,
        },
        customer_id=customer.id,
        employee_id=employee.id,
    )
    if customer.owner_id is None:
        await Customer.filter(id=customer.id).update(owner_id=employee.id)
        customer.owner_id = employee.id
    await link_wecom_tags(customer, follow.tag_ids, now)
    return employee


async def link_wecom_tags(customer: Customer, tag_ids: tuple[str, ...], now: datetime) -> None:
    """Tag the customer locally with the corp tags WeCom reports (unknown ids are skipped
    until the next tag sync)."""
    if not tag_ids:
        return
    tags = await CorpTag.filter(tenant_id=customer.tenant_id, tag_id__in=tag_ids, deleted=False)
    rows = await CustomerTag.filter(customer_id=customer.id).values_list("tag_id", flat=True)
    linked: set[Any] = set(rows)
    for tag in tags:
        if tag.id not in linked:
            await CustomerTag.create(
                tenant_id=customer.tenant_id, customer_id=customer.id, tag_id=tag.id, created_at=now
            )


async def drop_unreported_wecom_tags(customer: Customer, reported: set[str]) -> int:
    """Untag WeCom library tags that no follower carries any more (removed in the WeCom
    client). Tags kept only here (no ``tag_id``) are the bot's own and stay."""
    linked = await CustomerTag.filter(
        customer_id=customer.id, tag__tag_id__isnull=False
    ).prefetch_related("tag")
    gone = [row.id for row in linked if row.tag.tag_id not in reported]
    if gone:
        await CustomerTag.filter(id__in=gone).delete()
    return len(gone)


async def end_follow(
    customer: Customer, employee: Employee, status: FollowerStatus, now: datetime
) -> bool:
    """Mark one relationship as over; False when there was no active one."""
    ended = await CustomerFollower.filter(
        customer_id=customer.id, employee_id=employee.id, status=FollowerStatus.ACTIVE
    ).update(status=status, ended_at=now)
    return ended > 0


async def customer_by_external(tenant_id: int, external_userid: str | None) -> Customer | None:
    if not external_userid:
        return None
    return await Customer.get_or_none(tenant_id=tenant_id, external_userid=external_userid)
