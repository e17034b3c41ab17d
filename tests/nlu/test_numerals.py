"""Chinese numerals to integers, as sales people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.numerals import to_int

_DIGITS = "零一二三四五六七八九"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("15", 15),
        ("2026", 2026),
        ("零", 0),
        ("一", 1),
        ("两", 2),
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十三", 23),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百五", 150),  # the colloquial short form of 一百五十
        ("两百", 200),
        ("两千三", 2300),
        ("三千零五", 3005),
        ("一千零一十", 1010),
        ("十万", 100_000),
        ("一万二", 12_000),
        ("二零二六", 2026),
        ("零七", 7),
        ("〇七", 7),
        ("一九九八", 1998),
    ],
)
def test_reads_numbers(text: str, value: int) -> None:
    assert to_int(text) == value


@pytest.mark.parametrize(
    "text", ["", "百", "万", "十十", "二十百", "三两", "五个", "3.5", "-1", "１２", "abc"]
)
def test_rejects_what_is_no_number(text: str) -> None:
    assert to_int(text) is None


def test_digit_strings_can_be_refused() -> None:
    # 三五天 is "three to five days", never 35.
    assert to_int("三五", digit_strings=False) is None
    assert to_int("二零二六", digit_strings=False) is None
    assert to_int("三十五", digit_strings=False) == 35


def _spell(n: int) -> str:
    """n in formal positional Chinese (一千零五, 二十三), written independently of the parser."""
    if n == 0:
        return "零"
    parts: list[str] = []
    pending_zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGITS[digit] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text  # 十五, not 一十五


@given(st.integers(min_value=0, max_value=9999))
def test_positional_round_trip(n: int) -> None:
    assert to_int(_spell(n)) == n


@given(st.integers(min_value=0, max_value=9999))
def test_digit_string_round_trip(n: int) -> None:
    digits = f"{n:04d}"
    assert to_int("".join(_DIGITS[int(d)] for d in digits)) == n
