"""Purchase order numbers: ``CG-20261123-0001``, and finding one by what people type
(``0001``, ``1``, ``1号``, ``采购单0001``, ``CG0001`` or the full number), as with sales orders."""

from __future__ import annotations

import re

from bot.day_numbers import DayNumbers
from models.erp import PurchaseOrder

PREFIX = "CG"
REF_TEXT = r"(?:采购单|采购|单号)?\s*[#第]?\s*(?:CG-?(?:\d{8}-?)?)?\d{1,6}(?:\s*号)?"
LEADING_REF = re.compile(rf"{REF_TEXT}(?!\d)", re.IGNORECASE)
_REF = re.compile(
    r"^(?:采购单|采购|单号)?\s*[#第]?\s*(?:CG-?(?:(?P<day>\d{8})-?)?)?(?P<seq>\d{1,6})\s*(?:号)?"
    r"\s*(?:采购单)?$",
    re.IGNORECASE,
)


def tail(order: PurchaseOrder) -> str:
    return f"{order.seq:04d}"


def split_ref(text: str) -> tuple[str, str] | None:
    """(the purchase order reference, the rest) when ``text`` starts with one."""
    found = LEADING_REF.match(text.strip())
    if found is None:
        return None
    return found.group(0), text.strip()[found.end() :].strip()


NUMBERS = DayNumbers(PREFIX, PurchaseOrder, _REF)
format_number = NUMBERS.format
next_seq = NUMBERS.next_seq
find_purchase = NUMBERS.find
