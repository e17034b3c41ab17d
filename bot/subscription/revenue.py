"""Revenue for the vendor: monthly recurring revenue by edition and by module or bundle, and
the subscriptions whose paid time runs out soon. Pure: the caller loads the terms.

MRR counts paying subscriptions (active or in grace) at their current plan, each period's
price spread over its months (a day-based period over ``days_per_month``), so yearly and
monthly customers add up in the same unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from bot.subscription.catalog import Catalog
from bot.subscription.lifecycle import Term, paid_end
from bot.subscription.money import round_money
from bot.subscription.recurring import recurring_price
from models.subscriptions import SubscriptionStatus as Status

PAYING = (Status.ACTIVE, Status.GRACE)
SOON = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Expiring:
    tenant: str
    status: Status
    paid_through: date  # the last paid (or trial) day


@dataclass(slots=True)
class Revenue:
    by_edition: dict[str, Decimal] = field(default_factory=dict)  # edition name → MRR
    by_module: dict[str, Decimal] = field(default_factory=dict)  # module or bundle name → MRR
    paying: int = 0
    trials: int = 0
    expiring: list[Expiring] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum([*self.by_edition.values(), *self.by_module.values()], Decimal("0.00"))


def monthly_share(catalog: Catalog, amount: Decimal, period: str) -> Fraction:
    billing = catalog.period(period)
    if billing.months:
        return Fraction(amount) / billing.months
    return Fraction(amount) * catalog.days_per_month / billing.days


def revenue(catalog: Catalog, terms: Iterable[tuple[str, Term]], today: date) -> Revenue:
    """``terms``: (tenant label, term as of today) pairs."""
    editions: dict[str, Fraction] = {}
    modules: dict[str, Fraction] = {}
    result = Revenue()
    for tenant, term in terms:
        result.trials += term.status is Status.TRIAL
        if term.status in PAYING:
            result.paying += 1
            _add_plan(catalog, term, editions, modules)
        last = paid_end(catalog, term) - timedelta(days=1)
        if term.status in (Status.TRIAL, *PAYING) and last - today < SOON:
            result.expiring.append(Expiring(tenant, term.status, last))
    result.by_edition = {name: round_money(value) for name, value in editions.items()}
    result.by_module = {name: round_money(value) for name, value in modules.items()}
    result.expiring.sort(key=lambda item: item.paid_through)
    return result


def _add_plan(
    catalog: Catalog, term: Term, editions: dict[str, Fraction], modules: dict[str, Fraction]
) -> None:
    for line in recurring_price(catalog, term.plan):
        kind, _, code = line.code.partition(":")
        share = monthly_share(catalog, line.amount, term.plan.period)
        if kind == "edition":
            name = catalog.edition(code).name
            editions[name] = editions.get(name, Fraction(0)) + share
        else:
            name = catalog.module(code).name if kind == "module" else catalog.bundle(code).name
            modules[name] = modules.get(name, Fraction(0)) + share
