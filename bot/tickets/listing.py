"""``我的工单`` and ``超时工单``: open tickets, the most urgent first.

Both read one index range ((tenant, assignee, status) or (tenant, status, ...)) and sort the
few open rows it yields; the list shows at most ``SHOWN`` and says how many there are.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from bot.tickets.wording import STATUS_WORDS, headline, overdue_words, short_time
from models.crm.customers import Customer
from models.tickets import OPEN_STATUSES, Ticket, TicketStatus

SHOWN = 20
MINE_HEADER = "你的未完成工单（{count} 条）："
MINE_EMPTY = "你没有未完成的工单。"
OVERDUE_HEADER = "超时工单（{count} 条）："
OVERDUE_EMPTY = "没有超时的工单。"
MORE = "……只显示最紧急的 {shown} 条。"
HINT = "发送「工单 0001」看详情。"
PAUSED = "解决计时暂停"


def mine(tenant_id: int, employee_id: int) -> QuerySet[Ticket]:
    return Ticket.filter(
        tenant_id=tenant_id, assignee_id=employee_id, status__in=list(OPEN_STATUSES)
    )


def overdue(tenant_id: int, now: datetime, employee_id: int | None = None) -> QuerySet[Ticket]:
    """Open tickets past a running target: no first reply by its due time, or unresolved past
    its resolution time (not while paused, waiting for the customer)."""
    late = Q(first_responded_at__isnull=True, response_due_at__lt=now) | Q(
        resolution_due_at__lt=now, status__not=TicketStatus.PENDING_CUSTOMER
    )
    query = Ticket.filter(late, tenant_id=tenant_id, status__in=list(OPEN_STATUSES))
    return query.filter(assignee_id=employee_id) if employee_id is not None else query


def _due(ticket: Ticket) -> datetime:
    if ticket.first_responded_at is None:
        return min(ticket.response_due_at, ticket.resolution_due_at)
    return ticket.resolution_due_at


def sla_words(ticket: Ticket, tz: ZoneInfo, now: datetime) -> str:
    """What the SLA says now: the next due time, how late it is, or paused."""
    if ticket.status is TicketStatus.PENDING_CUSTOMER and ticket.first_responded_at is not None:
        return PAUSED
    due = _due(ticket)
    return overdue_words(due, now) or f"截止 {short_time(due, tz)}"


async def render_list(
    query: QuerySet[Ticket], header: str, empty: str, tz: ZoneInfo, now: datetime
) -> str:
    total = await query.count()
    if not total:
        return empty
    rows = await query.order_by("resolution_due_at", "id").limit(SHOWN)
    ids = [t.customer_id for t in rows if t.customer_id]
    names = {c.id: c.display_name for c in await Customer.filter(id__in=ids)} if ids else {}
    lines = [header.format(count=total)]
    for ticket in rows:
        customer = names.get(ticket.customer_id or 0, "内部")
        status = STATUS_WORDS[ticket.status]
        lines.append(f"{headline(ticket)} {status} · {customer} · {sla_words(ticket, tz, now)}")
    if total > SHOWN:
        lines.append(MORE.format(shown=SHOWN))
    lines.append(HINT)
    return "\n".join(lines)
