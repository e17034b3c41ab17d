"""Amounts as people type them become integer fen, exactly; order arithmetic rounds where it
says it does and nowhere else."""

from __future__ import annotations

import pytest

from bot.nlu.money import parse_fen
from bot.orders.pricing import Discount, round_half_up_div, share_of, split_plan
from bot.subscription.money import fen_to_money, format_fen


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("260", 26000),
        ("260.50", 26050),
        ("260.5", 26050),
        ("¥260.5", 26050),
        ("￥ 260.50", 26050),
        ("260元", 26000),
        ("25块", 2500),
        ("25块钱", 2500),
        ("两百六十元", 26000),
        ("两百六", 26000),
        ("二百六十", 26000),
        ("十万", 10_000_000),
        ("2.6万", 2_600_000),
        ("2.6万元", 2_600_000),
        ("5千", 500_000),
        ("3千5", 350_000),
        ("1万2", 1_200_000),
        ("1w", 1_000_000),
        ("1,234.5", 123_450),
        ("0.01", 1),
        ("0", 0),
    ],
)
def test_amounts_as_typed(typed: str, fen: int) -> None:
    assert parse_fen(typed) == fen


@pytest.mark.parametrize(
    "typed", ["", "abc", "0.001", "1.2.3", "二五", "260美元", "-5", "2.5万5", "万", "五十个"]
)
def test_what_is_not_an_amount(typed: str) -> None:
    assert parse_fen(typed) is None


def test_fen_shown_as_yuan_exactly() -> None:
    assert format_fen(225000) == "¥2,250.00"
    assert format_fen(1) == "¥0.01"
    assert str(fen_to_money(26050)) == "260.50"


def test_rounding_is_half_up_on_the_whole_order() -> None:
    assert round_half_up_div(5, 2) == 3
    assert round_half_up_div(4, 3) == 1
    # ¥3.33 at 九五折: 316.35 fen rounds to 316, so 17 fen come off.
    assert Discount(percent=95).amount(333) == 17
    assert Discount(percent=90).amount(50000) == 5000
    assert Discount(fen=80000).amount(50000) == 50000  # never more than the subtotal


def test_a_plan_adds_up_to_the_total() -> None:
    assert split_plan(45000, 2, share_of(45000, 50)) == [22500, 22500]
    assert split_plan(100, 3) == [33, 33, 34]
    assert split_plan(1001, 3, share_of(1001, 30)) == [300, 350, 351]
    assert split_plan(500, 1) == [500]
    with pytest.raises(ValueError, match="at least one"):
        split_plan(500, 0)
