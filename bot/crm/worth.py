"""What a customer is worth in money, from their orders: lifetime value and growth potential.
Pure; the README ("Customer value") states the same formulas.

From the customer's sold orders (confirmed or completed, by the day they were confirmed), in
integer fen:

- **累计成交** (``total``): every sold order's total.
- **近一年成交** (``last_year``): orders of the last 365 days.
- **近半年年化** (``run_rate``): orders of the last 182 days, doubled: this year's pace.
- **预计终身价值** (lifetime value): ``total + max(last_year, run_rate) × years``, the years
  still expected from the customer's value tier (A 4, B 3, C 2, D 1): a customer who buys
  often and recently is expected to stay longer, as in the RFM tiers of ``bot.crm.value``.
- **增长潜力** (growth potential): ``run_rate − last_year``, what the next year adds over the
  last one at the recent pace; shown with its percentage of ``last_year``. Positive: buying
  faster lately; negative: slowing down. Zero without a year of comparison (no order before
  the last half year is not growth, just new).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.subscription.money import format_fen

YEAR, HALF_YEAR = timedelta(days=365), timedelta(days=182)
YEARS_BY_TIER = {"A": 4, "B": 3, "C": 2, "D": 1}

LINE = "成交：累计 {total}，近一年 {last_year}；预计终身价值 {lifetime}；{growth}"
GROWING = "增长潜力 +{amount}（近半年年化 {run_rate}，+{percent}%）"
SLOWING = "成交放缓 −{amount}（近半年年化 {run_rate}，−{percent}%）"
STEADY = "成交平稳（近半年年化 {run_rate}）"
NEW = "新客户，尚无一年可比"


@dataclass(frozen=True, slots=True)
class Worth:
    total: int
    last_year: int
    run_rate: int
    lifetime: int
    growth: int  # fen a year; 0 when there is nothing to compare with
    compared: bool  # there were orders before the last half year

    def line(self) -> str:
        if not self.compared:
            growth = NEW
        elif self.growth == 0:
            growth = STEADY.format(run_rate=format_fen(self.run_rate))
        else:
            percent = round(abs(self.growth) * 100 / self.last_year) if self.last_year else 100
            words = GROWING if self.growth > 0 else SLOWING
            growth = words.format(
                amount=format_fen(abs(self.growth)),
                run_rate=format_fen(self.run_rate),
                percent=percent,
            )
        return LINE.format(
            total=format_fen(self.total),
            last_year=format_fen(self.last_year),
            lifetime=format_fen(self.lifetime),
            growth=growth,
        )


def worth_of(sold: Iterable[tuple[datetime, int]], tier: str, now: datetime) -> Worth | None:
    """``sold``: (confirmed at, total in fen) of each sold order. None without any."""
    orders = list(sold)
    if not orders:
        return None
    total = sum(fen for _, fen in orders)
    last_year = sum(fen for at, fen in orders if at >= now - YEAR)
    run_rate = 2 * sum(fen for at, fen in orders if at >= now - HALF_YEAR)
    years = YEARS_BY_TIER.get(tier, 1)
    lifetime = total + max(last_year, run_rate) * years
    compared = any(at < now - HALF_YEAR for at, _ in orders)
    growth = run_rate - last_year if compared else 0
    return Worth(total, last_year, run_rate, lifetime, growth, compared)
