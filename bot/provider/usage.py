"""Recording each command as a usage event: the dispatcher's ``on_command.`` hook.

It runs in the command's transaction and costs one INSERT: everything it stores is already
in hand (the tenant's id, the speaker, the route), so nothing is looked up, and the statement
is written once, not built by the ORM per command.
"""

from __future__ import annotations

import functools

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


COLUMNS = ("tenant_id", "userid", "capability", "module", "intent", "outcome", "latency_ms", "at")


@functools.cache
def _insert(dialect: str) -> str:
    """The one statement, written once per dialect: building it through the ORM on every
    command cost as much again as running it (bench/usage_recording.py)."""
    marks = ", ".join("?" if dialect == "sqlite" else f"${n}" for n in range(1, len(COLUMNS) + 1))
    names = ", ".join(f'"{column}"' for column in COLUMNS)
    return f'INSERT INTO "{UsageEvent._meta.db_table}" ({names}) VALUES ({marks})'


async def record_usage(ctx: Context, route: Route, outcome: CommandOutcome, seconds: float) -> None:
    db = UsageEvent._meta.db  # the command's transaction
    at = UsageEvent._meta.fields_map["at"].to_db_value(ctx.clock.now(), UsageEvent)
    values = [
        ctx.tenant.id,
        (ctx.update.user_id or "")[:64],
        capability_of(route)[:32],
        route.module[:32],
        route.intent[:96],
        Outcome(outcome.value).value,
        max(0, round(seconds * 1000)),
        at,
    ]
    # execute_query, not execute_insert: nobody needs the new id, and on SQLite asking for it
    # is a statement of its own (SELECT last_insert_rowid()).
    await db.execute_query(_insert(db.capabilities.dialect), values)
