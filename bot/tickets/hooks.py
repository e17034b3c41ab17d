"""What other capabilities may do when a ticket is resolved or reopened.

The satisfaction surveys plug in here: "resolved → send a survey" and "reopened → cancel the
unanswered survey". Pass a ``TicketHooks`` in the dispatcher's deps as
``deps["ticket_hooks"]``; without one both hooks do nothing. Each hook is awaited inside the
handler's transaction, after the ticket and its history are saved, with the handler's
``Context`` (for ``ctx.send``, ``ctx.clock``, ``ctx.tenant``) and the ticket (its
``customer_id`` says whom to survey; ``number`` names it). A hook that raises rolls the whole
change back, so a hook should only fail for reasons the user must hear about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.dispatch.context import Context
from models.tickets import Ticket

TicketHook = Callable[[Context, Ticket], Awaitable[None]]
DEPS_KEY = "ticket_hooks"


async def nothing(ctx: Context, ticket: Ticket) -> None:
    return None


@dataclass(frozen=True, slots=True)
class TicketHooks:
    on_resolved: TicketHook = nothing
    on_reopened: TicketHook = nothing


def hooks_of(ctx: Context) -> TicketHooks:
    hooks = ctx.deps.get(DEPS_KEY)
    return hooks if isinstance(hooks, TicketHooks) else TicketHooks()
