"""日报 sections for customers and follow-ups (module crm)."""

from __future__ import annotations

from datetime import datetime

from tortoise.queryset import QuerySet

from bot.tenants import TenantInfo
from models.crm.customers import Customer
from models.followups import Followup, FollowupStatus

LISTED = 5
NEW_CUSTOMERS = "· 新客户：{count} 位{names}"
DONE = "· 完成跟进：{count} 条{who}"
OVERDUE = "· 逾期未完成的跟进：{count} 条{who}"
MORE = "等"


def _names(names: list[str], total: int) -> str:
    if not names:
        return ""
    more = MORE if total > len(names) else ""
    return f"（{'、'.join(names)}{more}）"


async def _per_owner(query: QuerySet[Followup]) -> tuple[int, str]:
    """How many, and "（张三 2、李四 1）": whose they are, most first."""
    counts: dict[str, int] = {}
    for row in await query.values("owner__userid", "owner__name"):
        name = str(row["owner__name"] or row["owner__userid"])
        counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = [f"{name} {count}" for name, count in ranked[:LISTED]]
    return sum(counts.values()), _names(shown, len(ranked))


async def new_customers(tenant: TenantInfo, start: datetime, end: datetime) -> str | None:
    query = Customer.filter(tenant_id=tenant.id, created_at__gte=start, created_at__lt=end)
    count = await query.count()
    rows = await query.order_by("created_at", "id").limit(LISTED)
    return NEW_CUSTOMERS.format(count=count, names=_names([c.display_name for c in rows], count))


async def followups_done(tenant: TenantInfo, start: datetime, end: datetime) -> str | None:
    count, who = await _per_owner(
        Followup.filter(
            tenant_id=tenant.id,
            status=FollowupStatus.DONE,
            completed_at__gte=start,
            completed_at__lt=end,
        )
    )
    return DONE.format(count=count, who=who)


async def followups_overdue(tenant: TenantInfo, start: datetime, end: datetime) -> str | None:
    """Open follow-ups already due at the end of the window, whenever they were due."""
    count, who = await _per_owner(
        Followup.filter(tenant_id=tenant.id, status=FollowupStatus.OPEN, due_at__lt=end)
    )
    return OVERDUE.format(count=count, who=who)
