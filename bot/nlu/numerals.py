"""Chinese numerals to integers.

Three spellings occur in chat: Arabic digits (15), positional Chinese (十五, 二十三, 一百零五,
两千三) and digit strings read one digit at a time (二零二六, 零七), which is how years are said.
"""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
MYRIAD = "万"

# 两 is a counting word (两点, 两天) and never one digit of a digit string.
_STRING_DIGITS = frozenset(DIGITS) - {"两"}


def to_int(text: str, *, digit_strings: bool = True) -> int | None:
    """The value of ``text``, or None when it is not a whole number.

    ``digit_strings=False`` refuses 三五 and the like, which in counts mean "three or five"
    rather than 35; years are the only place a digit string is a number.
    """
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if len(text) > 1 and all(ch in _STRING_DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text)) if digit_strings else None
    return _positional(text)


def _positional(text: str) -> int | None:
    high, sep, low = text.partition(MYRIAD)
    if not sep:
        return _section(text)
    high_value = _section(high)
    if high_value is None or MYRIAD in low:
        return None
    if not low:
        return high_value * 10_000
    # 一万二 is 12000: a lone digit after 万 counts in thousands, as with 一百五 below.
    low_value = _section(low)
    if low_value is None:
        return None
    scale = 1000 if len(low) == 1 and low_value else 1
    return high_value * 10_000 + low_value * scale


def _section(text: str) -> int | None:
    """A number below 10000 such as 三千零五 or 十二; None for 三十百, 五五 or 百."""
    total = 0
    pending: int | None = None  # a digit still waiting to learn its unit
    last_unit = 10_000
    after_zero = False
    for ch in text:
        unit = UNITS.get(ch)
        if unit is None:
            value = DIGITS.get(ch)
            if value is None or pending is not None:
                return None
            after_zero = after_zero or value == 0
            pending = value or None
            continue
        # Units must fall (三百二十, never 二十百); only 十 may stand without a digit (十五).
        if unit >= last_unit or (pending is None and unit != 10):
            return None
        total += (pending or 1) * unit
        pending, last_unit, after_zero = None, unit, False
    if pending is None:
        return total if text else None
    # 一百五 is 150 and 两千三 is 2300, but 一百零五 is 105: 零 marks the skipped unit.
    scale = 1 if after_zero or last_unit == 10_000 else last_unit // 10
    return total + pending * scale
