"""What the vendor's operators do outside chat: override a plan, add paid time, confirm a
payment, read revenue. Used by the CLI (and the demo); every change is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from bot.subscription import lifecycle, seats
from bot.subscription.catalog import Catalog
from bot.subscription.lifecycle import Term
from bot.subscription.order_notices import tell_admins
from bot.subscription.orders import Settlement, pay
from bot.subscription.plan import Plan
from bot.subscription.revenue import Revenue, revenue
from bot.subscription.service import Billing
from bot.subscription.store import locked, save_term, term_of
from models.subscriptions import SeatAssignment, Subscription
from models.tenants import Tenant


@dataclass(frozen=True, slots=True)
class PlanEdit:
    """Names or aliases as people type them; None keeps the current value. ``modules`` and
    ``bundles`` replace the current lists."""

    edition: str | None = None
    seats: int | None = None
    period: str | None = None
    modules: tuple[str, ...] | None = None
    bundles: tuple[str, ...] | None = None

    def apply(self, catalog: Catalog, plan: Plan) -> Plan:
        """Raises ``UnknownItemError`` for a name the catalog does not know."""
        return Plan(
            edition=catalog.edition(self.edition).code if self.edition else plan.edition,
            seats=self.seats or plan.seats,
            period=catalog.period(self.period).code if self.period else plan.period,
            modules=_codes(self.modules, lambda n: catalog.module(n).code, plan.modules),
            bundles=_codes(self.bundles, lambda n: catalog.bundle(n).code, plan.bundles),
        )


def _codes(
    names: tuple[str, ...] | None, code: Callable[[str], str], kept: frozenset[str]
) -> frozenset[str]:
    return kept if names is None else frozenset(code(name) for name in names)


async def find_tenant(billing: Billing, key: str) -> Tenant | None:
    """The tenant with its subscription in place (one that never used the bot gets its trial)."""
    tenant = await Tenant.get_or_none(key=key)
    if tenant is not None:
        await billing.start_trial(tenant.id)
    return tenant


async def current_term(billing: Billing, tenant: Tenant) -> Term:
    row = await Subscription.get(tenant_id=tenant.id)
    return billing.current(term_of(row), ZoneInfo(tenant.timezone))


async def seats_used(tenant: Tenant) -> int:
    return await SeatAssignment.filter(tenant_id=tenant.id).count()


async def set_plan(
    billing: Billing, tenant: Tenant, edit: PlanEdit, activate_on: date | None, actor: str
) -> Term:
    """The plan changes now, without a charge; ``activate_on`` starts a paid period there
    (a contract signed outside the bot)."""
    timezone, now = ZoneInfo(tenant.timezone), billing.clock.now()
    async with in_transaction():
        row = await locked(tenant.id)
        assert row is not None, "find_tenant started the trial"
        term = billing.current(term_of(row), timezone)
        plan = edit.apply(billing.catalog, term.plan)
        term = replace(term, plan=plan, pending=None, highest_paid_seats=plan.seats)
        if activate_on is not None:
            term = lifecycle.restart(billing.catalog, term, activate_on)
        term = billing.current(term, timezone)
        await save_term(row, term, actor=actor, action="operator_set", now=now)
        await seats.trim(tenant.id, plan.seats, actor, now)
    billing.cache.invalidate(tenant.id)
    return term


async def extend(billing: Billing, tenant: Tenant, periods: int, days: int, actor: str) -> Term:
    """``periods`` paid billing periods, or ``days`` of goodwill, without an order."""
    today, now = billing.today(ZoneInfo(tenant.timezone)), billing.clock.now()
    async with in_transaction():
        row = await locked(tenant.id)
        assert row is not None, "find_tenant started the trial"
        term = term_of(row)
        if days:
            term = lifecycle.extend_days(billing.catalog, term, days, today, billing.policy)
        else:
            term = lifecycle.renew(billing.catalog, term, periods, today, billing.policy)
        await save_term(row, term, actor=actor, action="operator_extend", now=now)
    billing.cache.invalidate(tenant.id)
    return term


async def confirm_payment(billing: Billing, order_id: int, actor: str) -> Settlement | None:
    """Payment arrived: apply the order and tell the tenant's admins (via the outbox)."""
    now = billing.clock.now()
    async with in_transaction():
        settlement = await pay(billing, order_id, actor, now)
        if settlement is not None and settlement.applied:
            await tell_admins(settlement.order, now)
    return settlement


async def revenue_now(billing: Billing) -> Revenue:
    terms = []
    for row in await Subscription.all().select_related("tenant").order_by("tenant_id"):
        tenant: Tenant = row.tenant
        terms.append((tenant.key, billing.current(term_of(row), ZoneInfo(tenant.timezone))))
    return revenue(billing.catalog, terms, billing.clock.now().date())
