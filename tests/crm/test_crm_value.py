"""The customer value formula (bot.crm.value), worked through by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.crm.value import ValueInputs, assess, tier_of

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def inputs(
    days_ago: int | None, in_90d: int, recent: int, previous: int, orders: str | None = None
) -> ValueInputs:
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    return ValueInputs(last, in_90d, recent, previous, None if orders is None else Decimal(orders))


def test_a_customer_nobody_has_talked_to_is_d() -> None:
    result = assess(inputs(None, 0, 0, 0), NOW)
    assert (result.score, result.tier) == (0, "D")
    assert result.reasons == ("还没有互动记录", "近 90 天互动 0 次", "暂无订单数据")


def test_recent_frequent_rising_without_order_data_is_scaled_to_reach_a() -> None:
    # R 35 + F 30 = 65, scaled to 90; growth +10 -> 100.
    result = assess(inputs(2, 12, 8, 4), NOW)
    assert (result.score, result.tier) == (100, "A")
    assert result.reasons == (
        "2 天前有互动",
        "近 90 天互动 12 次",
        "互动在增加",
        "暂无订单数据",
    )


def test_orders_count_once_they_exist() -> None:
    # R 25 (20 days) + F 3*4=12 + M 18 (>= ¥20,000) + G 0 = 55.
    result = assess(inputs(20, 4, 2, 2, "25000.00"), NOW)
    assert (result.score, result.tier) == (55, "B")
    assert result.reasons == ("20 天前有互动", "近 90 天互动 4 次", "近一年成交 ¥25,000.00")


def test_falling_activity_costs_points_and_says_so() -> None:
    # R 10 (60 days) + F 3 + M 0 (no orders this year) - 10 = 3.
    result = assess(inputs(60, 1, 0, 1, "0"), NOW)
    assert (result.score, result.tier) == (3, "D")
    assert result.reasons == (
        "60 天前有互动",
        "近 90 天互动 1 次",
        "互动在减少",
        "近一年没有成交",
    )


def test_a_long_silence_scores_no_recency() -> None:
    result = assess(inputs(200, 0, 0, 0, "120000"), NOW)
    assert (result.score, result.tier) == (25, "C")
    assert result.reasons[0] == "已 200 天没有互动"


@pytest.mark.parametrize(
    ("score", "tier"),
    [(100, "A"), (75, "A"), (74, "B"), (50, "B"), (49, "C"), (25, "C"), (24, "D"), (0, "D")],
)
def test_tier_boundaries(score: int, tier: str) -> None:
    assert tier_of(score) == tier


def test_the_score_never_leaves_zero_to_hundred() -> None:
    assert assess(inputs(None, 0, 0, 3), NOW).score == 0
    assert assess(inputs(0, 50, 50, 0, "999999"), NOW).score == 100
