"""What a mid-period change adds to the recurring price, and what to tell the person about it.

Each increase is compared part by part (edition, each module, each bundle) and seat by seat:

- seats this period already paid for (``max(plan.seats, highest_paid_seats)``) pay only the
  difference in unit price of what they gain: an edition's price difference, a new module;
- seats above that pay the full unit price of the new plan, in one "加席位" line;
- nothing is credited: a part that gets cheaper, or that a new edition or bundle now covers, was
  bought for this period and stays paid; it stops costing money from the next period.

The amounts here are per billing period; ``pricing.quote_change`` prorates each line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.subscription import wording
from bot.subscription.catalog import BillingPeriod, Catalog
from bot.subscription.money import format_cny
from bot.subscription.plan import ChangeSplit, Plan, PlanChange, granted_modules
from bot.subscription.recurring import (
    Component,
    period_unit_price,
    plan_components,
    recurring_total,
)


@dataclass(frozen=True, slots=True)
class Increase:
    description: str
    quantity: int
    unit_price: Decimal  # per billing period
    code: str

    @property
    def per_period(self) -> Decimal:
        return self.unit_price * self.quantity


def increases(catalog: Catalog, plan: Plan, now: Plan, highest_paid_seats: int) -> list[Increase]:
    """The per-period increases of going from ``plan`` to ``now`` in the current period."""
    period = catalog.period(plan.period)
    paid = {part.slot: part for part in plan_components(catalog, plan)}
    kept = min(now.seats, max(plan.seats, highest_paid_seats))
    parts = plan_components(catalog, now)
    found = [_upgrade(catalog, part, paid.get(part.slot), kept, period) for part in parts]
    result = [increase for increase in found if increase is not None]
    if now.seats > kept:
        result.append(_more_seats(catalog, parts, now.seats - kept, period))
    return result


def _upgrade(
    catalog: Catalog, part: Component, before: Component | None, seats: int, period: BillingPeriod
) -> Increase | None:
    unit = period_unit_price(catalog, part.price.monthly, period)
    old = period_unit_price(catalog, before.price.monthly, period) if before else Decimal("0.00")
    if unit <= old:
        return None
    quantity = seats if part.price.per_seat else 1
    if before is not None and before.code != part.code:
        text = wording.upgrade_edition(before.name, part.name, quantity, unit - old, period)
    else:
        text = wording.add_item(part.name, part.price.per_seat, quantity, unit - old, period)
    return Increase(text, quantity, unit - old, part.code)


def _more_seats(
    catalog: Catalog, parts: tuple[Component, ...], count: int, period: BillingPeriod
) -> Increase:
    per_seat = [p for p in parts if p.price.per_seat]
    units = [period_unit_price(catalog, p.price.monthly, period) for p in per_seat]
    names = [f"{p.name} {format_cny(u)}" for p, u in zip(per_seat, units, strict=True)]
    unit = sum(units, Decimal("0.00"))
    return Increase(wording.add_seats(count, unit, period, names), count, unit, "seats")


def change_notes(
    catalog: Catalog,
    plan: Plan,
    change: PlanChange,
    split: ChangeSplit,
    *,
    next_start: date,
    highest_paid_seats: int,
) -> list[str]:
    """Why nothing (or less) is due now, and what happens from ``next_start``."""
    now, later = split.now, split.next_period
    notes: list[str] = []
    held = max(plan.seats, highest_paid_seats)
    if plan.seats < now.seats <= held:
        notes.append(wording.already_paid_seats(held, now.seats))
    if included := [
        catalog.module(m).name for m in change.add_modules if m in granted_modules(catalog, plan)
    ]:
        notes.append(wording.already_included(included))
    if superseded := _superseded(catalog, plan, now):
        notes.append(wording.superseded(superseded, next_start))
    notes += _deferred(catalog, now, later, next_start)
    billing = catalog.period(later.period)
    notes.append(wording.next_price(next_start, billing, recurring_total(catalog, later)))
    return notes


def _superseded(catalog: Catalog, plan: Plan, now: Plan) -> list[str]:
    """Paid parts that the change makes redundant: kept this period, dropped from the next."""
    before = {
        p.code: p.name for p in plan_components(catalog, plan) if not p.code.startswith("edition:")
    }
    after = {p.code for p in plan_components(catalog, now)}
    return [name for code, name in before.items() if code not in after]


def _deferred(catalog: Catalog, now: Plan, later: Plan, start: date) -> list[str]:
    notes = []
    if later.seats < now.seats:
        notes.append(wording.fewer_seats(start, later.seats))
    if later.edition != now.edition:
        notes.append(wording.edition_later(start, catalog.edition(later.edition).name))
    dropped = [catalog.module(m).name for m in sorted(now.modules - later.modules)]
    dropped += [catalog.bundle(b).name for b in sorted(now.bundles - later.bundles)]
    if dropped:
        notes.append(wording.removed_later(start, dropped))
    if later.period != now.period:
        notes.append(wording.period_later(start, catalog.period(later.period)))
    return notes
