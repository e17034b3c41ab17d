"""Order numbers: ``DD-20261207-0001``, and finding an order by what people type.

As with work orders, people say the tail (``0001``, ``1``, ``1号``): that is the latest day's
order with that sequence. The full number names one exactly.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from models.orders import Order

PREFIX = "DD"
# An order as people name it at the start of what they type, for patterns to build on.
REF_TEXT = r"(?:订单|单号)?\s*[#第]?\s*(?:DD-?\d{8}-?)?\d{1,6}(?:\s*号)?"
LEADING_REF = re.compile(rf"{REF_TEXT}(?!\d)", re.IGNORECASE)
_REF = re.compile(
    r"^(?:订单|单号)?\s*[#第]?\s*(?:DD-?(?P<day>\d{8})-?)?(?P<seq>\d{1,6})\s*(?:号)?\s*(?:订单)?$",
    re.IGNORECASE,
)


def format_number(day: date, seq: int) -> str:
    return f"{PREFIX}-{day:%Y%m%d}-{seq:04d}"


def tail(order: Order) -> str:
    return f"{order.seq:04d}"


def parse_ref(text: str) -> tuple[date | None, int] | None:
    match = _REF.match(text.strip())
    if match is None or int(match["seq"]) == 0:
        return None
    if match["day"] is None:
        return None, int(match["seq"])
    try:
        day = datetime.strptime(match["day"], "%Y%m%d").date()  # noqa: DTZ007 (a date only)
    except ValueError:
        return None
    return day, int(match["seq"])


def split_ref(text: str) -> tuple[str, str] | None:
    """(the order reference, the rest) when ``text`` starts with one."""
    found = LEADING_REF.match(text.strip())
    if found is None:
        return None
    return found.group(0), text.strip()[found.end() :].strip()


async def next_seq(tenant_id: int, day: date) -> int:
    """The next tail of ``day``; the (tenant, day, seq) unique index refuses a racing twin."""
    last = await Order.filter(tenant_id=tenant_id, day=day).order_by("-seq").first()
    return last.seq + 1 if last else 1


async def find_order(tenant_id: int, ref: str) -> Order | None:
    parsed = parse_ref(ref)
    if parsed is None:
        return None
    day, seq = parsed
    if day is not None:
        return await Order.get_or_none(tenant_id=tenant_id, day=day, seq=seq)
    return await Order.filter(tenant_id=tenant_id, seq=seq).order_by("-day").first()
