"""Ticket rows: opening one, comments, and the history every change writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.context import Context
from bot.tickets.hours import WorkingTime
from bot.tickets.numbers import format_number, next_seq
from bot.tickets.settings import TicketSettings
from bot.tickets.sla import start_clocks
from models.crm.customers import Customer
from models.tenants import Employee
from models.tickets import Ticket, TicketComment, TicketEvent, TicketPriority, TicketStatus

TITLE_LIMIT = 100
NUMBER_ATTEMPTS = 3
DETAIL_LIMIT = 500


@dataclass(frozen=True, slots=True)
class NewTicket:
    title: str
    description: str
    priority: TicketPriority = TicketPriority.NORMAL
    category: str = ""
    customer: Customer | None = None


def ticket_settings(ctx: Context) -> TicketSettings:
    settings = ctx.deps.get("settings")
    found = getattr(settings, "tickets", None)
    return found if isinstance(found, TicketSettings) else TicketSettings()


def working_time(ctx: Context) -> WorkingTime:
    return ticket_settings(ctx).working_time(ctx.tenant.timezone)


async def record(
    ticket: Ticket,
    actor: Employee | None,
    action: str,
    now: datetime,
    *,
    from_status: TicketStatus | None = None,
    detail: str = "",
) -> TicketEvent:
    return await TicketEvent.create(
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.id,
        actor_id=actor.id if actor else None,
        action=action,
        from_status=from_status.value if from_status else "",
        to_status=ticket.status.value,
        detail=detail[:DETAIL_LIMIT],
        created_at=now,
    )


async def open_ticket(ctx: Context, new: NewTicket) -> Ticket:
    """Save a new ticket under the day's next number. Two people opening tickets at the same
    moment may read the same next number; the loser's insert is refused by the unique index
    (inside a savepoint, so the handler's transaction lives on) and takes the one after."""
    for _ in range(NUMBER_ATTEMPTS - 1):
        try:
            return await _numbered(ctx, new)
        except IntegrityError:
            continue
    return await _numbered(ctx, new)


async def _numbered(ctx: Context, new: NewTicket) -> Ticket:
    async with in_transaction():
        ticket = await _insert(ctx, new)
    await record(ticket, ctx.employee, "create", ticket.created_at, detail=new.title)
    return ticket


async def _insert(ctx: Context, new: NewTicket) -> Ticket:
    now = ctx.clock.now()
    day = now.astimezone(ctx.tenant.timezone).date()
    seq = await next_seq(ctx.tenant.id, day)
    ticket = Ticket(
        tenant_id=ctx.tenant.id,
        number=format_number(day, seq),
        day=day,
        seq=seq,
        customer_id=new.customer.id if new.customer else None,
        title=new.title[:TITLE_LIMIT],
        description=new.description,
        priority=new.priority,
        category=new.category,
        creator_id=ctx.employee.id if ctx.employee else None,
        created_at=now,
        updated_at=now,
    )
    start_clocks(ticket, now, ticket_settings(ctx), working_time(ctx))
    await ticket.save()
    return ticket


async def add_comment(
    ticket: Ticket,
    author: Employee | None,
    text: str,
    now: datetime,
    *,
    internal: bool,
    attachments: list[str] | None = None,
) -> TicketComment:
    return await TicketComment.create(
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.id,
        author_id=author.id if author else None,
        internal=internal,
        text=text,
        attachments=attachments or [],
        created_at=now,
    )


async def employee_of(tenant_id: int, employee_id: int | None) -> Employee | None:
    if employee_id is None:
        return None
    return await Employee.get_or_none(tenant_id=tenant_id, id=employee_id)


def label(employee: Employee | None) -> str:
    if employee is None:
        return "无"
    return employee.name or employee.userid
