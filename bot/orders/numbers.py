"""Order numbers: ``DD-20261207-0001``, and finding an order by what people type.

As with work orders, people say the tail (``0001``, ``1``, ``1号``): that is the latest day's
order with that sequence. The full number names one exactly.
"""

from __future__ import annotations

import re

from bot.day_numbers import DayNumbers
from models.orders import Order

PREFIX = "DD"
# An order as people name it at the start of what they type, for patterns to build on.
REF_TEXT = r"(?:订单|单号)?\s*[#第]?\s*(?:DD-?\d{8}-?)?\d{1,6}(?:\s*号)?"
LEADING_REF = re.compile(rf"{REF_TEXT}(?!\d)", re.IGNORECASE)
_REF = re.compile(
    r"^(?:订单|单号)?\s*[#第]?\s*(?:DD-?(?P<day>\d{8})-?)?(?P<seq>\d{1,6})\s*(?:号)?\s*(?:订单)?$",
    re.IGNORECASE,
)


def tail(order: Order) -> str:
    return f"{order.seq:04d}"


def split_ref(text: str) -> tuple[str, str] | None:
    """(the order reference, the rest) when ``text`` starts with one."""
    found = LEADING_REF.match(text.strip())
    if found is None:
        return None
    return found.group(0), text.strip()[found.end() :].strip()


NUMBERS = DayNumbers(PREFIX, Order, _REF)
format_number = NUMBERS.format
parse_ref = NUMBERS.parse
next_seq = NUMBERS.next_seq
find_order = NUMBERS.find
