"""Over-receipt tolerance (超收): how much more than ordered a purchase line may receive.

An admin's ``采购设置 超收 5%`` lets each line receive up to ordered × 1.05, rounded down to a
whole unit, so the limit is never above what was allowed. Kept in basis points (2.5% is 250)
on the tenant's ``PurchaseRules``; without a row, or at 0, nothing beyond the order arrives.
The limit is enforced by the receipt's guarded UPDATE (``bot.erp.purchasing``).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.dispatch.errors import UserFacingError
from bot.nlu.numerals import to_int
from models.erp import PurchaseRules

BASIS = 10_000  # basis points in 100%
MOST_BP = BASIS  # 100%: a supplier delivering twice the order is a new order
USAGE = "请按这个格式写：采购设置 超收 5%（0 就是不允许超收，最多 100%）"
_PERCENT = re.compile(
    r"^(?:(?P<off>关|关闭|不允许|不可以|不能|不要|否)"
    r"|(?:百分之\s*(?P<spoken>[零一二两三四五六七八九十百\d]+))"
    r"|(?P<digits>\d{1,3}(?:\.\d{1,2})?)\s*[%％]?)$"
)


def most_receivable(qty: int, tolerance_bp: int) -> int:
    """The most a line of ``qty`` may receive: floor(qty × (1 + bp / 10000)), in integers."""
    return qty * (BASIS + tolerance_bp) // BASIS


def percent_words(tolerance_bp: int) -> str:
    whole, rest = divmod(tolerance_bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"


def tolerance_words(tolerance_bp: int) -> str:
    if not tolerance_bp:
        return "不允许超收（到货不能多于订购数量）"
    most = percent_words(BASIS + tolerance_bp)
    return f"可超收 {percent_words(tolerance_bp)}（每行最多收到订购数量的 {most}）"


def read_tolerance(text: str) -> int:
    """Basis points from ``5%`` / ``5`` / ``2.5%`` / ``百分之五`` / ``关``."""
    found = _PERCENT.match(text.strip().replace(" ", ""))
    if found is None:
        raise UserFacingError(USAGE)
    if found["off"]:
        return 0
    if found["spoken"]:
        whole = to_int(found["spoken"], digit_strings=False)
        if whole is None:
            raise UserFacingError(USAGE)
        points = whole * 100
    else:
        units, _, fraction = found["digits"].partition(".")
        points = int(units) * 100 + int((fraction + "00")[:2])
    if points > MOST_BP:
        raise UserFacingError(USAGE)
    return points


async def tolerance_of(tenant_id: int) -> int:
    found = await PurchaseRules.filter(tenant_id=tenant_id).values_list(
        "over_receipt_bp", flat=True
    )
    return int(found[0]) if found else 0  # type: ignore[call-overload]


async def save_tolerance(tenant_id: int, tolerance_bp: int, by: str, now: datetime) -> None:
    await PurchaseRules.update_or_create(
        defaults={"over_receipt_bp": tolerance_bp, "updated_by": by[:64], "updated_at": now},
        tenant_id=tenant_id,
    )
