"""What follows a member leaving the address book: their seat is freed, and the admins hear
once, with what the member still holds and the command that hands it over.

Nothing of theirs is deleted: customers, tickets and follow-ups keep pointing at their
``Employee`` row until an admin runs the handover (离职交接).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.notices import notify_admins
from bot.subscription import seats
from bot.tenants import TenantInfo
from models.crm.customers import Customer
from models.outbox import OutboxMessage
from models.people import DirectoryMember
from models.tenants import Employee
from models.tickets import OPEN_STATUSES, Ticket

BY_DIRECTORY = "通讯录"

LEFT_HEAD = "{who}已不在企业微信通讯录里（已删除或移出应用的可见范围）。"
SEAT_FREED = "TA 的席位已收回，可以分配给别人：分配席位 同事名字"
STILL_HOLDS = "TA 名下还有 {what}。发送「离职交接 {userid} 给 同事名字」把客户交给别人"
TICKETS_HINT = "，工单请用「转派 工单号 给 同事名字」改派"
STRANGER_SEAT = (
    "{userid} 不在企业微信通讯录（本应用的可见范围）里，TA 的席位已收回。"
    "如果 TA 是同事，请管理员把 TA 加进可见范围后发送「同步通讯录」，再「分配席位 {userid}」。"
)


def who_of(member: DirectoryMember) -> str:
    return f"{member.name}（{member.userid}）" if member.name else member.userid


async def leaving_notice(tenant: TenantInfo, member: DirectoryMember, now: datetime) -> str:
    """Frees the seat; answers what the admins should hear, or "" when the member held
    nothing (no seat, customers or open tickets). Call inside the transaction that marked
    the member left."""
    employee = await Employee.get_or_none(tenant_id=tenant.id, userid=member.userid)
    if employee is None:
        return ""
    freed = await seats.revoke(tenant.id, member.userid, BY_DIRECTORY, now)
    customers = await Customer.filter(
        tenant_id=tenant.id, owner_id=employee.id, archived_at__isnull=True
    ).count()
    tickets = await Ticket.filter(
        tenant_id=tenant.id, assignee_id=employee.id, status__in=OPEN_STATUSES
    ).count()
    lines = [LEFT_HEAD.format(who=who_of(member))]
    if freed is seats.SeatChange.REVOKED:
        lines.append(SEAT_FREED)
    held = [f"{customers} 位客户"] if customers else []
    held += [f"{tickets} 个未完成的工单"] if tickets else []
    if held:
        text = STILL_HOLDS.format(what="、".join(held), userid=member.userid)
        lines.append(text + (TICKETS_HINT if tickets else "") + "。")
    return "\n".join(lines) if len(lines) > 1 else ""


async def member_left(
    tenant: TenantInfo, member: DirectoryMember, now: datetime
) -> Sequence[OutboxMessage]:
    """``leaving_notice`` queued for the admins, once per member and departure."""
    text = await leaving_notice(tenant, member, now)
    if not text:
        return ()
    key = f"people-left:{member.id}:{int(now.timestamp())}"
    return await notify_admins(tenant, text, key=key, now=now)


async def release_stranger_seat(
    tenant: TenantInfo, userid: str, run: int, now: datetime
) -> Sequence[OutboxMessage]:
    """A seat held by someone the address book does not have (given before the first sync,
    to a userid nobody could check then) goes back; the admins hear once per sync run."""
    if await seats.revoke(tenant.id, userid, BY_DIRECTORY, now) is not seats.SeatChange.REVOKED:
        return ()
    text = STRANGER_SEAT.format(userid=userid)
    return await notify_admins(tenant, text, key=f"people-stranger:{userid}:{run}", now=now)
