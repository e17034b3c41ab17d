"""Phone numbers as the call log keeps them, and which customer a number belongs to.

``+86 138-0000-0000``, ``008613800000000``, ``8613800000000`` and ``13800000000`` are one
number: the country code and every separator go, leaving the national digits. Customer
phones are stored as typed (``13800000000``, or as WeCom's remark_mobiles gave them), so a
lookup asks for each written form of the number. Several customers with the number are
returned together: the caller chooses, the bot never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.crm.customers import Customer

_MOBILE = re.compile(r"1[3-9]\d{9}")
MAX_SHOWN = 5


def normalise(text: str) -> str:
    """The national digits of a number ('' when there are too few digits to be one)."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    return digits if 3 <= len(digits) <= 20 else ""


def is_mobile(number: str) -> bool:
    return bool(_MOBILE.fullmatch(number))


def written_forms(number: str) -> list[str]:
    """How a customer's phone holding ``number`` may have been typed."""
    forms = {number, f"86{number}", f"+86{number}", f"+86 {number}"}
    if is_mobile(number):
        groups = (number[:3], number[3:7], number[7:])
        for sep in ("-", " "):
            spaced = sep.join(groups)
            forms |= {spaced, f"+86 {spaced}", f"+86{sep}{spaced}"}
    return sorted(forms)


def spaced(number: str) -> str:
    """138 0000 0000: easier to read aloud than eleven digits in a row."""
    if is_mobile(number):
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return number


@dataclass(frozen=True, slots=True)
class Match:
    """Who a number belongs to: one customer, several (ambiguous), none, or the tenant."""

    customers: tuple[Customer, ...] = ()
    own: bool = False

    @property
    def customer(self) -> Customer | None:
        return self.customers[0] if len(self.customers) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.customers) > 1


async def match_number(tenant_id: int, number: str, own_numbers: list[str]) -> Match:
    """The customers whose phone is ``number``; the tenant's own lines never match anyone."""
    if not number:
        return Match()
    if number in {normalise(n) for n in own_numbers}:
        return Match(own=True)
    rows = await Customer.filter(
        tenant_id=tenant_id, phone__in=written_forms(number), archived_at__isnull=True
    ).order_by("id")
    return Match(tuple(rows[: MAX_SHOWN + 1]))
