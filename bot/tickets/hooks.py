"""What other capabilities may do when a ticket is replied to, resolved or reopened.

The satisfaction surveys plug in here ("resolved → send a survey", "reopened → cancel the
unanswered survey"), and so does the provider's support desk ("a reply on the desk's work
order reaches the client who asked"). Each capability puts its ``TicketHooks`` in the
dispatcher's deps under ``DEPS_PREFIX + its name``; every one found runs, in the capabilities'
order. Each hook is awaited inside the handler's transaction, after the ticket and its history
are saved, with the handler's ``Context`` (for ``ctx.send``, ``ctx.clock``, ``ctx.tenant``) and
the ticket (its ``customer_id`` says whom to survey; ``number`` names it). A hook that raises
rolls the whole change back, so a hook should only fail for reasons the user must hear about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.dispatch.context import Context
from models.tickets import Ticket

TicketHook = Callable[[Context, Ticket], Awaitable[None]]
ReplyHook = Callable[[Context, Ticket, str], Awaitable[None]]  # the reply's text
DEPS_PREFIX = "ticket_hooks."


async def nothing(ctx: Context, ticket: Ticket) -> None:
    return None


async def nothing_said(ctx: Context, ticket: Ticket, text: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class TicketHooks:
    on_resolved: TicketHook = nothing
    on_reopened: TicketHook = nothing
    on_replied: ReplyHook = nothing_said  # a customer-visible reply (回复), not a note


def hooks_of(ctx: Context) -> list[TicketHooks]:
    return [
        hooks
        for key, hooks in ctx.deps.items()
        if key.startswith(DEPS_PREFIX) and isinstance(hooks, TicketHooks)
    ]
