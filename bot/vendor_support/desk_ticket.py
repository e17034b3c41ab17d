"""The desk's work order kept in step with its support request: an operator's reply is the
ticket's customer-visible reply (stopping its first-response clock), the requester's
addition an internal note, and closing the request closes the ticket, so the desk's ticket
lists and statistics tell the same story as ``客服请求``."""

from __future__ import annotations

from datetime import datetime

from bot.dispatch.context import Context
from bot.tickets import sla, workflow
from bot.tickets.store import add_comment, record, working_time
from models.tickets import OPEN_STATUSES, Ticket
from models.vendor_support import SupportRequest

FOLLOW_UP_NOTE = "提问人补充：{text}"


async def _ticket(request: SupportRequest) -> Ticket | None:
    if request.ticket_id is None:
        return None
    return await Ticket.get_or_none(id=request.ticket_id)


async def ticket_replied(ctx: Context, request: SupportRequest, text: str) -> None:
    """``ctx`` is the operator's, in the desk's tenant."""
    ticket = await _ticket(request)
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return
    now = ctx.clock.now()
    await add_comment(ticket, ctx.employee, text, now, internal=False)
    sla.record_response(ticket, now, working_time(ctx))
    ticket.updated_at = now
    await ticket.save()
    await record(ticket, ctx.employee, "reply", now, detail=text)


async def ticket_followed_up(request: SupportRequest, text: str, now: datetime) -> None:
    ticket = await _ticket(request)
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return
    await add_comment(ticket, None, FOLLOW_UP_NOTE.format(text=text), now, internal=True)


async def ticket_closed(ctx: Context, request: SupportRequest) -> None:
    ticket = await _ticket(request)
    if ticket is None or workflow.target(ticket.status, workflow.Action.CLOSE) is None:
        return
    await workflow.close(ctx, ticket)
