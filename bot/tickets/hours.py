"""SLA time: wall-clock, or only business hours when the tenant works fixed hours.

Two pure functions over a ``WorkingTime``: ``add_working`` finds when a duration of SLA time
starting at a moment runs out, ``working_between`` measures the SLA time between two moments.
Business hours are read in the tenant's timezone (a 09:00-18:00 day is the tenant's 09:00),
so they hold across daylight-saving changes too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.workdays import is_working_day

ZERO = timedelta(0)
# A calendar with working days finds one within a week; the bound stops a bad one looping.
MAX_DAYS = 3660


@dataclass(frozen=True, slots=True)
class BusinessHours:
    start: time
    end: time
    workdays: frozenset[int]  # ISO weekdays, 1 = Monday
    # China's public holidays are off and the weekends worked in exchange are on (调休).
    public_holidays: bool = True

    def works_on(self, day: date) -> bool:
        if self.public_holidays:
            return is_working_day(day, self.workdays)
        return day.isoweekday() in self.workdays

    def window(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
        if not self.works_on(day):
            return None
        return datetime.combine(day, self.start, tz), datetime.combine(day, self.end, tz)


@dataclass(frozen=True, slots=True)
class WorkingTime:
    """``hours`` None: every minute counts (wall-clock)."""

    tz: ZoneInfo
    hours: BusinessHours | None = None


def _windows(start: datetime, working: WorkingTime) -> Iterator[tuple[datetime, datetime]]:
    """The working windows from ``start``'s local day on, in order."""
    assert working.hours is not None
    day = start.astimezone(working.tz).date()
    for offset in range(MAX_DAYS):
        window = working.hours.window(day + timedelta(days=offset), working.tz)
        if window is not None:
            yield window


def add_working(start: datetime, duration: timedelta, working: WorkingTime) -> datetime:
    """The moment ``duration`` of SLA time after ``start``."""
    if working.hours is None:
        return start + duration
    left = max(duration, ZERO)
    for opens, closes in _windows(start, working):
        begin = max(opens, start)
        if begin >= closes:
            continue
        if begin + left <= closes:
            return begin + left
        left -= closes - begin
    raise ValueError("business hours without a single working day")


def working_between(start: datetime, end: datetime, working: WorkingTime) -> timedelta:
    """SLA time from ``start`` to ``end`` (zero when ``end`` is not after ``start``)."""
    if end <= start:
        return ZERO
    if working.hours is None:
        return end - start
    total = ZERO
    for opens, closes in _windows(start, working):
        if opens >= end:
            break
        begin, finish = max(opens, start), min(closes, end)
        if finish > begin:
            total += finish - begin
    return total


def parse_hours(text: str) -> tuple[time, time] | None:
    """``"09:00-18:00"`` as two times; None unless it is a valid, non-empty day."""
    parts = text.replace(" ", "").split("-")
    if len(parts) != 2:
        return None
    try:
        start, end = (time.fromisoformat(part) for part in parts)
    except ValueError:
        return None
    return (start, end) if start < end else None
