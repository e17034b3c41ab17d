"""What a mid-period change adds to the recurring price, and what to tell the person about it.

Increases are priced part by part (the edition, each module, each bundle) and seat by seat:

- seats already paid for this period (``max(plan.seats, highest_paid_seats)``) pay only the
  difference in unit price of what they gain: an edition's price difference, a new module;
- seats above that pay the full per-seat price of the new plan, in one "加席位" line;
- an extra module already bought that a new edition or bundle now covers is credited against
  that edition's or bundle's line; credit that line cannot use lowers the change's other lines.

So a change costs at most what it adds to the recurring price, prorated, and never less than
nothing: nothing is refunded inside the period.

The amounts here are per billing period; ``pricing.quote_change`` prorates each line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.subscription import wording
from bot.subscription.catalog import BillingPeriod, Catalog
from bot.subscription.money import ZERO, format_cny
from bot.subscription.plan import ChangeSplit, Plan, PlanChange, billable_modules, granted_modules
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


@dataclass(slots=True)
class _Credit:
    """Extras made redundant by one new part, per billing period."""

    per_seat: Decimal = ZERO
    flat: Decimal = ZERO
    names: list[str] = field(default_factory=list)

    def amount(self, seats: int) -> Decimal:
        return self.per_seat * seats + self.flat


def increases(catalog: Catalog, plan: Plan, now: Plan, highest_paid_seats: int) -> list[Increase]:
    """The per-period increases of going from ``plan`` to ``now`` in the current period."""
    period = catalog.period(plan.period)
    paid = {part.slot: part for part in plan_components(catalog, plan)}
    kept = min(now.seats, max(plan.seats, highest_paid_seats))
    parts = plan_components(catalog, now)
    credits = _credits(catalog, plan, now, period)
    result: list[Increase] = []
    unused = ZERO
    for part in parts:
        before, credit = paid.get(part.slot), credits.get(part.slot, _Credit())
        gain = _gain(catalog, part, before, period)
        net = gain * (kept if part.price.per_seat else 1) - credit.amount(kept)
        if net > 0:
            result.append(_increase(part, before, kept, period, gain=gain, credit=credit))
        else:
            unused += min(credit.amount(kept), -net)
    if now.seats > kept:
        result.append(_more_seats(catalog, parts, now.seats - kept, period))
    return _offset(result, unused, period)


def _offset(found: list[Increase], credit: Decimal, period: BillingPeriod) -> list[Increase]:
    """Credit that a new part could not use up lowers the change's other lines, in order, so a
    change never costs more than the difference it makes to the recurring price."""
    result = []
    for increase in found:
        used = min(credit, increase.per_period)
        credit -= used
        if not used:
            result.append(increase)
        elif used < increase.per_period:
            text = wording.offset(increase.description, used, period)
            result.append(Increase(text, 1, increase.per_period - used, increase.code))
    return result


def _credits(catalog: Catalog, plan: Plan, now: Plan, period: BillingPeriod) -> dict[str, _Credit]:
    """Extras billed in ``plan`` but covered in ``now``, keyed by the slot that covers them."""
    credits: dict[str, _Credit] = {}
    billed_now = billable_modules(catalog, now)
    for code in (m for m in billable_modules(catalog, plan) if m not in billed_now):
        module = catalog.module(code)
        credit = credits.setdefault(_coverer(catalog, plan, now, code), _Credit())
        unit = period_unit_price(catalog, module.price.monthly, period)
        if module.price.per_seat:
            credit.per_seat += unit
        else:
            credit.flat += unit
        credit.names.append(module.name)
    return credits


def _coverer(catalog: Catalog, plan: Plan, now: Plan, module: str) -> str:
    """The new edition, or else the first new bundle, that includes ``module``."""
    if now.edition != plan.edition and catalog.edition(now.edition).includes(module):
        return "edition"
    added = sorted(now.bundles - plan.bundles)
    return next(f"bundle:{b}" for b in added if module in catalog.bundle(b).modules)


def _gain(
    catalog: Catalog, part: Component, before: Component | None, period: BillingPeriod
) -> Decimal:
    """How much more one unit of ``part`` costs per period than what its slot held before."""
    unit = period_unit_price(catalog, part.price.monthly, period)
    if before is None:
        return unit
    return unit - period_unit_price(catalog, before.price.monthly, period)


def _increase(
    part: Component,
    before: Component | None,
    seats: int,
    period: BillingPeriod,
    *,
    gain: Decimal,
    credit: _Credit,
) -> Increase:
    # Stay per seat when the credit is too, so the line still reads "15 席 × 差价 ¥30.00".
    if part.price.per_seat and not credit.flat:
        shown: int | None = seats
        quantity, unit = seats, gain - credit.per_seat
    else:
        shown, quantity = None, 1
        unit = gain * (seats if part.price.per_seat else 1) - credit.amount(seats)
    if before is not None and before.code != part.code:
        text = wording.upgrade_edition(before.name, part.name, shown, unit, period)
    else:
        text = wording.add_item(part.name, shown, unit, period)
    return Increase(wording.credited(text, credit.names), quantity, unit, part.code)


def _more_seats(
    catalog: Catalog, parts: tuple[Component, ...], count: int, period: BillingPeriod
) -> Increase:
    per_seat = [p for p in parts if p.price.per_seat]
    units = [period_unit_price(catalog, p.price.monthly, period) for p in per_seat]
    names = [f"{p.name} {format_cny(u)}" for p, u in zip(per_seat, units, strict=True)]
    unit = sum(units, ZERO)
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
    if superseded := _superseded(catalog, plan, later):
        notes.append(wording.superseded(superseded, next_start))
    notes += _deferred(catalog, now, later, next_start)
    billing = catalog.period(later.period)
    notes.append(wording.next_price(next_start, billing, recurring_total(catalog, later)))
    return notes


def _superseded(catalog: Catalog, plan: Plan, later: Plan) -> list[str]:
    """Extras still held but now covered by the edition or a bundle: no longer billed alone."""
    billed_later = billable_modules(catalog, later)
    return [
        catalog.module(m).name
        for m in billable_modules(catalog, plan)
        if m in later.modules and m not in billed_later
    ]


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
