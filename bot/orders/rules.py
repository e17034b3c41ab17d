"""The tenant's order rules (``订单设置``): overpayment, payment terms and reminder days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.orders import OrderRules

MAX_TERMS_DAYS = 365
MAX_REMIND_DAYS = 30


@dataclass(frozen=True, slots=True)
class Rules:
    allow_overpayment: bool = False
    terms_days: int = 30
    remind_days: int = 3


DEFAULT_RULES = Rules()


async def rules_of(tenant_id: int) -> Rules:
    row = await OrderRules.get_or_none(tenant_id=tenant_id)
    if row is None:
        return DEFAULT_RULES
    return Rules(row.allow_overpayment, row.terms_days, row.remind_days)


async def save_rules(tenant_id: int, rules: Rules, by: str, now: datetime) -> None:
    await OrderRules.update_or_create(
        defaults={
            "allow_overpayment": rules.allow_overpayment,
            "terms_days": rules.terms_days,
            "remind_days": rules.remind_days,
            "updated_by": by[:64],
            "updated_at": now,
        },
        tenant_id=tenant_id,
    )
