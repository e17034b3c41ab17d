"""What to offer someone: the commands they may run here, on their tenant's plan, and a few
examples of how to say them."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dispatch.context import Context, RouteInfo
from bot.dispatch.router import CORE_MODULE
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing

# What a newcomer is shown first, best first; the first three they can use are offered.
STARTERS = (
    "followups.create_from_text",
    "crm.find_customer",
    "crm.create_customer",
    "tickets.my_tickets",
    "knowledge.ask",
    "reports.show_daily_report",
    "subscription.show_plan",
    "core.show_help",
)


async def offered_routes(ctx: Context) -> list[RouteInfo]:
    """Commands this person may run in this chat, from modules the tenant has (never one
    that is not for them at all: ``Route.audience``)."""
    granted = await _granted(ctx)
    return [
        route
        for route in ctx.routes
        if route.intent
        and route not in ctx.closed
        and ctx.update.chat_type in route.access.chats
        and ctx.role in route.access.roles
        and (granted is None or route.module == CORE_MODULE or route.module in granted)
    ]


async def _granted(ctx: Context) -> frozenset[str] | None:
    billing: Billing | None = ctx.deps.get("billing")
    if billing is None:
        return None  # no subscriptions in this setup: everything is open
    snapshot = await billing.snapshot(ctx.tenant.id)
    term = billing.current(snapshot.term, ctx.tenant.timezone)
    return granted_modules(billing.catalog, term.plan)


def natural_example(route: RouteInfo) -> str:
    """How people say it: the first example that is not the bare command syntax."""
    words = tuple(w.lower() for w in route.commands)
    for example in route.examples:
        if not words or not example.lower().startswith(words):
            return example
    return canonical_example(route)


def canonical_example(route: RouteInfo) -> str:
    """The command written out: an example in its syntax, else the one its help gives
    ("…，例如：查客户 张三、查 138" gives 查客户 张三), else its word."""
    words = tuple(w.lower() for w in route.commands)
    for example in route.examples:
        if words and example.lower().startswith(words):
            return example
    if "例如：" in route.help:
        return route.help.split("例如：", 1)[1].split("、")[0].strip()
    if route.commands:
        return route.commands[0]
    return route.examples[0] if route.examples else ""


def starters(routes: Sequence[RouteInfo], count: int = 3) -> list[str]:
    """``count`` things to try, in the words people use."""
    by_intent = {route.intent: route for route in routes}
    chosen = [by_intent[intent] for intent in STARTERS if intent in by_intent]
    return [e for e in (natural_example(route) for route in chosen) if e][:count]
