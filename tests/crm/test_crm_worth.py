"""A customer's lifetime value and growth potential from their orders (bot/crm/worth.py),
on hand-computed cases, and on the customer card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.crm.worth import worth_of

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_no_orders_no_figures() -> None:
    assert worth_of([], "A", NOW) is None


def test_a_steady_customer() -> None:
    # ¥10,000 a quarter for a year and a half: ¥60,000 in all, ¥40,000 in the last year,
    # ¥20,000 in the last half year (a run rate of ¥40,000): steady.
    sold = [(days_ago(d), 1_000_000) for d in (10, 100, 190, 280, 370, 460)]
    worth = worth_of(sold, "B", NOW)
    assert worth is not None
    assert (worth.total, worth.last_year, worth.run_rate) == (6_000_000, 4_000_000, 4_000_000)
    assert worth.lifetime == 6_000_000 + 4_000_000 * 3  # tier B: three more years
    assert (worth.growth, worth.compared) == (0, True)
    assert worth.line() == (
        "成交：累计 ¥60,000.00，近一年 ¥40,000.00；预计终身价值 ¥180,000.00；"
        "成交平稳（近半年年化 ¥40,000.00）"
    )


def test_buying_faster_lately_is_growth() -> None:
    # ¥5,000 ten months ago, ¥15,000 in the last half year: last year ¥20,000, run rate
    # ¥30,000, growth +¥10,000 (+50%); tier A keeps four years at the higher pace.
    worth = worth_of([(days_ago(300), 500_000), (days_ago(20), 1_500_000)], "A", NOW)
    assert worth is not None
    assert (worth.last_year, worth.run_rate, worth.growth) == (2_000_000, 3_000_000, 1_000_000)
    assert worth.lifetime == 2_000_000 + 3_000_000 * 4
    assert worth.line().endswith("增长潜力 +¥10,000.00（近半年年化 ¥30,000.00，+50%）")


def test_slowing_down_is_shown_as_such() -> None:
    worth = worth_of([(days_ago(250), 3_000_000), (days_ago(30), 500_000)], "D", NOW)
    assert worth is not None
    assert (worth.last_year, worth.run_rate, worth.growth) == (3_500_000, 1_000_000, -2_500_000)
    assert worth.lifetime == 3_500_000 + 3_500_000 * 1
    assert worth.line().endswith("成交放缓 −¥25,000.00（近半年年化 ¥10,000.00，−71%）")


def test_a_new_customer_has_nothing_to_compare_with() -> None:
    worth = worth_of([(days_ago(3), 250_050)], "C", NOW)
    assert worth is not None
    assert (worth.growth, worth.compared) == (0, False)
    assert worth.lifetime == 250_050 + 500_100 * 2
    assert worth.line() == (
        "成交：累计 ¥2,500.50，近一年 ¥2,500.50；预计终身价值 ¥12,502.50；新客户，尚无一年可比"
    )


@pytest.mark.parametrize("tier", ["A", "B", "C", "D", "?"])
def test_lifetime_never_falls_below_what_was_bought(tier: str) -> None:
    worth = worth_of([(days_ago(400), 100), (days_ago(1), 1)], tier, NOW)
    assert worth is not None and worth.lifetime >= worth.total
