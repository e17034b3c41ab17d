"""China's working calendar: public holidays and the weekend days worked in exchange (调休),
from the ``chinesecalendar`` package.

The package covers the years the State Council has published; for a year it does not cover
yet, only weekends are days off, and the log says so once per year.
"""

from __future__ import annotations

import logging
from datetime import date

import chinese_calendar

logger = logging.getLogger(__name__)
_warned: set[int] = set()  # at most one entry per calendar year asked about


def _covers(day: date) -> bool:
    years = (min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year)
    if years[0] <= day.year <= years[1]:
        return True
    if day.year not in _warned:
        _warned.add(day.year)
        logger.info("chinesecalendar does not cover %s; counting weekends only", day.year)
    return False


def is_public_holiday(day: date) -> bool:
    return _covers(day) and day in chinese_calendar.holidays


def is_makeup_workday(day: date) -> bool:
    """A Saturday or Sunday worked in exchange for a holiday."""
    return _covers(day) and day in chinese_calendar.workdays


def is_working_day(day: date, weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})) -> bool:
    """A day of ``weekdays`` (ISO, 1 = Monday) that is not a public holiday, or a make-up
    working day."""
    if is_makeup_workday(day):
        return True
    return day.isoweekday() in weekdays and not is_public_holiday(day)
