"""Find the first Chinese time expression in a message and say when it is.

``parse_time("明天下午3点提醒我回访张总", now)`` is tomorrow 15:00 with grain "hour" and span
(0, 6). The rules, beyond the words themselves (see ``timewords``):

- Weeks start on Monday. Results are aware datetimes in ``now``'s time zone.
- Something that leaves out the year, month or day and has no past marker (昨, 前天, 上, 前,
  去年) is its next occurrence at or after now, decided by its date: 周三 when Wednesday is
  past → next week's; 5号 when the 5th is past → next month's (or the first later month that
  has a 31st); 3月5日 when past → next year's (2月29日: the next leap year); 3月 when March is
  past → next year's; 月初/年初 when past → next month's/year's; 周末 is this week's Saturday
  unless that Saturday is past (said on a Sunday → next week's).
- A time with no day at all that has already passed today is tomorrow's (10点 said at 10:30;
  but 3点 said at 15:00:30 is still today's); a bare part of day (下午) stays today's until
  that part is over (下午 said at 15:00 is today 14:00; said at 19:00 it is tomorrow's).
- A time attached to any day word or date (今天, 今晚, 明天, 周三, 5号, 3月5日, 3天后 …) stays
  on that day even when past; so do 这周X/本周X, 本月N日, 下月N号 and anything with a year.
- Hours without 上午/下午: 7-11 morning, 12 noon, 1-6 afternoon, 0 and 13-23 as said, 24 the
  next midnight. 晚上/今晚 N点 with N ≤ 11 is N+12; 晚上12点 and 夜里12点 are the next day's
  00:00; 夜里1点-6点 are the next day's small hours; 中午1点 is 13:00; 凌晨12点 is 00:00.
- A part of day alone means its usual hour, grain "hour": 凌晨 0:00, 清晨 7:00, 早上 8:00,
  上午 9:00, 中午 12:00, 下午 14:00, 傍晚 18:00, 晚上 20:00, 夜里 22:00, 深夜 23:00,
  半夜 the next day's 00:00.
- Date-only results have grain "day" (or "week", "month", "year" for 下周, 3月, 明年) and start
  at 00:00; the reminder layer picks the reminder hour. 下周 starts on that Monday, 3月 on the 1st.
- Offsets count from now: N秒/分钟/小时后 in elapsed time; N天/周/个月/年后 keep now's time of
  day on the calendar date (1月31日 + 1个月 → 2月28/29日), unless a time is said with them.
  半小时 is 30 minutes, 半天 12 hours, 半个月 15 days, 半年 6 months.
- N点N is N minutes (3点5 is 3:05); N点多 is N:00 with grain "hour"; N点整 is N:00 sharp.
- Ranges (到, 至, -, ~, 七八点, 3到5点): ``end`` is where the last named time starts (下午3点到
  5点 ends at 17:00). An end without a day is on the start's day, takes the start's part of
  day, and moves forward by 12 hours while it is before the start (上午11点到1点 → 13:00,
  晚上10点到2点 → 02:00 next day); an end with a day counts from the start (周五到周一 → the
  Monday after). 周末 alone has ``end`` on its Sunday. The grain is the finer of the two.
- Not times: 一点 alone (便宜一点, 早一点), 早点/晚点, 第3点, 3点5万 (money), 26年 without a
  month, 3个月 without 后/前, 3号楼, 早上好, 下午茶, 以上周报; a date that does not exist
  (2月30日, 下个月31号 in a 30-day month) makes the whole expression void.
- Two-digit years pivot like strptime's %y: 00-68 → 20xx, 69-99 → 19xx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.nlu.timeresolve import Placed, resolve, time_on
from bot.nlu.timespec import Grain, Spec, finer
from bot.nlu.timetokens import STARTS, Token, tokens_at

__all__ = ["Grain", "ParsedTime", "parse_time"]

_FULL_WIDTH = str.maketrans("０１２３４５６７８９：／－．～", "0123456789:/-.~")
_BLANKS = " \t\u3000"
_RANGE_SEP = re.compile(r"[ \t\u3000]*(?:到|至|~|-|—|–)[ \t\u3000]*")
_HALF_DAY = timedelta(hours=12)
_FIRST_YEAR, _LAST_YEAR = 1000, 9000  # keeps every offset and roll inside datetime's range


@dataclass(frozen=True, slots=True)
class ParsedTime:
    start: datetime
    end: datetime | None
    grain: Grain
    span: tuple[int, int]  # [start, end) character offsets of the expression in the text


@dataclass(frozen=True, slots=True)
class _Phrase:
    tokens: tuple[Token, ...]
    spec: Spec

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def parse_time(text: str, now: datetime) -> ParsedTime | None:
    """The first time expression in ``text`` placed relative to ``now``, or None.

    Raises ValueError when ``now`` is naive or outside the years 1000-9000.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("parse_time needs an aware datetime")
    if not _FIRST_YEAR <= now.year <= _LAST_YEAR:
        raise ValueError("parse_time needs a now between the years 1000 and 9000")
    text = text.translate(_FULL_WIDTH)  # one character for one, so spans stay valid
    pos = 0
    while (hit := STARTS.search(text, pos)) is not None:
        found, pos = _expression_at(text, hit.start(), now)
        if found is not None:
            return found
    return None


