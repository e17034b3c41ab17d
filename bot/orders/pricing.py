"""Order arithmetic in integer fen, and the rounding rules it states.

- A line's total is qty × unit price. Both are integers, so it is exact.
- A percentage discount (打9折) is taken once, on the order's subtotal: the total is the
  subtotal × percent / 100 rounded half up to the fen, and the discount is what that took
  off. Discounting each line and adding up could differ by a fen per line; one rounding on
  the whole order makes the total the number the salesperson quoted.
- A payment plan splits the total into periods that add up to it exactly: the first
  period's share (一半, 30%, an amount) is rounded half up, the rest is split evenly and the
  last period takes the fen or two the even split leaves.
"""

from __future__ import annotations

from dataclasses import dataclass


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves up (both ≥ 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def line_total(qty: int, unit_price_fen: int) -> int:
    return qty * unit_price_fen


@dataclass(frozen=True, slots=True)
class Discount:
    percent: int | None = None  # 打9折 → 90: pay 90 percent
    fen: int = 0  # 优惠200元 → 20000

    def amount(self, subtotal_fen: int) -> int:
        """How many fen come off ``subtotal_fen`` (never more than the subtotal)."""
        if self.percent is not None:
            return subtotal_fen - round_half_up_div(subtotal_fen * self.percent, 100)
        return min(self.fen, subtotal_fen)


NO_DISCOUNT = Discount()


def split_plan(total_fen: int, periods: int, first_fen: int | None = None) -> list[int]:
    """``periods`` amounts adding up to ``total_fen``; the first is ``first_fen`` when given."""
    if periods < 1:
        raise ValueError("a plan has at least one period")
    if periods == 1:
        return [total_fen]
    if first_fen is None:
        even, extra = divmod(total_fen, periods)
        return [even] * (periods - 1) + [even + extra]
    first = min(first_fen, total_fen)
    return [first, *split_plan(total_fen - first, periods - 1)]


def share_of(total_fen: int, percent: int) -> int:
    """A first payment of ``percent`` % of the total (首付一半 is 50), half up to the fen."""
    return round_half_up_div(total_fen * percent, 100)
