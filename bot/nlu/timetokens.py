"""Finding the pieces of Chinese time expressions: one regex per kind of piece.

``tokens_at`` tries every kind at one position, most specific first, and yields each piece
that both matches and makes sense (3点 yes, 25点 no), so the combiner can fall back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bot.nlu import timepieces as piece
from bot.nlu.timepieces import Built
from bot.nlu.timespec import Slot, Spec
from bot.nlu.timewords import (
    DAY_WORDS,
    DAYPARTS,
    OFFSET_AFTER,
    OFFSET_BEFORE,
    OFFSET_UNITS,
    SHIFT_PREFIXES,
    WEAK_DAYPARTS,
    WEEKDAYS,
    YEAR_WORDS,
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    spec: Spec
    slot: Slot


_CN = "零〇一二两三四五六七八九"
_CN_ANY = _CN + "十百千万"
# A number must not continue another one (13800138000, 五十五点, 3.5点) nor be an ordinal
# (第3点 is "the third point").
_AR_FREE = r"(?<![\d.．第])"
_CN_FREE = f"(?<![{_CN_ANY}第])"


def _alternatives(words: Iterable[str]) -> str:
    """Longest first, so 大后天 wins over 后天."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _small(name: str) -> str:
    """A number of at most two Arabic or three Chinese digits: hours, days, months."""
    return rf"(?P<{name}>{_AR_FREE}\d{{1,2}}(?!\d)|{_CN_FREE}[{_CN}十]{{1,3}})"


_WEEK = "(?:周|星期|礼拜|禮拜)"
_WEEKDAY = f"(?P<wd>[{''.join(WEEKDAYS)}])(?!\\d)"
# 以上周报 is "the weekly reports above", not 上周.
_PREFIX = f"(?:(?<![以之])(?P<p>{_alternatives(SHIFT_PREFIXES)})个?)"
_NUMERAL_AHEAD = f"(?=\\s?(?:\\d|[{_CN.replace('一', '')}十]))"

_STRING_DIGITS = _CN.replace("两", "")  # 两 is never one digit of 二零二六 or 三点零五
_MINUTE = rf"零?\d{{1,2}}(?!\d)|[{_STRING_DIGITS}十]{{1,3}}"
_AMOUNT_AFTER = f"(?![\\d{_CN_ANY}]{{0,3}}[万千百亿元块%％倍])"  # 3点5万 is money

_KINDS: tuple[tuple[str, Callable[[re.Match[str]], Built]], ...] = (
    ("现在|此刻", piece.now_word),
    (
        r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)",
        piece.numeric_date,
    ),
    (
        rf"(?P<n>{_AR_FREE}\d+(?:\.\d+)?|{_CN_FREE}[{_CN_ANY}]+|半)(?P<ge>个)?(?P<half>半)?"
        rf"(?P<ge2>个)?(?P<unit>{_alternatives(OFFSET_UNITS)})"
        rf"(?P<dir>{_alternatives(OFFSET_AFTER + OFFSET_BEFORE)})",
        piece.offset,
    ),
    (
        rf"(?:{_AR_FREE}(?P<ar>\d{{4}}|\d{{2}})(?!\d)"
        rf"|{_CN_FREE}(?P<cn>[{_STRING_DIGITS}]{{4}}|[{_STRING_DIGITS}]{{2}}))年(?![代级])",
        piece.year,
    ),
    (
        f"{_CN_FREE}(?P<a>十?[一二三四五六七八九])(?P<b>[二三四五六七八九十])(?:点钟?|點|时|時)",
        piece.hour_pair,
    ),
    (
        rf"{_small('a')}\s*(?P<sep>到|至|-|~|～|—)\s*{_small('b')}(?:点钟?|點|时|時)",
        piece.hour_pair,
    ),
    (
        r"(?<![\d:：.])(?P<h>\d{1,2})[:：](?P<mi>\d{2})(?:[:：](?P<s>\d{2}))?(?![\d:：])",
        piece.colon_clock,
    ),
    (
        rf"{_small('h')}(?:点钟?|點|时|時)(?:(?P<half>半)|(?P<quarter>[一三])刻钟?|(?P<whole>整)"
        rf"|(?P<many>多)|(?P<mi>{_MINUTE})分?(?:(?P<s>{_MINUTE})秒)?)?{_AMOUNT_AFTER}",
        piece.clock,
    ),
    (rf"{_small('m')}月份?", piece.month),
    (rf"{_small('d')}[号號日](?![楼樓线床房室门位码机车店窗口柜台桌厅馆院卡元])", piece.day),
    (f"{_PREFIX}?周末", piece.weekend),
    (f"(?:第(?P<k>[一二三四五1-5])|(?P<last>最后一))个?{_WEEK}{_WEEKDAY}", piece.nth_weekday),
    (f"{_PREFIX}?{_WEEK}(?:{_WEEKDAY})?", piece.weekday),
    (f"{_PREFIX}月份?", piece.month_word),
    (_alternatives(YEAR_WORDS), piece.year_word),
    (_alternatives(DAY_WORDS), piece.day_word),
    ("(?P<scope>月|年)?(?P<side>底|末|初)(?![步次期衷心])", piece.edge),
    (
        f"(?:{_alternatives(set(DAYPARTS) - WEAK_DAYPARTS)})(?![好茶])"
        f"|(?:{_alternatives(WEAK_DAYPARTS)}){_NUMERAL_AHEAD}",
        piece.daypart,
    ),
)
_PATTERNS = tuple((re.compile(pattern), build) for pattern, build in _KINDS)

# Every character a piece can begin with, so the scanner can skip the rest of a sentence.
_FIRST_CHARS = set("0123456789" + _CN_ANY + "现此周星礼禮第最月年底末初半").union(
    word[0] for table in (DAY_WORDS, YEAR_WORDS, SHIFT_PREFIXES, DAYPARTS) for word in table
)
STARTS = re.compile(f"[{re.escape(''.join(sorted(_FIRST_CHARS)))}]")


def tokens_at(text: str, pos: int) -> Iterator[Token]:
    """Every piece that starts at ``pos``, most specific kind first."""
    for pattern, build in _PATTERNS:
        match = pattern.match(text, pos)
        if match is None:
            continue
        built = build(match)
        if built is not None:
            yield Token(pos, match.end(), *built)
