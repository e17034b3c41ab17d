"""The words of Chinese time expressions and what each one means, as tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from bot.nlu.timespec import Grain, OffsetKind


class DayWord(NamedTuple):
    shift: int  # days from today
    daypart: str | None  # 今晚 is 今天 plus 晚上


DAY_WORDS: dict[str, DayWord] = {
    "今天": DayWord(0, None),
    "今日": DayWord(0, None),
    "今儿": DayWord(0, None),
    "当天": DayWord(0, None),
    "明天": DayWord(1, None),
    "明日": DayWord(1, None),
    "明儿": DayWord(1, None),
    "后天": DayWord(2, None),
    "大后天": DayWord(3, None),
    "大大后天": DayWord(4, None),
    "昨天": DayWord(-1, None),
    "昨日": DayWord(-1, None),
    "昨儿": DayWord(-1, None),
    "前天": DayWord(-2, None),
    "大前天": DayWord(-3, None),
    "大大前天": DayWord(-4, None),
    "今早": DayWord(0, "早上"),
    "今晨": DayWord(0, "早上"),
    "明早": DayWord(1, "早上"),
    "今晚": DayWord(0, "晚上"),
    "当晚": DayWord(0, "晚上"),
    "明晚": DayWord(1, "晚上"),
    "昨晚": DayWord(-1, "晚上"),
    "今夜": DayWord(0, "夜里"),
    "昨夜": DayWord(-1, "夜里"),
}

YEAR_WORDS: dict[str, int] = {
    "今年": 0,
    "明年": 1,
    "来年": 1,
    "后年": 2,
    "去年": -1,
    "前年": -2,
}

# 这/本 this, 下 next, 上 previous; 个 is optional everywhere (下个星期三, 下周三).
SHIFT_PREFIXES: dict[str, int] = {
    "这": 0,
    "本": 0,
    "当": 0,
    "下": 1,
    "下下": 2,
    "上": -1,
    "上一": -1,
    "上上": -2,
}

WEEKDAYS: dict[str, int] = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "七": 6,
    **{str(n): n - 1 for n in range(1, 8)},
}


def _small_hours(said: int) -> tuple[int, int]:
    return said % 12, 0  # 凌晨12点 is the midnight that starts the day


def _morning(said: int) -> tuple[int, int]:
    return said, 0  # 上午12点 is noon


def _noon(said: int) -> tuple[int, int]:
    return (said, 0) if said >= 10 else (said + 12, 0)  # 中午1点 is 13:00


def _afternoon(said: int) -> tuple[int, int]:
    return (said, 0) if said == 12 else (said + 12, 0)


def _evening(said: int) -> tuple[int, int]:
    # 晚上12点 is the midnight that ends the evening, so it belongs to the next day.
    return (0, 1) if said in (0, 12) else (said + 12, 0)


def _night(said: int) -> tuple[int, int]:
    # 夜里 runs past midnight: 夜里12点 and 夜里2点 fall on the next day, 夜里10点 does not.
    if said in (0, 12):
        return 0, 1
    return (said, 1) if said <= 6 else (said + 12, 0)


def unmarked_hour(said: int) -> tuple[int, int]:
    """An hour said without 上午/下午: office hours decide (7-11 morning, 1-6 afternoon)."""
    return (said + 12, 0) if 1 <= said <= 6 else (said, 0)


class DayPart(NamedTuple):
    hour_of: Callable[[int], tuple[int, int]]  # hour as said -> (hour of day, days to add)
    usual: int  # the hour as said that the word alone means (下午 -> 2, i.e. 14:00)
    over_at: int  # hour of day after which a bare 下午 means tomorrow's


DAYPARTS: dict[str, DayPart] = {
    "凌晨": DayPart(_small_hours, 0, 6),
    "清晨": DayPart(_morning, 7, 9),
    "早晨": DayPart(_morning, 8, 10),
    "早上": DayPart(_morning, 8, 10),
    "早": DayPart(_morning, 8, 10),
    "上午": DayPart(_morning, 9, 12),
    "中午": DayPart(_noon, 12, 14),
    "午后": DayPart(_afternoon, 2, 18),
    "下午": DayPart(_afternoon, 2, 18),
    "傍晚": DayPart(_afternoon, 6, 20),
    "晚上": DayPart(_evening, 8, 24),
    "晚间": DayPart(_evening, 8, 24),
    "晚": DayPart(_evening, 8, 24),
    "夜里": DayPart(_night, 10, 24),
    "夜间": DayPart(_night, 10, 24),
    "深夜": DayPart(_night, 11, 24),
    "半夜": DayPart(_night, 12, 24),
}
# 早8点 and 晚8点 are times, but 早点 and 晚一点 mean "earlier" and "a bit later".
WEAK_DAYPARTS = frozenset({"早", "晚"})


class Unit(NamedTuple):
    kind: OffsetKind
    size: int  # in seconds, days or months according to kind
    grain: Grain


OFFSET_UNITS: dict[str, Unit] = {
    "秒": Unit("elapsed", 1, "second"),
    "秒钟": Unit("elapsed", 1, "second"),
    "分": Unit("elapsed", 60, "minute"),
    "分钟": Unit("elapsed", 60, "minute"),
    "刻": Unit("elapsed", 900, "minute"),
    "刻钟": Unit("elapsed", 900, "minute"),
    "小时": Unit("elapsed", 3600, "hour"),
    "钟头": Unit("elapsed", 3600, "hour"),
    "天": Unit("days", 1, "day"),
    "日": Unit("days", 1, "day"),
    "周": Unit("days", 7, "week"),
    "星期": Unit("days", 7, "week"),
    "礼拜": Unit("days", 7, "week"),
    "月": Unit("months", 1, "month"),
    "年": Unit("months", 12, "year"),
}
# What 半 means with each unit, as an offset of its own: 半天 is twelve hours, 半个月 fifteen
# days. A unit missing here takes no 半 (半周 is not said).
HALF_UNITS: dict[str, Unit] = {
    "分": Unit("elapsed", 30, "second"),
    "分钟": Unit("elapsed", 30, "second"),
    "小时": Unit("elapsed", 1800, "minute"),
    "钟头": Unit("elapsed", 1800, "minute"),
    "天": Unit("elapsed", 43_200, "hour"),
    "月": Unit("days", 15, "day"),
    "年": Unit("months", 6, "month"),
}
# Far enough for any follow-up, near enough that arithmetic never leaves datetime's range.
MAX_OFFSET: dict[OffsetKind, int] = {
    "elapsed": 10 * 366 * 86_400,
    "days": 100 * 366,
    "months": 100 * 12,
}
OFFSET_AFTER = ("以后", "之后", "过后", "后")
OFFSET_BEFORE = ("以前", "之前", "前")