def _expression_at(text: str, pos: int, now: datetime) -> tuple[ParsedTime | None, int]:
    """The expression starting at ``pos`` and where scanning goes on after it."""
    phrase = _phrase_at(text, pos)
    if phrase is None:
        return None, pos + 1
    placed = resolve(phrase.spec, now, now)
    if placed is None:
        return None, phrase.end  # 2月30日: skip it whole, so 30日 is not read on its own
    if phrase.spec.hour_end is not None:
        end_spec = Spec(hour=phrase.spec.hour_end, clock_grain="hour")
        return _ranged(phrase, placed, end_spec, phrase.end, now), phrase.end
    sep = _RANGE_SEP.match(text, phrase.end)
    tail = None if sep is None else _phrase_at(text, sep.end())
    if tail is None:
        return _single(phrase, placed, phrase.end), phrase.end
    return _ranged(phrase, placed, tail.spec, tail.end, now), tail.end


def _phrase_at(text: str, pos: int) -> _Phrase | None:
    """The longest run of pieces from ``pos`` that fit together (明天 + 下午 + 3点)."""
    tokens: list[Token] = []
    specs = [Spec()]
    while (found := _next_piece(text, pos, tokens, specs[-1])) is not None:
        token, spec = found
        tokens.append(token)
        specs.append(spec)
        pos = _skip_blanks(text, token.end)
    while tokens and tokens[-1].slot.needs_next:
        tokens.pop()
        specs.pop()
    return _Phrase(tuple(tokens), specs[-1]) if tokens else None


def _next_piece(text: str, pos: int, tokens: list[Token], spec: Spec) -> tuple[Token, Spec] | None:
    prev = tokens[-1].slot if tokens else None
    for token in tokens_at(text, pos):
        merged = spec.merge(token.spec) if token.slot.fits_after(prev) else None
        if merged is not None:
            return token, merged
    return None


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _BLANKS:
        pos += 1
    return pos


def _single(phrase: _Phrase, placed: Placed, end: int) -> ParsedTime:
    span = (phrase.tokens[0].start, end)
    return ParsedTime(placed.start, placed.last, placed.grain, span)


def _ranged(phrase: _Phrase, placed: Placed, end_spec: Spec, end: int, now: datetime) -> ParsedTime:
    """``phrase`` to ``end_spec``; just ``phrase`` when the end makes no sense (明天到昨天)."""
    last = _range_end(phrase.spec, placed, end_spec, now)
    if last is None:
        return _single(phrase, placed, phrase.end)
    span = (phrase.tokens[0].start, end)
    return ParsedTime(placed.start, last.start, finer(placed.grain, last.grain), span)


def _range_end(start_spec: Spec, start: Placed, end_spec: Spec, now: datetime) -> Placed | None:
    if end_spec.has_date:
        last = resolve(end_spec, now, start.start)
    else:
        if end_spec.daypart is None:
            end_spec = replace(end_spec, daypart=start_spec.daypart)
        last = time_on(start.day, end_spec, now.tzinfo)
        for _ in range(2):  # 上午11点到1点 is 13:00, 晚上10点到2点 is 02:00
            if last is not None and last.start < start.start:
                last = replace(last, start=last.start + _HALF_DAY)
    if last is None or last.start < start.start:
        return None
    return last
