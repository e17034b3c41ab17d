"""Recording each command as a usage event: the dispatcher's ``on_command.`` hook.

It runs in the command's transaction and costs one INSERT: everything it stores is already
in hand (the tenant's id, the speaker, the route), so nothing is looked up.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.dispatcher import ON_COMMAND, CommandOutcome
from bot.dispatch.router import Route, Router
from models.provider import Outcome, UsageEvent

DEPS_KEY = f"{ON_COMMAND}provider"


def capability_of(route: Route) -> str:
    """The capability a route belongs to: its router lives in ``handlers/<capability>/``."""
    return capability_of_router(route.router) or route.intent.split(".", 1)[0]


def capability_of_router(router: Router) -> str:
    parts = router.name.split(".")
    return parts[1] if parts[0] == "handlers" and len(parts) > 1 else ""


async def record_usage(ctx: Context, route: Route, outcome: CommandOutcome, seconds: float) -> None:
    await UsageEvent.create(
        tenant_id=ctx.tenant.id,
        userid=(ctx.update.user_id or "")[:64],
        capability=capability_of(route)[:32],
        module=route.module[:32],
        intent=route.intent[:96],
        outcome=Outcome(outcome.value),
        latency_ms=max(0, round(seconds * 1000)),
        at=ctx.clock.now(),
    )
