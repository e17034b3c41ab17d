"""The recurring price of a plan: one line per edition, extra module and bundle.

Period discounts are folded into each line's unit price rather than shown as a separate minus
line: a unit price is rounded once per period, so every line keeps ``amount = quantity × unit``,
a prorated share of one line is still that line's share, and the saving is stated in a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from bot.subscription import wording
from bot.subscription.catalog import BillingPeriod, Catalog, Price
from bot.subscription.money import money_sum, round_money
from bot.subscription.plan import Plan, billable_modules, normalize_plan
from bot.subscription.quote import LineItem


@dataclass(frozen=True, slots=True)
class Component:
    """One priced part of a plan; ``code`` is the line code (``module:tickets``)."""

    code: str
    name: str
    price: Price

    @property
    def slot(self) -> str:
        """Editions share one slot, so a change of edition compares old and new prices."""
        return "edition" if self.code.startswith("edition:") else self.code


def plan_components(catalog: Catalog, plan: Plan) -> tuple[Component, ...]:
    """Edition first, then billable extra modules and bundles, in catalog order."""
    plan = normalize_plan(catalog, plan)
    edition = catalog.edition(plan.edition)
    parts = [Component(f"edition:{edition.code}", edition.name, edition.price)]
    for code in billable_modules(catalog, plan):
        module = catalog.module(code)
        parts.append(Component(f"module:{code}", module.name, module.price))
    parts += [
        Component(f"bundle:{b.code}", b.name, b.price)
        for b in catalog.bundles
        if b.code in plan.bundles
    ]
    return tuple(parts)


def period_unit_price(
    catalog: Catalog, monthly: Decimal, period: BillingPeriod, *, discounted: bool = True
) -> Decimal:
    """The price of one unit (a seat, or a flat item) for one period, rounded once."""
    if period.months:
        length = Fraction(period.months)
    else:
        length = Fraction(period.days, catalog.days_per_month)
    kept = 1 - Fraction(period.discount_percent) / 100 if discounted else Fraction(1)
    return round_money(Fraction(monthly) * length * kept)


def recurring_lines(
    catalog: Catalog, plan: Plan, period: BillingPeriod, count: int
) -> list[LineItem]:
    """The plan's lines for ``count`` consecutive periods of ``period``."""
    lines = []
    for part in plan_components(catalog, plan):
        unit = period_unit_price(catalog, part.price.monthly, period)
        how = wording.derivation(part.price.monthly, period, catalog.days_per_month)
        quantity = (plan.seats if part.price.per_seat else 1) * count
        text = wording.recurring_line(
            part.name, part.price, plan.seats, unit, period, how=how, count=count
        )
        lines.append(LineItem(text, quantity, unit, unit * quantity, part.code))
    return lines


def recurring_price(catalog: Catalog, plan: Plan, period: str | None = None) -> list[LineItem]:
    """One period of ``plan``, on its own billing period or on ``period`` to compare."""
    billing = catalog.period(period or plan.period)
    return recurring_lines(catalog, plan, billing, 1)


def recurring_total(catalog: Catalog, plan: Plan, period: str | None = None) -> Decimal:
    """The sum of ``recurring_price``: what one period of the plan costs."""
    return money_sum([line.amount for line in recurring_price(catalog, plan, period)])


def list_price_total(catalog: Catalog, plan: Plan, period: BillingPeriod, count: int) -> Decimal:
    """What ``count`` periods would cost without the period's discount, for the saving note."""
    total = Decimal("0.00")
    for part in plan_components(catalog, plan):
        unit = period_unit_price(catalog, part.price.monthly, period, discounted=False)
        total += unit * (plan.seats if part.price.per_seat else 1) * count
    return total
