"""The daily churn summary: admins hear once a day which customers deleted an employee.

The employee concerned is told at once (see ``handlers.crm.events``); admins get one
message a day, after ``SUMMARY_HOUR`` in the tenant's timezone, listing the losses since the
previous summary. The outbox key carries the local date, so replicas and restarts never send
a second summary that day; the losses it lists are marked reported in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from bot.crm.book import employee_label
from bot.notices import anyone_to_tell, notify_admins
from bot.tenants import TenantInfo
from models.crm.customers import CustomerFollower, FollowerStatus
from models.outbox import OutboxMessage

SUMMARY_HOUR = 9
LISTED = 20
TITLE = "【客户流失日报】自上次日报以来，有 {count} 位客户删除了员工："
ENTRY = "· {customer}（删除了 {employee}，{when}）"
MORE = "……等共 {count} 位，发送「客户动态 客户名」查看详情。"
TIME_FORMAT = "%m-%d %H:%M"


def render_summary(losses: list[CustomerFollower], tenant: TenantInfo) -> str:
    lines = [TITLE.format(count=len(losses))]
    for loss in losses[:LISTED]:
        when = (
            loss.ended_at.astimezone(tenant.timezone).strftime(TIME_FORMAT) if loss.ended_at else ""
        )
        lines.append(
            ENTRY.format(
                customer=loss.customer.display_name,
                employee=employee_label(loss.employee),
                when=when,
            )
        )
    if len(losses) > LISTED:
        lines.append(MORE.format(count=len(losses)))
    return "\n".join(lines)


async def _unreported(tenant_id: int) -> list[CustomerFollower]:
    return (
        await CustomerFollower.filter(
            tenant_id=tenant_id, status=FollowerStatus.LOST, churn_reported_at__isnull=True
        )
        .order_by("ended_at", "id")
        .prefetch_related("customer", "employee")
    )


async def summarise_churn(
    tenant: TenantInfo, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """Today's summary for one tenant, as outbox rows (none before SUMMARY_HOUR, when it was
    sent already today, or when nobody was lost)."""
    local = now.astimezone(tenant.timezone)
    if local.hour < SUMMARY_HOUR:
        return []
    if not await anyone_to_tell(tenant):
        return []  # nobody to tell yet: the losses wait for the first admin
    async with in_transaction():
        losses = await _unreported(tenant.id)
        if not losses:
            return []
        text = render_summary(losses, tenant)
        key = f"crm:churn:{local.date().isoformat()}"
        rows = list(await notify_admins(tenant, text, key=key, now=now, lease=lease))
        if rows:
            await CustomerFollower.filter(id__in=[loss.id for loss in losses]).update(
                churn_reported_at=now
            )
    return rows
