"""Property tests from issue 3: a prorated charge is never negative and never more than the full
period's; splitting a period in two never charges more than not splitting; rounding per line."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.subscription.catalog import load_catalog
from bot.subscription.money import money_sum
from bot.subscription.periods import period_end
from bot.subscription.plan import Plan, PlanChange, split_change
from bot.subscription.pricing import prorated_charge, quote_change, quote_renewal
from bot.subscription.recurring import recurring_price, recurring_total

CATALOG = load_catalog()  # pure and immutable, so sharing it across examples is safe

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
lengths = st.integers(min_value=1, max_value=400)


@st.composite
def periods_with_days(draw: st.DrawFn) -> tuple[date, date, date, date]:
    """A period [start, end) and two days inside it, ``first <= second``."""
    start = draw(starts)
    end = start + timedelta(days=draw(lengths))
    first, second = sorted(
        start + timedelta(days=draw(st.integers(0, (end - start).days))) for _ in range(2)
    )
    return start, end, first, second


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    return Plan(
        edition=draw(st.sampled_from([e.code for e in CATALOG.editions])),
        seats=draw(st.integers(1, 200)),
        period=draw(st.sampled_from([p.code for p in CATALOG.periods])),
        modules=draw(st.frozensets(st.sampled_from([m.code for m in CATALOG.modules]))),
        bundles=draw(st.frozensets(st.sampled_from([b.code for b in CATALOG.bundles]))),
    )


@st.composite
def increases(draw: st.DrawFn, plan: Plan) -> PlanChange:
    """Any mix of increases the chat commands can ask for: seats, edition, modules, bundles."""
    return PlanChange(
        seats=draw(st.none() | st.integers(plan.seats, plan.seats + 50)),
        edition=draw(st.none() | st.sampled_from([e.code for e in CATALOG.editions])),
        add_modules=draw(st.frozensets(st.sampled_from([m.code for m in CATALOG.modules]))),
        add_bundles=draw(st.frozensets(st.sampled_from([b.code for b in CATALOG.bundles]))),
    )


@given(amounts, periods_with_days())
def test_prorated_charge_is_between_zero_and_the_full_amount(
    amount: Decimal, span: tuple[date, date, date, date]
) -> None:
    start, end, on, _ = span
    charge = prorated_charge(amount, start, end, on)
    assert Decimal("0.00") <= charge <= amount
    assert charge.as_tuple().exponent == -2
    assert prorated_charge(amount, start, end, start) == amount
    assert prorated_charge(amount, start, end, end) == 0


@given(amounts, periods_with_days())
def test_a_later_day_never_costs_more(amount: Decimal, span: tuple[date, date, date, date]) -> None:
    start, end, earlier, later = span
    assert prorated_charge(amount, start, end, later) <= prorated_charge(
        amount, start, end, earlier
    )


@given(st.data())
def test_splitting_a_period_at_a_change_never_costs_more_than_not_splitting(
    data: st.DataObject,
) -> None:
    """The period split in two at a change (the old plan before, the new plan after) never costs
    more than one plan for the whole period: the new plan, or the old one if the change made the
    plan cheaper (what was paid is not refunded). Any mix of increases, any plan, any period."""
    plan = data.draw(plans())
    what = data.draw(increases(plan))
    start = data.draw(starts)
    end = period_end(start, CATALOG.period(plan.period))
    on = start + timedelta(days=data.draw(st.integers(0, (end - start).days)))
    quote = quote_change(
        CATALOG, plan, what, on, period_start=start, period_end=end, highest_paid_seats=plan.seats
    )
    now = split_change(CATALOG, plan, what).now
    assert Decimal("0.00") <= quote.total
    assert recurring_total(CATALOG, plan) + quote.total <= max(
        recurring_total(CATALOG, now), recurring_total(CATALOG, plan)
    )


@given(st.data())
def test_splitting_an_increase_across_two_days_never_costs_more_than_the_final_plan(
    data: st.DataObject,
) -> None:
    """Seats added in two steps within a period: old plan + both charges <= the final plan."""
    start, end, first, second = data.draw(periods_with_days())
    seats = data.draw(st.integers(1, 100))
    middle = seats + data.draw(st.integers(0, 50))
    final = middle + data.draw(st.integers(0, 50))
    plan = Plan(data.draw(st.sampled_from([e.code for e in CATALOG.editions])), seats, "month")

    def charge(current: Plan, seats_to: int, on: date) -> Decimal:
        what = PlanChange(seats=seats_to)
        return quote_change(
            CATALOG, current, what, on, period_start=start, period_end=end,
            highest_paid_seats=current.seats,
        ).total  # fmt: skip

    paid = charge(plan, middle, first) + charge(Plan(plan.edition, middle, "month"), final, second)
    final_plan = Plan(plan.edition, final, "month")
    assert recurring_total(CATALOG, plan) + paid <= recurring_total(CATALOG, final_plan)


@given(plans(), st.integers(1, 6), st.integers(1, 6), starts)
def test_splitting_a_renewal_in_two_costs_the_same(
    plan: Plan, first: int, second: int, start: date
) -> None:
    whole = quote_renewal(CATALOG, plan, first + second, start)
    head = quote_renewal(CATALOG, plan, first, start)
    assert whole.total == head.total + quote_renewal(CATALOG, plan, second, start).total


@given(plans())
def test_recurring_lines_are_rounded_one_by_one(plan: Plan) -> None:
    lines = recurring_price(CATALOG, plan)
    for line in lines:
        assert line.amount.as_tuple().exponent == -2
        assert line.unit_price.as_tuple().exponent == -2
        assert line.amount == line.unit_price * line.quantity
    assert recurring_total(CATALOG, plan) == money_sum([line.amount for line in lines])


@given(st.data())
def test_change_lines_are_prorated_and_rounded_one_by_one(data: st.DataObject) -> None:
    plan = data.draw(plans())
    what = data.draw(increases(plan))
    start, end, on, _ = data.draw(periods_with_days())
    quote = quote_change(
        CATALOG, plan, what, on, period_start=start, period_end=end, highest_paid_seats=plan.seats
    )
    for line in quote.lines:
        assert line.amount == prorated_charge(line.unit_price * line.quantity, start, end, on)
    assert quote.total == money_sum([line.amount for line in quote.lines])
