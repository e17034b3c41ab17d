"""Amounts of money as people type them, to integer fen (分).

``260``, ``260.50``, ``¥260.5``, ``260元``, ``两百六十元``, ``两百六``, ``2.6万``, ``5千``,
``3千5`` and ``1万2`` all read as yuan; the result is exact (``Decimal``, never float) and an
amount finer than one fen (``0.001``) is refused rather than rounded: money someone typed is
either what they meant or a typo to ask about.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.nlu.numerals import to_int

_CHINESE = "零〇一二两三四五六七八九十百千万"
# One amount: an optional currency sign, digits (a decimal point, thousands commas) or
# Chinese numerals, an optional scale (万, 千, w, k) and an optional yuan word.
AMOUNT_TEXT = (
    rf"(?:[¥￥]\s*)?(?:\d[\d,]*(?:\.\d+)?(?:\s*[万千wWkK](?:[0-9零一二两三四五六七八九])?)?"
    rf"|[{_CHINESE}]+)\s*(?:元|块钱|块|圆|rmb|RMB)?"
)
_DECIMAL = re.compile(
    r"^[¥￥]?\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?:(?P<scale>[万千wWkK])(?P<tail>[0-9零一二两三四五六七八九])?)?"
    r"\s*(?:元|块钱|块|圆|rmb)?$",
    re.IGNORECASE,
)
_WORDS = re.compile(rf"^[¥￥]?\s*(?P<words>[{_CHINESE}]+)\s*(?:元|块钱|块|圆)?$")
_SCALES = {"万": 10_000, "w": 10_000, "千": 1000, "k": 1000}
_DIGIT_VALUE = (
    {str(n): n for n in range(10)}
    | {ch: value for value, ch in enumerate("零一二三四五六七八九")}
    | {"两": 2}
)
FEN_PER_YUAN = 100


def parse_fen(text: str) -> int | None:
    """The amount in ``text`` (all of it) in fen, or None when it is not an amount."""
    text = text.strip()
    if not text:
        return None
    found = _DECIMAL.match(text)
    if found is not None:
        return _decimal_fen(found["number"], found["scale"], found["tail"])
    words = _WORDS.match(text)
    if words is not None:
        yuan = to_int(words["words"], digit_strings=False)
        return None if yuan is None else yuan * FEN_PER_YUAN
    return None


def _decimal_fen(number: str, scale: str | None, tail: str | None) -> int | None:
    try:
        yuan = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        unit = _SCALES[scale.lower()]
        yuan *= unit
        if tail:
            # 3千5 is 3500 and 1万2 is 12000: a lone digit after the scale counts one step down.
            if "." in number:
                return None
            yuan += _DIGIT_VALUE[tail] * unit // 10
    fen = yuan * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        return None
    return int(fen)
