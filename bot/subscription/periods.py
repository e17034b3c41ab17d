"""Calendar arithmetic for billing periods. Periods are half-open: [start, end).

Months are calendar months, clamped to the end of a shorter month: a monthly period starting
on Jan 31 ends (exclusive) on Feb 28, or Feb 29 in a leap year. To keep a subscription on the
31st instead of drifting to the 28th after February, pass the original day as ``anchor_day``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from bot.subscription.catalog import BillingPeriod


def add_months(day: date, months: int, anchor_day: int | None = None) -> date:
    """``day`` moved by whole calendar months, on ``anchor_day`` (default: its own day) or the
    last day of the month when that month is shorter."""
    if anchor_day is not None and not 1 <= anchor_day <= 31:
        raise ValueError(f"anchor_day must be 1..31, got {anchor_day}")
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day or day.day, last))


def period_end(
    start: date, period: BillingPeriod, count: int = 1, *, anchor_day: int | None = None
) -> date:
    """The exclusive end of ``count`` consecutive periods starting on ``start``."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    if period.months:
        return add_months(start, period.months * count, anchor_day)
    return start + timedelta(days=period.days * count)


def last_day(end: date) -> date:
    """The last day a person would name for a period that ends (exclusive) on ``end``."""
    return end - timedelta(days=1)
