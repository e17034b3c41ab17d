"""``工单列表``: open work orders page by page, narrowed by who and by status.

Admins and dispatchers see every open ticket; a member sees those assigned to them or opened
by them (a request for all of them says so). ``我创建的`` keeps the speaker's own, a status
word (处理中, 等待客户, ...) keeps that status, and a number is the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from bot.dispatch.args import page_arg
from bot.tickets.listing import sla_words
from bot.tickets.wording import NOBODY, STATUS_WORDS, headline
from models.crm.customers import Customer
from models.tenants import Employee
from models.tickets import OPEN_STATUSES, Ticket, TicketStatus

PAGE_SIZE = 10
EVERYTHING_WORDS = frozenset({"所有", "全部", "所有的", "全部的"})
CREATED_WORDS = frozenset({"我创建的", "我建的", "我开的", "我提的", "我创建", "我建"})
STATUS_BY_WORD = {
    "新建": TicketStatus.NEW,
    "待派单": TicketStatus.NEW,
    "已派单": TicketStatus.ASSIGNED,
    "待接单": TicketStatus.ASSIGNED,
    "处理中": TicketStatus.IN_PROGRESS,
    "等待客户": TicketStatus.PENDING_CUSTOMER,
    "等客户": TicketStatus.PENDING_CUSTOMER,
}


class ListRequestError(ValueError):
    """A word in the request that is no scope, status or page."""


@dataclass(frozen=True, slots=True)
class ListRequest:
    page: int = 1
    everything: bool = False  # asked for all tickets, not just the default view
    created_by_me: bool = False
    status: TicketStatus | None = None

    def words(self) -> str:
        """The request as typed again, without the page (for the next page's hint)."""
        parts = ["所有"] if self.everything else []
        parts += ["我创建的"] if self.created_by_me else []
        parts += [STATUS_WORDS[self.status]] if self.status else []
        return " ".join(parts)


def parse_request(args: str) -> ListRequest:
    page, everything, created, status = 1, False, False, None
    for word in args.replace("页", " ").replace("第", " ").split():
        if (number := page_arg(word)) is not None:  # 2, or 二 of 第二页
            page = number
        elif word in EVERYTHING_WORDS:
            everything = True
        elif word in CREATED_WORDS:
            created = True
        elif word.removesuffix("的") in STATUS_BY_WORD:
            status = STATUS_BY_WORD[word.removesuffix("的")]
        else:
            raise ListRequestError(word)
    return ListRequest(page, everything, created, status)


def open_tickets(
    tenant_id: int, request: ListRequest, employee_id: int, sees_all: bool
) -> QuerySet[Ticket]:
    statuses = [request.status] if request.status else list(OPEN_STATUSES)
    query = Ticket.filter(tenant_id=tenant_id, status__in=statuses)
    if request.created_by_me:
        return query.filter(creator_id=employee_id)
    if sees_all:
        return query
    return query.filter(Q(assignee_id=employee_id) | Q(creator_id=employee_id))


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Ticket]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


async def read_page(query: QuerySet[Ticket], page: int) -> Page:
    total = await query.count()
    offset = (page - 1) * PAGE_SIZE
    rows = await query.order_by("resolution_due_at", "id").offset(offset).limit(PAGE_SIZE)
    return Page(list(rows), total, page)


async def render_rows(rows: list[Ticket], tz: ZoneInfo, now: datetime) -> list[str]:
    """One line per ticket: number, title, customer, assignee, status and the SLA due."""
    customer_ids = [t.customer_id for t in rows if t.customer_id]
    assignee_ids = [t.assignee_id for t in rows if t.assignee_id]
    customers = {c.id: c.display_name for c in await Customer.filter(id__in=customer_ids)}
    people = {e.id: e.name or e.userid for e in await Employee.filter(id__in=assignee_ids)}
    return [
        f"{headline(t)} · 客户：{customers.get(t.customer_id or 0, '内部')} · "
        f"负责人：{people.get(t.assignee_id or 0, NOBODY)} · {STATUS_WORDS[t.status]} · "
        f"{sla_words(t, tz, now)}"
        for t in rows
    ]
