"""Placing a ``Spec`` on the calendar: where the defaulting and rolling rules live.

``now`` anchors words that count from today (明天, 下周三, 3天后); ``ref`` is the moment an
incomplete expression must not fall before. For a single expression both are now; for the end
of a range ``ref`` is the range's start, so 周五到周一 ends on the Monday after that Friday.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from bot.nlu.timecalendar import (
    add_months,
    at,
    elapsed,
    floor,
    last_day,
    make_date,
    nth_weekday,
    shift_month,
)
from bot.nlu.timespec import Grain, Offset, Spec
from bot.nlu.timewords import DAYPARTS, DayPart, unmarked_hour

_MIDNIGHT = time()
_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(weeks=1)
_YEARS_AHEAD = 9  # 2月29日 recurs within eight years; nothing else needs more than one
_MONTHS_AHEAD = 14  # every 31号 and every 第五个星期五 recurs within fourteen months


@dataclass(frozen=True, slots=True)
class Placed:
    start: datetime
    grain: Grain
    day: date  # the day the expression names; 夜里12点 names today but starts tomorrow
    last: datetime | None = None  # 周末 covers Saturday and Sunday


def resolve(spec: Spec, now: datetime, ref: datetime) -> Placed | None:
    """Where ``spec`` falls, or None when it names no real time (2月30日, 25点)."""
    if spec.is_now:
        return Placed(now, "second", now.date())
    if spec.offset is not None and spec.offset.kind == "elapsed":
        start = elapsed(now, spec.offset.amount)
        return Placed(start, spec.offset.grain, start.date())
    if not spec.has_date:
        return _bare_time(spec, ref)
    placed = _date(spec, now, ref)
    if placed is None or not spec.has_time:
        return placed
    # A time attached to a day stays on that day, past or not (今天下午3点 said at 16:00). The
    # token slots already keep times away from weeks, months and years (下周3点).
    return time_on(placed.day, spec, now.tzinfo)


def time_on(day: date, spec: Spec, zone: tzinfo | None) -> Placed | None:
    """The clock time or part of day in ``spec`` on ``day``."""
    part = None if spec.daypart is None else DAYPARTS[spec.daypart]
    if spec.hour is not None:
        hour = _hour_of_day(spec.hour, part)
    else:
        hour = None if part is None else part.hour_of(part.usual)
    if hour is None:
        return None
    wall = time(hour[0], spec.minute or 0, spec.second or 0)
    start = at(day + timedelta(days=hour[1]), wall, zone)
    return Placed(start, spec.clock_grain or "hour", day)


def _hour_of_day(said: int, part: DayPart | None) -> tuple[int, int] | None:
    """(hour of day, days to add) for an hour as said; 13-24 are unambiguous already."""
    if said > 24:
        return None
    if said == 24:
        return 0, 1
    if said >= 13:
        return said, 0
    return unmarked_hour(said) if part is None else part.hour_of(said)


def _bare_time(spec: Spec, ref: datetime) -> Placed | None:
    """A time with no day: today's, or tomorrow's once today's has passed."""
    today = time_on(ref.date(), spec, ref.tzinfo)
    if today is None or not _has_passed(spec, today, ref):
        return today
    return time_on(ref.date() + _ONE_DAY, spec, ref.tzinfo)


def _has_passed(spec: Spec, today: Placed, ref: datetime) -> bool:
    if spec.hour is None and spec.daypart is not None:
        # A bare 下午 still means this afternoon until the afternoon is over.
        return ref.hour >= DAYPARTS[spec.daypart].over_at
    # Within the minute still counts as now: 3点 said at 15:00:30 is today's.
    return today.start < floor(ref, "second" if today.grain == "second" else "minute")


def _date(spec: Spec, now: datetime, ref: datetime) -> Placed | None:
    if spec.offset is not None:
        return _offset_day(spec.offset, now)
    if spec.day_shift is not None:
        return _midnight(now.date() + timedelta(days=spec.day_shift), "day", now)
    if spec.week_shift is not None or spec.weekday is not None or spec.weekend:
        return _week(spec, now, ref)
    return _calendar(spec, now, ref)


