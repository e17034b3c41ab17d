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

    async def prepare(self, update: Update, tenant: TenantInfo) -> Prepared:
        """Everything before the handler: middlewares, route matching, and the route's own
        ``prepare`` step (network calls such as fetching a customer from WeCom). Runs outside
        any transaction, so a slow API call never holds the database."""
        ctx = Context(update, tenant, self._clock, routes=self.routes, deps=dict(self._deps))
        for middleware in self._middlewares:
            await middleware(ctx)
        route = await self._match(ctx)
        if route is not None and route.prepare is not None:
            await route.prepare(ctx)
        return Prepared(ctx, route, self._entitlement)

    async def feed(self, update: Update, tenant: TenantInfo) -> list[Reply]:
        """Prepare and run in one go (tests, and callers that need no transaction split).
        Exceptions propagate: the caller decides what the user is told."""
        return await (await self.prepare(update, tenant)).run()

    async def _match(self, ctx: Context) -> Route | None:
        if self._intent_resolver is not None and ctx.update.text:
            ctx.intent = await self._intent_resolver(ctx.update)
        for route in self.routes:
            if await route.matches(ctx):
                ctx.route = route
                return route
        logger.debug("no route for update %s (%s)", ctx.update.key, ctx.update.msg_type)
        return None


class Prepared:
    """An update with its route chosen; ``run`` does the entitlement check and the handler,
    inside the caller's transaction."""

    def __init__(self, ctx: Context, route: Route | None, entitlement: EntitlementCheck) -> None:
        self.ctx = ctx
        self.route = route
        self._entitlement = entitlement

    async def run(self) -> list[Reply]:
        if self.route is None:
            return self.ctx.replies
        refusal = await self._entitlement(self.ctx, self.route)
        if refusal is not None:
            self.ctx.reply(refusal)
            return self.ctx.replies
        result = self.route.handler(self.ctx)
        _collect(self.ctx, await result if inspect.isawaitable(result) else result)
        return self.ctx.replies


def _collect(ctx: Context, result: HandlerResult) -> None:
    if result is None:
        return
    if isinstance(result, str | Reply):
        ctx.reply(result)
    else:
        ctx.replies.extend(result)
