"""What each piece of a time expression says: a partial ``Spec`` and the ``Slot`` it fills.

Each function takes the regex match of one kind of piece (see ``timetokens``) and returns None
when the piece does not make sense after all (25点, 13月, 七九点), so the scanner can try the
next kind at the same place.
"""

from __future__ import annotations

import re

from bot.nlu.numerals import to_int
from bot.nlu.timecalendar import make_date
from bot.nlu.timespec import EdgeSide, Grain, Level, Offset, Slot, Spec
from bot.nlu.timewords import (
    DAY_WORDS,
    HALF_UNITS,
    MAX_OFFSET,
    OFFSET_BEFORE,
    OFFSET_UNITS,
    SHIFT_PREFIXES,
    WEAK_DAYPARTS,
    WEEKDAYS,
    YEAR_WORDS,
)

Built = tuple[Spec, Slot] | None


def _int(text: str | None) -> int | None:
    return None if text is None else to_int(text, digit_strings=False)


_FULL = Slot(Level.YEAR, Level.CLOCK)  # nothing may follow: 现在, 3小时后, 下周
_DATE = Slot(Level.YEAR, Level.DAY)
_DATE_AND_PART = Slot(Level.YEAR, Level.DAYPART)
_YEAR = Slot(Level.YEAR, Level.YEAR)
_SHORT_YEAR = Slot(Level.YEAR, Level.YEAR, needs_next=True)
_WHOLE_MONTH = Slot(Level.YEAR, Level.MONTH)
_MONTH = Slot(Level.MONTH, Level.MONTH, frozenset({Level.YEAR}))
_DAY = Slot(Level.DAY, Level.DAY, frozenset({Level.MONTH}))
_YEAR_EDGE = Slot(Level.MONTH, Level.DAY, frozenset({Level.YEAR}))
_BARE_EDGE = Slot(Level.DAY, Level.DAY, frozenset({Level.YEAR, Level.MONTH}), may_start=False)
_DAYPART = Slot(Level.DAYPART, Level.DAYPART, frozenset({Level.DAY}))
_WEAK_DAYPART = Slot(Level.DAYPART, Level.DAYPART, frozenset({Level.DAY}), needs_next=True)
_CLOCK = Slot(Level.CLOCK, Level.CLOCK, frozenset({Level.DAY, Level.DAYPART}))
_WEAK_CLOCK = Slot(Level.CLOCK, Level.CLOCK, frozenset({Level.DAY, Level.DAYPART}), may_start=False)


def now_word(_: re.Match[str]) -> Built:
    return Spec(is_now=True), _FULL


def numeric_date(m: re.Match[str]) -> Built:
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if make_date(year, month, day) is None:
        return None
    return Spec(year=year, month=month, day=day), _DATE


def offset(m: re.Match[str]) -> Built:
    word = m["unit"]
    if word == "月" and not (m["ge"] or m["ge2"]):
        return None  # 3月后 is "after March", 3个月后 is the offset
    distance = _offset_amount(m["n"], bool(m["half"]), word)
    if distance is None:
        return None
    sign = -1 if m["dir"] in OFFSET_BEFORE else 1
    signed = Offset(distance.kind, sign * distance.amount, distance.grain)
    return Spec(offset=signed), _FULL if signed.kind == "elapsed" else _DATE


def _offset_amount(count_text: str, half: bool, word: str) -> Offset | None:
    unit, half_unit = OFFSET_UNITS[word], HALF_UNITS.get(word)
    if count_text == "半":
        return None if half or half_unit is None else Offset(*half_unit)
    if "." in count_text:
        # 1.5小时后: decimals only make sense for clock units, which count in seconds.
        seconds = float(count_text) * unit.size
        ok = unit.kind == "elapsed" and not half and seconds <= MAX_OFFSET["elapsed"]
        return Offset("elapsed", round(seconds), "minute") if ok else None
    count = to_int(count_text, digit_strings=False)
    if count is None or count * unit.size > MAX_OFFSET[unit.kind]:
        return None
    if not half:
        return Offset(unit.kind, count * unit.size, unit.grain)
    if half_unit is None or half_unit.kind != unit.kind:
        return None  # 一个半月 would need months and days at once
    return Offset(unit.kind, count * unit.size + half_unit.size, half_unit.grain)


def year(m: re.Match[str]) -> Built:
    digits = m["ar"] or m["cn"]
    value = to_int(digits)
    if value is None:
        return None
    if len(digits) == 2:
        # Two-digit years pivot like strptime's %y: 零七年 is 2007, 九八年 is 1998.
        value += 2000 if value < 69 else 1900
    return Spec(year=value), _SHORT_YEAR if m["ar"] and len(digits) == 2 else _YEAR


