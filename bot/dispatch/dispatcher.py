"""Runs one update through the middlewares to the first route that takes it."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.clock import Clock
from bot.dispatch.context import Context
from bot.dispatch.middlewares import DEFAULT_MIDDLEWARES, Middleware
from bot.dispatch.router import HandlerResult, Route, Router, flatten
from bot.dispatch.types import Reply, Update
from bot.tenants import TenantInfo

logger = logging.getLogger(__name__)

# Returns a refusal (what to tell the user) or None to let the command run.
EntitlementCheck = Callable[[Context, Route], Awaitable[str | Reply | None]]
IntentResolver = Callable[[Update], Awaitable[str | None]]


async def allow_everything(ctx: Context, route: Route) -> str | Reply | None:
    """The entitlement hook until subscriptions exist: every module is open."""
    return None


class Dispatcher:
    def __init__(
        self,
        routers: Sequence[Router],
        *,
        clock: Clock,
        entitlement: EntitlementCheck = allow_everything,
        intent_resolver: IntentResolver | None = None,
        middlewares: Sequence[Middleware] = DEFAULT_MIDDLEWARES,
        deps: dict[str, Any] | None = None,
    ) -> None:
        self.routers = tuple(routers)
        self.routes = tuple(flatten(self.routers))
        self._clock = clock
        self._entitlement = entitlement
        self._intent_resolver = intent_resolver
        self._middlewares = tuple(middlewares)
        self._deps = deps or {}

    async def feed(self, update: Update, tenant: TenantInfo) -> list[Reply]:
        """Handle ``update`` and return the replies it produced. Exceptions propagate: the
        caller owns the transaction and decides what the user is told."""
        ctx = Context(update, tenant, self._clock, routes=self.routes, deps=dict(self._deps))
        await self._call(ctx, 0)
        return ctx.replies

    async def _call(self, ctx: Context, index: int) -> None:
        if index < len(self._middlewares):
            await self._middlewares[index](ctx, lambda c: self._call(c, index + 1))
        else:
            await self._route(ctx)

    async def _route(self, ctx: Context) -> None:
        if self._intent_resolver is not None and ctx.update.text:
            ctx.intent = await self._intent_resolver(ctx.update)
        for route in self.routes:
            if await route.matches(ctx):
                ctx.route = route
                await self._run(ctx, route)
                return
        logger.debug("no route for update %s (%s)", ctx.update.key, ctx.update.msg_type)

    async def _run(self, ctx: Context, route: Route) -> None:
        refusal = await self._entitlement(ctx, route)
        if refusal is not None:
            ctx.reply(refusal)
            return
        result = route.handler(ctx)
        _collect(ctx, await result if inspect.isawaitable(result) else result)


def _collect(ctx: Context, result: HandlerResult) -> None:
    if result is None:
        return
    if isinstance(result, str | Reply):
        ctx.reply(result)
    else:
        ctx.replies.extend(result)
