"""The entitlement check the dispatcher runs before every handler (``EntitlementCheck``).

In order: a cancelled subscription answers only with how to renew (the subscription and
purchase commands still work); core commands are always open; a suspended one refuses the
rest; a module the plan lacks is refused with its price; an employee without a seat gets one
if any is free, else a refusal; in grace everything works after a once-a-day reminder.

It reads the tenant's cached snapshot, so an allowed command costs no query.
"""

from __future__ import annotations

import logging

from bot.dispatch.context import Context
from bot.dispatch.router import CORE_MODULE, Route
from bot.dispatch.types import Channel, Reply
from bot.subscription import notify, refusals, seats
from bot.subscription.catalog import Module, UnknownItemError
from bot.subscription.lifecycle import Term
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from bot.subscription.snapshots import Snapshot
from models.subscriptions import SubscriptionStatus as Status

logger = logging.getLogger(__name__)

QUIET = ""  # a refusal nobody is told about


class EntitlementGuard:
    def __init__(self, billing: Billing) -> None:
        self._billing = billing
        self._unsold: set[str] = set()  # modules already warned about; bounded by the routes

    async def __call__(self, ctx: Context, route: Route) -> str | Reply | None:
        # Events record what happened in WeCom (a customer added, a card clicked); dropping
        # them would lose data, and nobody is waiting for an answer to refuse.
        if ctx.update.is_event:
            return None
        if ctx.update.channel is Channel.KF:
            return await self._check_customer(ctx, route)
        snapshot = await self._billing.snapshot(ctx.tenant.id)
        term = self._billing.current(snapshot.term, ctx.tenant.timezone)
        if term.status is Status.CANCELLED and not route.router.open_when_cancelled:
            return refusals.cancelled(term)
        if route.module == CORE_MODULE:
            return None
        if term.status is Status.SUSPENDED:
            return refusals.suspended(term)
        return await self._check_module(ctx, route, snapshot, term)

    async def open_modules(self, ctx: Context) -> frozenset[str]:
        """The modules the tenant may use today (none while suspended or cancelled): a
        sentence understood only by similarity is never taken for a locked module's
        command, so nobody hears an offer they did not ask for."""
        snapshot = await self._billing.snapshot(ctx.tenant.id)
        term = self._billing.current(snapshot.term, ctx.tenant.timezone)
        if term.status in (Status.SUSPENDED, Status.CANCELLED):
            return frozenset()
        return frozenset(granted_modules(self._billing.catalog, term.plan))

    async def _check_customer(self, ctx: Context, route: Route) -> str | None:
        """A 微信客服 customer is served while the subscription is in good standing and has
        the route's module; otherwise the bot keeps quiet (the customer is not the one to hear
        about the vendor's bill, and people can still answer them in WeCom)."""
        snapshot = await self._billing.snapshot(ctx.tenant.id)
        term = self._billing.current(snapshot.term, ctx.tenant.timezone)
        granted = route.module == CORE_MODULE or route.module in granted_modules(
            self._billing.catalog, term.plan
        )
        if term.status in (Status.SUSPENDED, Status.CANCELLED) or not granted:
            logger.info("微信客服 message for tenant %s left unanswered", ctx.tenant.key)
            return QUIET
        return None

    async def _check_module(
        self, ctx: Context, route: Route, snapshot: Snapshot, term: Term
    ) -> str | None:
        catalog = self._billing.catalog
        try:
            module = catalog.module(route.module)
        except UnknownItemError:
            if route.module not in self._unsold:
                self._unsold.add(route.module)
                logger.warning(
                    "router %s declares module %r, which the catalog does not sell; its "
                    "commands stay open to everyone",
                    route.router.name,
                    route.module,
                )
            return None
        if module.code not in granted_modules(catalog, term.plan):
            ctx.refused_for = "module"
            return await refusals.refuse_module(ctx, self._billing, term, module)
        refusal = await self._check_seat(ctx, snapshot, term, module)
        if refusal is None and term.status is Status.GRACE:
            await self._remind(ctx, term)
        return refusal

    async def _check_seat(
        self, ctx: Context, snapshot: Snapshot, term: Term, module: Module
    ) -> str | None:
        employee = ctx.employee
        if employee is None or employee.userid in snapshot.seat_holders:
            return None
        now = ctx.clock.now()
        if await seats.auto_assign(ctx.tenant.id, employee, term.plan.seats, now):
            self._billing.cache.invalidate(ctx.tenant.id)
            return None
        used = len(snapshot.seat_holders)
        ctx.refused_for = "seat"
        return await refusals.refuse_seat(ctx, self._billing, term, module, used)

    async def _remind(self, ctx: Context, term: Term) -> None:
        today = self._billing.today(ctx.tenant.timezone)
        user = ctx.update.user_id or ""
        key = f"lapsed:{user}:{today}"
        if await notify.claim(ctx.tenant.id, key, "lapsed", [user], ctx.clock.now()):
            ctx.reply(refusals.lapse_reminder(self._billing, term))
