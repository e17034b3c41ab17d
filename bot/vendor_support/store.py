"""Support request rows: opening one (and its work order at the desk), replies, follow-ups,
closing. Every change writes its outbox rows in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dispatch.context import Context
from bot.subscription.service import Billing
from bot.tenants import TenantDirectory
from bot.tickets.hours import add_working
from bot.tickets.store import NewTicket, open_ticket
from bot.vendor_support import wording
from bot.vendor_support.desk import Desk, tell_operators, tell_requester
from bot.vendor_support.numbers import format_number
from bot.vendor_support.settings import VendorSupportSettings
from models.vendor_support import MessageAuthor, RequestStatus, SupportMessage, SupportRequest

TICKETS_MODULE = "tickets"
TICKET_CATEGORY = "客服请求"


@dataclass(frozen=True, slots=True)
class Opened:
    request: SupportRequest
    ticket_number: str  # "" when the desk has no tickets module


async def open_request(
    ctx: Context, desk: Desk, text: str, settings: VendorSupportSettings
) -> Opened:
    now = ctx.clock.now()
    desk_tz = ZoneInfo(desk.tenant.timezone)
    due = add_working(now, settings.first_response, settings.working_time(desk_tz))
    employee = ctx.employee
    request = await SupportRequest.create(
        tenant_id=ctx.tenant.id,
        requester_userid=ctx.update.user_id or "",
        requester_name=(employee.name if employee else "") or (ctx.update.user_id or ""),
        text=text,
        created_at=now,
        updated_at=now,
        response_due_at=due,
    )
    await _said(request, MessageAuthor.REQUESTER, request.requester_userid, text, now)
    ticket_number = await _open_ticket(ctx, desk, request, text)
    if ticket_number:
        request.ticket_number = ticket_number
        await request.save(update_fields=["ticket_id", "ticket_number"])
    number = format_number(request.id)
    notice = wording.NEW_REQUEST.format(
        number=number,
        tenant=ctx.tenant.name,
        who=request.requester_name,
        text=text,
        due=wording.when(due, desk_tz),
        ticket=wording.TICKET_NOTE.format(ticket=ticket_number) if ticket_number else "",
    )
    await tell_operators(desk, f"{request.id}:new", notice, now)
    return Opened(request, ticket_number)


async def _open_ticket(ctx: Context, desk: Desk, request: SupportRequest, text: str) -> str:
    """A work order at the desk, opened through the tickets capability's own path so it is
    numbered, timed and listed like any other; "" when the desk lacks the module."""
    billing: Billing | None = ctx.deps.get("billing")
    info = await TenantDirectory().get(desk.tenant.key)
    if billing is None or info is None:
        return ""
    if not await billing.grants(info.id, info.timezone, TICKETS_MODULE):
        return ""
    at_desk = replace(ctx, tenant=info, employee=None)
    title = f"{format_number(request.id)} {ctx.tenant.name}：{text}"
    ticket = await open_ticket(
        at_desk, NewTicket(title=title, description=text, category=TICKET_CATEGORY)
    )
    request.ticket_id = ticket.id
    return ticket.number


async def _said(
    request: SupportRequest, author: MessageAuthor, userid: str, text: str, now: datetime
) -> SupportMessage:
    return await SupportMessage.create(
        request=request, author=author, userid=userid, text=text, created_at=now
    )


async def answer(request: SupportRequest, operator: str, text: str, now: datetime) -> None:
    """An operator's reply: recorded, and sent to the requester in their tenant's app."""
    message = await _said(request, MessageAuthor.OPERATOR, operator, text, now)
    if request.first_responded_at is None:
        request.first_responded_at = now
    if request.status is RequestStatus.OPEN:
        request.status = RequestStatus.ANSWERED
    request.last_reply, request.last_reply_at, request.updated_at = text, now, now
    await request.save()
    notice = wording.REPLY_TO_REQUESTER.format(number=format_number(request.id), text=text)
    await tell_requester(
        request.tenant_id, request.requester_userid, f"{request.id}:reply:{message.id}", notice, now
    )


async def follow_up(
    request: SupportRequest, desk: Desk, tenant_name: str, text: str, now: datetime
) -> None:
    """The requester's addition: recorded, and sent to the operators."""
    message = await _said(request, MessageAuthor.REQUESTER, request.requester_userid, text, now)
    request.updated_at = now
    await request.save(update_fields=["updated_at"])
    notice = wording.FOLLOW_UP.format(
        number=format_number(request.id), tenant=tenant_name, who=request.requester_name, text=text
    )
    await tell_operators(desk, f"{request.id}:more:{message.id}", notice, now)


async def close(request: SupportRequest, operator: str, now: datetime) -> bool:
    """False when it was closed already (by another operator, say)."""
    changed = (
        await SupportRequest.filter(id=request.id)
        .exclude(status=RequestStatus.CLOSED)
        .update(status=RequestStatus.CLOSED, closed_at=now, updated_at=now)
    )
    if not changed:
        return False
    notice = wording.CLOSED_TO_REQUESTER.format(number=format_number(request.id))
    await tell_requester(
        request.tenant_id, request.requester_userid, f"{request.id}:closed", notice, now
    )
    return True
