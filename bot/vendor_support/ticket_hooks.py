"""The other half of ``desk_ticket``: when the provider's staff work a support request from its
work order (``回复 0003 …`` in the desk's tenant) rather than with ``回复 KF0003 …``, the reply is
still the provider's answer: recorded on the request and sent to the member who asked."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.tickets.hooks import TicketHooks
from bot.vendor_support.store import answer
from models.tickets import Ticket
from models.vendor_support import RequestStatus, SupportRequest


async def desk_ticket_replied(ctx: Context, ticket: Ticket, text: str) -> None:
    request = await SupportRequest.get_or_none(ticket_id=ticket.id)
    if request is None or request.status is RequestStatus.CLOSED:
        return
    await answer(request, ctx.update.user_id or "", text, ctx.clock.now())


def desk_ticket_hooks() -> TicketHooks:
    return TicketHooks(on_replied=desk_ticket_replied)
