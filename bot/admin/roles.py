"""Roles in a tenant: admins (from config, or made in chat), dispatchers and members.

Admins named in the config stay admins whatever is said in chat: the config is where they
are removed. The last admin cannot step down, so a tenant is never left without one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.crm.book import admin_userids, ensure_employee
from bot.tenants import TenantInfo
from models.tenants import Employee, Role


class RoleChange(StrEnum):
    CHANGED = "changed"
    ALREADY = "already"  # had the role before
    NOT_HELD = "not_held"  # to take away a role they do not have
    FROM_CONFIG = "from_config"  # a config admin: only the config changes them
    LAST_ADMIN = "last_admin"
    IS_ADMIN = "is_admin"  # an admin cannot also be a dispatcher: admins dispatch anyway


def role_of(tenant: TenantInfo, employee: Employee) -> Role:
    return Role.ADMIN if employee.userid in tenant.admins else employee.role


async def grant(
    tenant: TenantInfo, userid: str, role: Role, now: datetime, *, name: str = ""
) -> RoleChange:
    """Make ``userid`` an admin or a dispatcher; they need not have talked to the bot yet
    (``name``, from the address book, goes on a row made for them)."""
    employee = await ensure_employee(tenant.id, userid, now)
    if name and not employee.name:
        await Employee.filter(id=employee.id).update(name=name[:64])
        employee.name = name[:64]
    current = role_of(tenant, employee)
    if current is role:
        return RoleChange.ALREADY
    if current is Role.ADMIN:
        return RoleChange.FROM_CONFIG if userid in tenant.admins else RoleChange.IS_ADMIN
    await _set(employee, role)
    return RoleChange.CHANGED


async def revoke(tenant: TenantInfo, userid: str, role: Role, now: datetime) -> RoleChange:
    """Take ``role`` away from ``userid``; they become a member."""
    if role is Role.ADMIN and userid in tenant.admins:
        return RoleChange.FROM_CONFIG
    employee = await Employee.get_or_none(tenant_id=tenant.id, userid=userid)
    if employee is None or employee.role is not role:
        return RoleChange.NOT_HELD
    if role is Role.ADMIN and await admin_userids(tenant) == [userid]:
        return RoleChange.LAST_ADMIN
    await _set(employee, Role.MEMBER)
    return RoleChange.CHANGED


async def _set(employee: Employee, role: Role) -> None:
    await Employee.filter(id=employee.id).update(role=role)
    employee.role = role
