"""Phone numbers as the call log keeps them, and which customer a number belongs to.

``+86 138-0000-0000``, ``008613800000000``, ``8613800000000`` and ``13800000000`` are one
number: the country code and every separator go, leaving the national digits. Customer
phones are stored as typed (``13800000000``, or as WeCom's first remark_mobile gave it), so a
lookup asks for each written form of the number. When no customer's phone is the number, the
WeCom ``remark_mobiles`` its followers noted for a customer are asked (every one of them, not
only the first). Several customers with the number are returned together: the caller
chooses, the bot never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.crm.phones import MOBILE, national_digits, remark_key
from models.crm.customers import Customer, CustomerFollower

_MOBILE = MOBILE
MAX_SHOWN = 5


def normalise(text: str) -> str:
    """The national digits of a number ('' when there are too few digits to be one)."""
    return national_digits(text)


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
    rows = (
        await Customer.filter(
            tenant_id=tenant_id, phone__in=written_forms(number), archived_at__isnull=True
        )
        .order_by("id")
        .limit(MAX_SHOWN + 1)
    )
    if not rows:
        rows = await _by_remark_mobiles(tenant_id, number)
    return Match(tuple(rows[: MAX_SHOWN + 1]))


async def _by_remark_mobiles(tenant_id: int, number: str) -> list[Customer]:
    """Customers a follower noted the number for in WeCom (备注手机号)."""
    ids = await CustomerFollower.filter(
        tenant_id=tenant_id, remark_numbers__contains=remark_key(number)
    ).values_list("customer_id", flat=True)
    unique = sorted(set(ids))[: MAX_SHOWN + 1]
    if not unique:
        return []
    return await Customer.filter(
        tenant_id=tenant_id, id__in=unique, archived_at__isnull=True
    ).order_by("id")
