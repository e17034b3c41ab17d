"""The cheapest way for a plan to gain a module: alone, in a bundle, or with a higher edition.

"Cheapest" is the smallest increase of the recurring price per billing period, for this plan's
seats and period: a per-seat module can lose to a flat bundle for a large team and win for a
small one. On a tie the simpler purchase wins: the module alone, then a bundle, then an edition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from bot.subscription.catalog import Bundle, Catalog, Edition, Module
from bot.subscription.plan import (
    NO_CODES,
    Plan,
    PlanChange,
    granted_modules,
    normalize_plan,
    split_change,
)
from bot.subscription.recurring import recurring_total


@dataclass(frozen=True, slots=True)
class Offer:
    module: Module  # what was asked for
    via: Module | Bundle | Edition  # what to buy to get it
    change: PlanChange  # pass to quote_change for today's prorated price
    per_period: Decimal  # how much more each billing period costs from now on


def cheapest_offer(catalog: Catalog, plan: Plan, module: str) -> Offer | None:
    """The cheapest purchase that grants ``module``; ``None`` if the plan already has it."""
    plan = normalize_plan(catalog, plan)
    wanted = catalog.module(module)
    if wanted.code in granted_modules(catalog, plan):
        return None
    base = recurring_total(catalog, plan)
    options: list[tuple[Module | Bundle | Edition, PlanChange]] = [
        (wanted, PlanChange(add_modules=frozenset({wanted.code})))
    ]
    options += [
        (b, PlanChange(add_bundles=frozenset({b.code}))) for b in catalog.bundles_with(wanted.code)
    ]
    options += [
        (e, _edition_change(catalog, plan, e)) for e in _higher_editions(catalog, plan, wanted)
    ]
    offers = [
        Offer(wanted, via, change, _increase(catalog, plan, change, base))
        for via, change in options
    ]
    # min() keeps the first of equal offers, and options are listed simplest first.
    return min(offers, key=lambda offer: offer.per_period)


def _higher_editions(catalog: Catalog, plan: Plan, wanted: Module) -> list[Edition]:
    """Editions with the module that count as an upgrade, so they apply at once."""
    current = catalog.edition(plan.edition).price.monthly
    return [e for e in catalog.editions_with(wanted.code) if e.price.monthly > current]


def _edition_change(catalog: Catalog, plan: Plan, edition: Edition) -> PlanChange:
    """Switch to ``edition`` and keep, as extra modules, whatever the old edition gave that the
    new one lacks: gaining a module must not silently cost another."""
    had = granted_modules(catalog, plan)
    keeps = granted_modules(catalog, replace(plan, edition=edition.code, modules=NO_CODES))
    return PlanChange(edition=edition.code, add_modules=frozenset(had - keeps - plan.modules))


def _increase(catalog: Catalog, plan: Plan, change: PlanChange, base: Decimal) -> Decimal:
    target = split_change(catalog, plan, change).next_period
    return recurring_total(catalog, target) - base
