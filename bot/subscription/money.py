"""Money: CNY as ``Decimal`` with two places, rounded half up. Never float.

Rounding goes through ``Fraction`` so that a share such as ``495 × 12 / 31`` is rounded once,
from its exact value, instead of from a 28-digit ``Decimal`` approximation of it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(value: Decimal | Fraction | int) -> Decimal:
    """Round to the fen, halves away from zero (ROUND_HALF_UP), from the exact value."""
    exact = Fraction(value)
    cents = int(abs(exact) * 100 + Fraction(1, 2))
    sign = -1 if exact < 0 else 1
    return Decimal(sign * cents).scaleb(-2)


def is_money(value: Decimal) -> bool:
    """True if ``value`` is already a finite amount with exactly two decimal places."""
    return value.is_finite() and value.as_tuple().exponent == -2


def money_sum(amounts: list[Decimal] | tuple[Decimal, ...]) -> Decimal:
    """Sum amounts that are already rounded; an empty sum is ¥0.00, not ``Decimal(0)``."""
    return sum(amounts, ZERO)


def format_cny(amount: Decimal) -> str:
    """¥1,485.00 — the way a price appears in a chat reply."""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(round_money(amount)):,.2f}"


def fen_to_money(fen: int) -> Decimal:
    """Integer fen (how orders store money) as the ``Decimal`` yuan used here: exact."""
    return Decimal(fen).scaleb(-2)


def format_fen(fen: int) -> str:
    """¥2,250.00 for 225000 fen."""
    return format_cny(fen_to_money(fen))
