"""Pricing basics: money rounding, proration, period arithmetic, recurring prices, renewals and
service items. Changes inside a period are in test_pricing_changes.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.subscription.catalog import Catalog, UnknownItemError, load_catalog
from bot.subscription.money import format_cny, round_money
from bot.subscription.periods import add_months, period_end
from bot.subscription.plan import Plan
from bot.subscription.pricing import (
    prorated_charge,
    quote_renewal,
    quote_services,
    recurring_price,
    recurring_total,
)
from bot.subscription.quote import LineItem, Quote
from bot.subscription.wording import discount_text

D = Decimal
MARCH = (date(2025, 3, 1), date(2025, 4, 1))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


# --- the required figures --------------------------------------------------------------


def test_five_more_seats_on_march_20_cost_191_61() -> None:
    assert prorated_charge(5 * D("99"), *MARCH, date(2025, 3, 20)) == D("191.61")


def test_five_more_seats_on_march_24_cost_127_74() -> None:
    assert prorated_charge(5 * D("99"), *MARCH, date(2025, 3, 24)) == D("127.74")


# --- prorated_charge ---------------------------------------------------------------------------


def test_whole_period_and_nothing_left() -> None:
    assert prorated_charge(D("495.00"), *MARCH, date(2025, 3, 1)) == D("495.00")
    assert prorated_charge(D("495.00"), *MARCH, date(2025, 4, 1)) == D("0.00")


def test_half_a_fen_rounds_up_from_the_exact_share() -> None:
    # 0.01 × 1/2 = 0.005 exactly: half up gives a fen; banker's rounding would give nothing.
    assert prorated_charge(D("0.01"), date(2025, 1, 1), date(2025, 1, 3), date(2025, 1, 2)) == D(
        "0.01"
    )
    # 1 × 2/3 = 0.6666…: rounded once, at the end.
    assert prorated_charge(D("1"), date(2025, 1, 1), date(2025, 1, 4), date(2025, 1, 2)) == D(
        "0.67"
    )


@pytest.mark.parametrize("on", [date(2025, 2, 28), date(2025, 4, 2)])
def test_a_day_outside_the_period_is_refused(on: date) -> None:
    with pytest.raises(ValueError, match="outside the period"):
        prorated_charge(D("99"), *MARCH, on)


def test_an_empty_or_backwards_period_is_refused() -> None:
    with pytest.raises(ValueError, match="empty period"):
        prorated_charge(D("99"), date(2025, 3, 1), date(2025, 3, 1), date(2025, 3, 1))
    with pytest.raises(ValueError, match="empty period"):
        prorated_charge(D("99"), date(2025, 4, 1), date(2025, 3, 1), date(2025, 3, 15))


def test_a_negative_amount_is_refused_because_nothing_is_refunded() -> None:
    with pytest.raises(ValueError, match="negative"):
        prorated_charge(D("-1"), *MARCH, date(2025, 3, 20))


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        ("0", ""),
        ("5", "95折"),
        ("10", "9折"),
        ("15", "85折"),
        ("95", "0.5折"),
        ("12.5", "优惠 12.5%"),
    ],
)
def test_discount_text_reads_like_a_price_list(percent: str, text: str) -> None:
    assert discount_text(D(percent)) == text


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("1.005", "1.01"), ("1.004999", "1.00"), ("-1.005", "-1.01"), ("0", "0.00"), ("7", "7.00")],
)
def test_round_money_half_up(value: str, rounded: str) -> None:
    result = round_money(D(value))
    assert result == D(rounded)
    assert str(result) == rounded


def test_format_cny() -> None:
    assert format_cny(D("1485")) == "¥1,485.00"
    assert format_cny(D("0.5")) == "¥0.50"
    assert format_cny(D("-3")) == "-¥3.00"


# --- period arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period", "count", "end"),
    [
        (date(2025, 1, 31), "month", 1, date(2025, 2, 28)),
        (date(2024, 1, 31), "month", 1, date(2024, 2, 29)),
        (date(2025, 1, 31), "month", 3, date(2025, 4, 30)),
        (date(2025, 3, 1), "month", 1, date(2025, 4, 1)),
        (date(2025, 11, 30), "quarter", 1, date(2026, 2, 28)),
        (date(2025, 8, 31), "half_year", 1, date(2026, 2, 28)),
        (date(2024, 2, 29), "year", 1, date(2025, 2, 28)),
        (date(2025, 12, 31), "day", 1, date(2026, 1, 1)),
        (date(2025, 3, 1), "day", 7, date(2025, 3, 8)),
        (date(2025, 3, 1), "year", 2, date(2027, 3, 1)),
    ],
)
def test_period_end_clamps_to_the_calendar(
    catalog: Catalog, start: date, period: str, count: int, end: date
) -> None:
    assert period_end(start, catalog.period(period), count) == end


def test_anchor_day_stops_month_end_drift(catalog: Catalog) -> None:
    month = catalog.period("month")
    assert period_end(date(2025, 2, 28), month) == date(2025, 3, 28)
    assert period_end(date(2025, 2, 28), month, anchor_day=31) == date(2025, 3, 31)
    assert add_months(date(2025, 3, 31), 1, anchor_day=31) == date(2025, 4, 30)
    with pytest.raises(ValueError, match="anchor_day"):
        add_months(date(2025, 3, 1), 1, anchor_day=32)
    with pytest.raises(ValueError, match="count"):
        period_end(date(2025, 3, 1), month, 0)


# --- recurring prices --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "unit", "total", "how"),
    [
        ("day", "3.30", "49.50", "（月价 ¥99.00 ÷ 30）"),
        ("month", "99.00", "1485.00", ""),
        ("quarter", "282.15", "4232.25", "（月价 ¥99.00 × 3，95折）"),
        ("half_year", "534.60", "8019.00", "（月价 ¥99.00 × 6，9折）"),
        ("year", "1009.80", "15147.00", "（月价 ¥99.00 × 12，85折）"),
    ],
)
def test_standard_edition_for_every_period(
    catalog: Catalog, period: str, unit: str, total: str, how: str
) -> None:
    [line] = recurring_price(catalog, Plan("standard", 15, period))
    billing = catalog.period(period)
    assert line.description == f"标准版 15 席 × ¥{D(unit):,}/{billing.unit}{how}"
    assert (line.quantity, line.unit_price, line.amount) == (15, D(unit), D(total))
    assert line.code == "edition:standard"


def test_plan_lines_edition_modules_bundles(catalog: Catalog) -> None:
    plan = Plan(
        "aftersales",
        10,
        "month",
        modules=frozenset({"knowledge", "orders", "tickets"}),
        bundles=frozenset({"service_pack"}),
    )
    lines = recurring_price(catalog, plan)
    # tickets is in the edition and knowledge in the bundle: neither is billed again.
    assert [(x.code, x.quantity, x.amount) for x in lines] == [
        ("edition:aftersales", 10, D("1290.00")),
        ("module:orders", 10, D("300.00")),
        ("bundle:service_pack", 10, D("790.00")),
    ]
    assert recurring_total(catalog, plan) == D("2380.00")


def test_flat_module_is_one_unit_whatever_the_seats(catalog: Catalog) -> None:
    plan = Plan("standard", 40, "month", modules=frozenset({"知识库"}))
    flat = recurring_price(catalog, plan)[1]
    assert (flat.description, flat.quantity, flat.amount) == ("知识库 ¥199.00/月", 1, D("199.00"))


def test_a_plan_can_be_priced_on_another_period(catalog: Catalog) -> None:
    plan = Plan("standard", 15, "month")
    assert recurring_total(catalog, plan, "年付") == D("15147.00")


def test_day_price_is_the_monthly_price_over_thirty_rounded_per_unit(catalog: Catalog) -> None:
    plan = Plan("standard", 15, "day", modules=frozenset({"knowledge"}))
    quote = quote_renewal(catalog, plan, 2, date(2025, 3, 1))
    knowledge = quote.lines[1]
    # ¥199 ÷ 30 = 6.6333… → ¥6.63 a day, so two days are ¥13.26 (not round(13.2666…) = 13.27).
    assert (knowledge.unit_price, knowledge.quantity, knowledge.amount) == (
        D("6.63"),
        2,
        D("13.26"),
    )
    assert knowledge.description == "知识库 ¥6.63/天 × 2 天（月价 ¥199.00 ÷ 30）"
    assert quote.ends_on == date(2025, 3, 3)
    assert quote.total == D("112.26")


# --- renewals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "periods", "total", "ends_on", "saving"),
    [
        ("day", 10, "495.00", date(2025, 4, 11), None),
        ("month", 12, "17820.00", date(2026, 4, 1), None),
        ("quarter", 1, "4232.25", date(2025, 7, 1), "按季度享95折，比原价节省 ¥222.75"),
        ("half_year", 1, "8019.00", date(2025, 10, 1), "按半年享9折，比原价节省 ¥891.00"),
        ("year", 1, "15147.00", date(2026, 4, 1), "按年享85折，比原价节省 ¥2,673.00"),
        ("year", 2, "30294.00", date(2027, 4, 1), "按年享85折，比原价节省 ¥5,346.00"),
    ],
)
def test_renewal_for_every_period(
    catalog: Catalog, period: str, periods: int, total: str, ends_on: date, saving: str | None
) -> None:
    quote = quote_renewal(catalog, Plan("standard", 15, period), periods, date(2025, 4, 1))
    assert quote.total == D(total)
    assert (quote.effective_on, quote.ends_on) == (date(2025, 4, 1), ends_on)
    expected_notes = [f"服务期 2025-04-01 至 {date.fromordinal(ends_on.toordinal() - 1)}"]
    assert list(quote.notes) == expected_notes + ([saving] if saving else [])


def test_renewal_render_reads_like_the_chat_reply(catalog: Catalog) -> None:
    plan = Plan("售后服务版", 15, "季度", modules=frozenset({"知识库"}))
    quote = quote_renewal(catalog, plan, 4, date(2025, 4, 1))
    assert quote.render() == "\n".join(
        [
            "1. 售后服务版 15 席 × ¥367.65/季度 × 4 个季度（月价 ¥129.00 × 3，95折）：¥22,059.00",
            "2. 知识库 ¥567.15/季度 × 4 个季度（月价 ¥199.00 × 3，95折）：¥2,268.60",
            "合计：¥24,327.60（2025-04-01 起生效）",
            "· 服务期 2025-04-01 至 2026-03-31",
            "· 按季度享95折，比原价节省 ¥1,280.40",
        ]
    )


def test_renewal_keeps_a_month_end_anchor(catalog: Catalog) -> None:
    quote = quote_renewal(
        catalog, Plan("standard", 1, "month"), 1, date(2025, 2, 28), anchor_day=31
    )
    assert quote.ends_on == date(2025, 3, 31)


def test_renewal_needs_a_period(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="at least one period"):
        quote_renewal(catalog, Plan("standard", 1, "month"), 0, date(2025, 4, 1))


def test_unknown_names_in_a_plan_are_named(catalog: Catalog) -> None:
    with pytest.raises(UnknownItemError, match="unknown edition '旗舰版'"):
        recurring_price(catalog, Plan("旗舰版", 1, "month"))
    with pytest.raises(ValueError, match="at least one seat"):
        Plan("standard", 0, "month")


# --- service items -----------------------------------------------------------------------------


def test_service_items_are_quoted_per_unit(catalog: Catalog) -> None:
    quote = quote_services(catalog, {"远程支持": 2, "onsite_visit": 1}, date(2025, 3, 20))
    assert (
        quote.lines_text()
        == "1. 远程支持 2 次 × ¥300.00/次：¥600.00\n2. 上门服务 1 次 × ¥800.00/次：¥800.00"
    )
    assert [x.code for x in quote.lines] == ["service:remote_support", "service:onsite_visit"]
    assert quote.total == D("1400.00")


def test_service_quantity_must_be_positive(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        quote_services(catalog, {"远程支持": 0}, date(2025, 3, 20))
    with pytest.raises(UnknownItemError):
        quote_services(catalog, {"洗车": 1}, date(2025, 3, 20))


# --- line items and quotes keep their invariants -----------------------------------------------


def test_a_line_must_be_rounded_and_a_total_must_be_the_sum() -> None:
    with pytest.raises(ValueError, match="rounded to the fen"):
        LineItem("x", 1, D("1.005"), D("1.005"))
    line = LineItem("x", 3, D("0.33"), D("0.99"))
    with pytest.raises(ValueError, match="sum of its lines"):
        Quote((line,), D("1.00"), date(2025, 3, 1))
    assert Quote.of([line, line], date(2025, 3, 1)).total == D("1.98")
    assert Quote.of([], date(2025, 3, 1)).render() == "合计：¥0.00（2025-03-01 起生效）"