def _midnight(day: date | None, grain: Grain, now: datetime) -> Placed | None:
    return None if day is None else Placed(at(day, _MIDNIGHT, now.tzinfo), grain, day)


def _offset_day(offset: Offset, now: datetime) -> Placed | None:
    """3天后 and 2个月前 keep now's time of day; a time said with them replaces it."""
    if offset.kind == "days":
        day: date | None = now.date() + timedelta(days=offset.amount)
    else:
        day = add_months(now.date(), offset.amount)
    if day is None:
        return None
    return Placed(at(day, now.time(), now.tzinfo), offset.grain, day)


def _week(spec: Spec, now: datetime, ref: datetime) -> Placed | None:
    """Weeks start on Monday; 周三 alone is this week's unless that day is already past."""
    anchored = spec.week_shift is not None
    base = (now if anchored else ref).date()
    monday = base - timedelta(days=base.weekday()) + _ONE_WEEK * (spec.week_shift or 0)
    if spec.weekday is None and not spec.weekend:
        return _midnight(monday, "week", now)
    day = monday + timedelta(days=5 if spec.weekend else spec.weekday or 0)
    if not anchored and day < base:
        day += _ONE_WEEK
    placed = _midnight(day, "day", now)
    if placed is None or not spec.weekend:
        return placed
    return replace(placed, last=at(day + _ONE_DAY, _MIDNIGHT, now.tzinfo))


def _calendar(spec: Spec, now: datetime, ref: datetime) -> Placed | None:
    """Years, months, days of the month, month and year ends, 第一个星期一."""
    spec = _year_edge_as_month(spec)
    year = spec.year if spec.year_shift is None else now.year + spec.year_shift
    has_day = spec.day is not None or spec.edge_side is not None or spec.nth_weekday is not None
    if spec.month_shift is not None:
        if year is not None:
            return None  # 明年下个月 names nothing
        return _in_month(spec, *shift_month(now.year, now.month, spec.month_shift), now)
    if spec.month is not None and year is not None:
        return _in_month(spec, year, spec.month, now)
    if spec.month is not None:
        years = [(ref.year + ahead, spec.month) for ahead in range(_YEARS_AHEAD)]
        return _first_from(spec, years, ref, now)
    if year is not None:
        return None if has_day else _midnight(make_date(year, 1, 1), "year", now)
    months = [shift_month(ref.year, ref.month, ahead) for ahead in range(_MONTHS_AHEAD)]
    return _first_from(spec, months, ref, now) if has_day else None


def _year_edge_as_month(spec: Spec) -> Spec:
    """年底 is 12月底 and 年初 is 1月初; a bare 底 after a year (明年底) is the year's end."""
    if spec.edge_side is None or spec.edge_scope == "month":
        return spec
    if spec.month is not None or spec.month_shift is not None:
        return replace(spec, edge_scope="month")  # 3月底, 下个月底
    return replace(spec, month=12 if spec.edge_side == "end" else 1, edge_scope="month")


def _first_from(
    spec: Spec, months: list[tuple[int, int]], ref: datetime, now: datetime
) -> Placed | None:
    """The first of the candidate months where ``spec`` exists and is not yet past."""
    for year, month in months:
        placed = _in_month(spec, year, month, now)
        if placed is None:
            continue
        since = ref.date().replace(day=1) if placed.grain == "month" else ref.date()
        if placed.day >= since:
            return placed
    return None


def _in_month(spec: Spec, year: int, month: int, now: datetime) -> Placed | None:
    if make_date(year, month, 1) is None:
        return None
    if spec.day is not None:
        return _midnight(make_date(year, month, spec.day), "day", now)
    if spec.nth_weekday is not None:
        return _midnight(nth_weekday(year, month, *spec.nth_weekday), "day", now)
    if spec.edge_side is not None:
        day = last_day(year, month) if spec.edge_side == "end" else 1
        return _midnight(make_date(year, month, day), "day", now)
    return _midnight(make_date(year, month, 1), "month", now)
