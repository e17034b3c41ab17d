"""Pricing: pure functions over a ``Catalog``. Decimal money, no I/O, no clock.

Money is CNY with two places, rounded half up; every line item is rounded on its own and a total
is always the sum of its rounded lines. Proration is by whole calendar days (the caller turns
instants into dates in the tenant's timezone). Periods are half-open: [start, end).

The change rules of issue 3:

- an increase (more seats, a module or bundle, a more expensive edition) applies at once and
  costs ``prorated_charge`` of the per-period price increase, line by line;
- a decrease (fewer seats, a removed module or bundle, a cheaper edition) or a change of billing
  period takes effect at the next period and is never refunded inside the current one;
- after a decrease, an increase in the same period pays only for seats above the highest count
  already paid for this period (``highest_paid_seats``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction

from bot.subscription import wording
from bot.subscription.catalog import Catalog
from bot.subscription.changes import change_notes, increases
from bot.subscription.money import money_sum, round_money
from bot.subscription.offers import Offer, cheapest_offer
from bot.subscription.periods import add_months, last_day, period_end
from bot.subscription.plan import (
    ChangeSplit,
    Plan,
    PlanChange,
    granted_modules,
    normalize_change,
    normalize_plan,
    split_change,
)
from bot.subscription.quote import LineItem, Quote
from bot.subscription.recurring import (
    list_price_total,
    period_unit_price,
    recurring_lines,
    recurring_price,
    recurring_total,
)

__all__ = [
    "ChangeSplit",
    "LineItem",
    "Offer",
    "Plan",
    "PlanChange",
    "Quote",
    "add_months",
    "cheapest_offer",
    "granted_modules",
    "period_end",
    "period_unit_price",
    "prorated_charge",
    "quote_change",
    "quote_renewal",
    "quote_services",
    "recurring_price",
    "recurring_total",
    "split_change",
]


def prorated_charge(
    amount_per_period: Decimal, period_start: date, period_end: date, on: date
) -> Decimal:
    """The charge for [on, period_end) of a period [period_start, period_end) that costs
    ``amount_per_period``: amount × days left / days in period, divided exactly and rounded
    once, half up, to the fen."""
    _check_day(period_start, period_end, on)
    if amount_per_period < 0:
        # A decrease is never refunded inside the period, so a negative charge is a bug upstream.
        raise ValueError(f"amount_per_period must not be negative, got {amount_per_period}")
    remaining = (period_end - on).days
    length = (period_end - period_start).days
    return round_money(Fraction(amount_per_period) * remaining / length)


def _check_day(period_start: date, period_end: date, on: date) -> None:
    if period_end <= period_start:
        raise ValueError(f"empty period: {period_start} → {period_end}")
    if not period_start <= on <= period_end:
        raise ValueError(f"{on} is outside the period {period_start} → {period_end}")


def quote_renewal(
    catalog: Catalog, plan: Plan, periods: int, start: date, *, anchor_day: int | None = None
) -> Quote:
    """``periods`` consecutive billing periods of ``plan`` from ``start`` (the current end);
    ``anchor_day`` keeps a subscription that began on the 31st on month ends (see periods)."""
    if periods < 1:
        raise ValueError(f"a renewal covers at least one period, got {periods}")
    plan = normalize_plan(catalog, plan)
    billing = catalog.period(plan.period)
    end = period_end(start, billing, periods, anchor_day=anchor_day)
    lines = recurring_lines(catalog, plan, billing, periods)
    notes = [wording.span(start, last_day(end))]
    saved = list_price_total(catalog, plan, billing, periods) - money_sum([x.amount for x in lines])
    if saved > 0:
        notes.append(wording.saving(billing, saved))
    return Quote.of(lines, start, notes, end)


def quote_change(
    catalog: Catalog,
    plan: Plan,
    change: PlanChange,
    on: date,
    *,
    period_start: date,
    period_end: date,
    highest_paid_seats: int,
) -> Quote:
    """What ``change`` to ``plan`` costs on ``on``, inside the paid period [start, end).

    ``plan`` is what is in force today; ``highest_paid_seats`` the most seats paid for in this
    period (pass ``plan.seats`` if unsure: the larger of the two is used). Decreases cost ¥0.00
    now; the notes state them and the price from ``period_end``. ``split_change`` gives the plans
    to apply now and to store as pending for the next period.
    """
    _check_day(period_start, period_end, on)
    if highest_paid_seats < 0:
        raise ValueError(f"highest_paid_seats must not be negative, got {highest_paid_seats}")
    plan, change = normalize_plan(catalog, plan), normalize_change(catalog, change)
    split = split_change(catalog, plan, change)
    remaining, length = (period_end - on).days, (period_end - period_start).days
    lines = [
        LineItem(
            wording.prorated(item.description, remaining, length),
            item.quantity,
            item.unit_price,
            prorated_charge(item.per_period, period_start, period_end, on),
            item.code,
        )
        for item in increases(catalog, plan, split.now, highest_paid_seats)
    ]
    notes = change_notes(
        catalog, plan, change, split, next_start=period_end, highest_paid_seats=highest_paid_seats
    )
    if not lines:
        notes.insert(0, wording.nothing_due())
    effective_on = on if split.now != plan else period_end
    return Quote.of(lines, effective_on, notes)


def quote_services(catalog: Catalog, items: Mapping[str, int], on: date) -> Quote:
    """One-off service items, by code or name, with their quantities."""
    lines = []
    for name, quantity in items.items():
        if isinstance(quantity, bool) or quantity < 1:
            raise ValueError(f"quantity of {name!r} must be at least 1, got {quantity!r}")
        item = catalog.service(name)
        text = wording.service_line(item.name, quantity, item.price, item.unit)
        lines.append(
            LineItem(text, quantity, item.price, item.price * quantity, f"service:{item.code}")
        )
    return Quote.of(lines, on)
