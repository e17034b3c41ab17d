"""The work orders' part of the admins' 日报 (``bot.reports.daily``): tickets opened and
resolved today, and the open backlog with how much of it is past its SLA."""

from __future__ import annotations

from datetime import datetime

from bot.tenants import TenantInfo
from bot.tickets.listing import overdue
from models.tickets import OPEN_STATUSES, Ticket

LINE = "· 工单：今天新建 {opened} 张、解决 {resolved} 张；未完成 {open} 张{late}"
LATE = "（{count} 张已超时，发送「超时工单」查看）"


async def daily_section(tenant: TenantInfo, start: datetime, end: datetime) -> str | None:
    """None for a tenant that has never had a ticket: the module is not in use."""
    if not await Ticket.exists(tenant_id=tenant.id):
        return None
    tickets = Ticket.filter(tenant_id=tenant.id)
    opened = await tickets.filter(created_at__gte=start, created_at__lt=end).count()
    resolved = await tickets.filter(resolved_at__gte=start, resolved_at__lt=end).count()
    still_open = await tickets.filter(status__in=list(OPEN_STATUSES)).count()
    late = await overdue(tenant.id, end).count()
    return LINE.format(
        opened=opened,
        resolved=resolved,
        open=still_open,
        late=LATE.format(count=late) if late else "",
    )