def year_word(m: re.Match[str]) -> Built:
    return Spec(year_shift=YEAR_WORDS[m[0]]), _YEAR


def month(m: re.Match[str]) -> Built:
    value = _int(m["m"])
    return (Spec(month=value), _MONTH) if value is not None and 1 <= value <= 12 else None


def month_word(m: re.Match[str]) -> Built:
    return Spec(month_shift=SHIFT_PREFIXES[m["p"]]), _WHOLE_MONTH


def day(m: re.Match[str]) -> Built:
    value = _int(m["d"])
    return (Spec(day=value), _DAY) if value is not None and 1 <= value <= 31 else None


def edge(m: re.Match[str]) -> Built:
    side: EdgeSide = "start" if m["side"] == "初" else "end"
    if m["scope"] == "月":
        return Spec(edge_side=side, edge_scope="month"), _DAY
    if m["scope"] == "年":
        return Spec(edge_side=side, edge_scope="year"), _YEAR_EDGE
    return Spec(edge_side=side), _BARE_EDGE


def _week_shift(m: re.Match[str]) -> int | None:
    return None if m["p"] is None else SHIFT_PREFIXES[m["p"]]


def weekend(m: re.Match[str]) -> Built:
    return Spec(weekend=True, week_shift=_week_shift(m)), _DATE


def weekday(m: re.Match[str]) -> Built:
    shift = _week_shift(m)
    if m["wd"] is None:
        # 下周 alone is the whole week; 周 or 星期 alone is no time at all.
        return None if shift is None else (Spec(week_shift=shift), _FULL)
    return Spec(weekday=WEEKDAYS[m["wd"]], week_shift=shift), _DATE


def nth_weekday(m: re.Match[str]) -> Built:
    nth = -1 if m["last"] else _int(m["k"])
    if nth is None or not 1 <= abs(nth) <= 5:
        return None
    return Spec(nth_weekday=(nth, WEEKDAYS[m["wd"]])), _DAY


def day_word(m: re.Match[str]) -> Built:
    word = DAY_WORDS[m[0]]
    slot = _DATE if word.daypart is None else _DATE_AND_PART
    return Spec(day_shift=word.shift, daypart=word.daypart), slot


def daypart(m: re.Match[str]) -> Built:
    return Spec(daypart=m[0]), _WEAK_DAYPART if m[0] in WEAK_DAYPARTS else _DAYPART


def hour_pair(m: re.Match[str]) -> Built:
    first, last = _int(m["a"]), _int(m["b"])
    if first is None or last is None:
        return None
    if "sep" not in m.groupdict():
        last += 10 if first > 10 else 0  # 十一二点 is eleven or twelve
        if last != first + 1:
            return None  # 七八点 is seven or eight; 二十点 is twenty, read as a clock instead
    if max(first, last) > 24:
        return None
    return Spec(hour=first, hour_end=last, clock_grain="hour"), _CLOCK


def colon_clock(m: re.Match[str]) -> Built:
    second = None if m["s"] is None else int(m["s"])
    grain: Grain = "minute" if second is None else "second"
    return _clock_spec(m["h"], int(m["mi"]), second, grain)


def clock(m: re.Match[str]) -> Built:
    minute = _clock_minute(m)
    second = None if m["s"] is None else _int_after_zero(m["s"])
    if (minute is None and m["mi"]) or (second is None and m["s"]):
        return None  # 3点三五 is no minute; reading it as 3点 would hide the mistake
    grain: Grain = "hour" if minute is None else "minute" if second is None else "second"
    return _clock_spec(m["h"], minute, second, grain)


def _clock_minute(m: re.Match[str]) -> int | None:
    if m["half"]:
        return 30
    if m["quarter"]:
        return 15 if m["quarter"] == "一" else 45
    if m["whole"]:
        return 0
    return None if m["mi"] is None else _int_after_zero(m["mi"])


def _int_after_zero(text: str) -> int | None:
    """Minutes and seconds may lead with 零 (3点零5, 三点零五)."""
    return _int(text.lstrip("零〇") or "0")


def _clock_spec(hour_text: str, minute: int | None, second: int | None, grain: Grain) -> Built:
    hour = _int(hour_text)
    if hour is None or hour > 24 or (minute or 0) > 59 or (second or 0) > 59:
        return None
    if hour == 24 and (minute or second):
        return None
    spec = Spec(hour=hour, minute=minute, second=second, clock_grain=grain)
    # 一点 alone is "a little" (便宜一点); it is a time only after a day or 下午 and the like.
    return spec, _WEAK_CLOCK if hour_text == "一" and grain == "hour" else _CLOCK
