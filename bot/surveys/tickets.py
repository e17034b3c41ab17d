"""Work orders and surveys: a resolved ticket asks its customer how it went (one survey per
ticket), and reopening it cancels that survey while it is unanswered.

``ticket_survey_hooks()`` goes into the dispatcher's deps as ``deps["ticket_hooks.surveys"]``
(``bot.tickets.hooks``); both hooks run inside the ticket handler's transaction.
"""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch.context import Context
from bot.surveys.lifecycle import cancel_for_trigger, survey_for_trigger
from bot.tickets.hooks import TicketHooks
from models.surveys import SurveyTrigger
from models.tickets import Ticket


async def survey_resolved_ticket(ctx: Context, ticket: Ticket) -> None:
    if ticket.customer_id is None:
        return  # an internal ticket: nobody outside to ask
    settings: Settings = ctx.deps["settings"]
    await survey_for_trigger(
        ctx.tenant,
        trigger=SurveyTrigger.TICKET_RESOLVED,
        trigger_ref=ticket.number,
        customer_id=ticket.customer_id,
        employee_id=ticket.assignee_id,
        now=ctx.clock.now(),
        settings=settings,
    )


async def cancel_reopened_ticket_survey(ctx: Context, ticket: Ticket) -> None:
    await cancel_for_trigger(
        ctx.tenant.id, SurveyTrigger.TICKET_RESOLVED, ticket.number, ctx.clock.now()
    )


def ticket_survey_hooks() -> TicketHooks:
    return TicketHooks(
        on_resolved=survey_resolved_ticket, on_reopened=cancel_reopened_ticket_survey
    )
