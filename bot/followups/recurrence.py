"""Recurring reminders: 每天 / 每个工作日 / 每周一 / 每月1号 / 每月最后一天, and when each
occurs next in the tenant's timezone.

Working days are China's (bot.workdays: holidays off, make-up Saturdays on). A monthly day
past a month's end falls on its last day (每月31号 is 30 April, 28 or 29 February).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.followups.requests import DEFAULT_HOUR, content_of
from bot.nlu.numerals import to_int
from bot.nlu.timecalendar import last_day
from bot.nlu.timeparse import parse_time
from bot.workdays import is_working_day
from models.followups import RecurrenceKind

WEEKDAY_WORDS = "一二三四五六日"
_WEEKDAYS = {**{w: i for i, w in enumerate(WEEKDAY_WORDS, start=1)}, "天": 7}
_EVERY = re.compile(
    r"(?P<workdays>每个?工作日|工作日每天|每天工作日)"
    r"|(?P<daily>每天|每日|天天)"
    r"|每个?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天1-7])"
    r"|每个?月(?:的)?(?:(?P<end>最后一天|月底|底)|(?P<day>[0-9]{1,2}|[一二三四五六七八九十]{1,3})[号日])"
)
_CLOCK_GRAINS = ("hour", "minute", "second")
# An occurrence is at most a year and a day away (the rarest is a monthly day of a short month).
_HORIZON = 400


@dataclass(frozen=True, slots=True)
class Recurrence:
    kind: RecurrenceKind
    minute_of_day: int
    weekday: int = 0
    day_of_month: int = 0

    def occurs_on(self, day: date) -> bool:
        if self.kind is RecurrenceKind.WORKDAYS:
            return is_working_day(day)
        if self.kind is RecurrenceKind.WEEKLY:
            return day.isoweekday() == self.weekday
        month_end = last_day(day.year, day.month)
        if self.kind is RecurrenceKind.MONTHLY:
            return day.day == min(self.day_of_month, month_end)
        if self.kind is RecurrenceKind.MONTH_END:
            return day.day == month_end
        return True

    def next_after(self, moment: datetime, tz: tzinfo) -> datetime:
        """The first occurrence strictly after ``moment``."""
        wall = time(self.minute_of_day // 60, self.minute_of_day % 60)
        day = moment.astimezone(tz).date()
        for _ in range(_HORIZON):
            if self.occurs_on(day):
                at = datetime.combine(day, wall, tzinfo=tz)
                if at > moment:
                    return at
            day += timedelta(days=1)
        raise ValueError(f"{self} never occurs")  # every kind occurs at least once a year

    def words(self) -> str:
        """每周一 09:00: what people read."""
        clock = f"{self.minute_of_day // 60:02d}:{self.minute_of_day % 60:02d}"
        if self.kind is RecurrenceKind.WORKDAYS:
            return f"每个工作日 {clock}"
        if self.kind is RecurrenceKind.WEEKLY:
            return f"每周{WEEKDAY_WORDS[self.weekday - 1]} {clock}"
        if self.kind is RecurrenceKind.MONTHLY:
            return f"每月{self.day_of_month}号 {clock}"
        if self.kind is RecurrenceKind.MONTH_END:
            return f"每月最后一天 {clock}"
        return f"每天 {clock}"


@dataclass(frozen=True, slots=True)
class RecurringRequest:
    recurrence: Recurrence
    content: str


def _kind_of(found: re.Match[str]) -> tuple[RecurrenceKind, int, int] | None:
    if found.group("workdays"):
        return RecurrenceKind.WORKDAYS, 0, 0
    if found.group("daily"):
        return RecurrenceKind.DAILY, 0, 0
    if found.group("weekday"):
        text = found.group("weekday")
        weekday = int(text) if text.isdigit() else _WEEKDAYS[text]
        return RecurrenceKind.WEEKLY, weekday, 0
    if found.group("end"):
        return RecurrenceKind.MONTH_END, 0, 0
    day = to_int(found.group("day"), digit_strings=False)
    if day is None or not 1 <= day <= 31:
        return None
    return RecurrenceKind.MONTHLY, 0, day


def understand_recurring(text: str, now: datetime) -> RecurringRequest | None:
    """每周一早上9点提醒我写周报 → weekly on Monday at 09:00, 写周报; None when the text
    names no repetition (or a day of the month that no month has)."""
    found = _EVERY.search(text)
    if found is None:
        return None
    kind = _kind_of(found)
    if kind is None:
        return None
    rest = text[: found.start()] + " " + text[found.end() :]
    parsed = parse_time(rest, now)
    minute = DEFAULT_HOUR * 60
    if parsed is not None and parsed.grain in _CLOCK_GRAINS:
        minute = parsed.start.hour * 60 + parsed.start.minute
    else:
        parsed = None  # a date inside a recurring request is part of what to do
    recurrence = Recurrence(kind[0], minute, weekday=kind[1], day_of_month=kind[2])
    return RecurringRequest(recurrence, content_of(rest, parsed))
