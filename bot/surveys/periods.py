"""Report periods said in Chinese: 上周, 本月, 上个月, 10月, 11月1日到15日, 今年 ...

``parse_time`` places a date without a year at its next occurrence (it was written for
reminders); a report looks back, so a period that would start after now is taken a year
earlier.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.nlu.timeparse import ParsedTime, parse_time
from bot.surveys.report import Period

THIS_MONTH = "本月"


def _next_month(moment: datetime) -> datetime:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return moment.replace(year=year, month=month, day=1)


def _after(start: datetime, grain: str) -> datetime:
    """The end of the period of ``grain`` that begins at ``start``."""
    if grain == "week":
        return start + timedelta(days=7)
    if grain == "month":
        return _next_month(start)
    if grain == "year":
        return start.replace(year=start.year + 1)
    return start + timedelta(days=1)


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _a_year_earlier(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 2月29日
        return moment.replace(year=moment.year - 1, day=28)


def _bounds(parsed: ParsedTime, local_now: datetime) -> tuple[datetime, datetime]:
    grain = parsed.grain if parsed.grain in ("week", "month", "year") else "day"
    start = _day(parsed.start)
    last = _day(parsed.end) if parsed.end is not None else start
    if start > local_now:
        start, last = _a_year_earlier(start), _a_year_earlier(last)
    return start, _after(last, grain)


def this_month(local_now: datetime) -> Period:
    start = _day(local_now).replace(day=1)
    return Period(THIS_MONTH, start, _next_month(start))


def find_period(text: str, local_now: datetime) -> tuple[Period | None, str]:
    """The period named in ``text`` (None when it names none) and the text without it."""
    parsed = parse_time(text, local_now)
    if parsed is None:
        return None, text.strip()
    begin, end = parsed.span
    label = text[begin:end].strip()
    start, stop = _bounds(parsed, local_now)
    rest = (text[:begin] + " " + text[end:]).strip()
    return Period(label, start, stop), rest
