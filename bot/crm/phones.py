"""Phone numbers in one written form: the national digits.

``+86 138-0000-0000``, ``008613800000000``, ``8613800000000`` and ``13800000000`` are one
number: the country code and every separator go. The call log keeps numbers so, and the
WeCom ``remark_mobiles`` of a customer's followers are stored so (``remark_numbers``), so a
call can be matched to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MOBILE = re.compile(r"1[3-9]\d{9}")
REMARK_LIMIT = 255


def national_digits(text: str) -> str:
    """The national digits of a number ('' when there are too few digits to be one)."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    return digits if 3 <= len(digits) <= 20 else ""


def remark_numbers(mobiles: Iterable[str]) -> str:
    """``,13800000000,13900000000,``: searchable with LIKE '%,number,%' on any database."""
    numbers = list(dict.fromkeys(n for n in (national_digits(m) for m in mobiles) if n))
    text = ""
    for number in numbers:
        if len(text or ",") + len(number) + 1 > REMARK_LIMIT:
            break
        text = f"{text or ','}{number},"
    return text


def remark_key(number: str) -> str:
    """What a number looks like inside ``remark_numbers``."""
    return f",{number},"
