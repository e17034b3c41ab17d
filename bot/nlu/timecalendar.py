"""Calendar arithmetic that clamps instead of raising, on aware datetimes in any zone."""

from __future__ import annotations

import calendar
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta, tzinfo

from bot.nlu.timespec import Grain

# One year of margin at both ends, so moving a result into UTC and back cannot overflow.
FIRST_YEAR = MINYEAR + 1
LAST_YEAR = MAXYEAR - 1


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (2月30日) or lies outside datetime's range."""
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date | None:
    """Calendar months later, clamped to the month's end: 1月31日 + 1个月 is 2月28日 (or 29)."""
    year, month = shift_month(day.year, day.month, months)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return date(year, month, min(day.day, last_day(year, month)))


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    """The nth given weekday of a month (nth -1: the last one), or None when there is none."""
    first = date(year, month, 1)
    if nth > 0:
        day = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    else:
        end = date(year, month, last_day(year, month))
        day = end.day - (end.weekday() - weekday) % 7
    return make_date(year, month, day)


def at(day: date, wall: time, zone: tzinfo | None) -> datetime:
    """``day`` at wall-clock ``wall`` in ``zone``; a time skipped by a DST jump moves past it."""
    local = datetime.combine(day, wall, tzinfo=zone)
    if zone is None or zone is UTC:
        return local
    return local.astimezone(UTC).astimezone(zone)


def elapsed(now: datetime, seconds: int) -> datetime:
    """Real time later, so that 2小时后 is two hours away even across a DST change."""
    return (now.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(now.tzinfo)


def floor(moment: datetime, grain: Grain) -> datetime:
    """``moment`` with everything finer than ``grain`` (second, minute or hour) cleared."""
    if grain == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    if grain == "minute":
        return moment.replace(second=0, microsecond=0)
    return moment.replace(microsecond=0)
