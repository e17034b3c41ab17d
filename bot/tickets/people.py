"""Who may do what with a ticket, naming the colleague who takes it, and telling the people
involved."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.people.resolve import resolve_colleague
from bot.tickets.store import employee_of, label
from models.tenants import Employee, Role
from models.tickets import Ticket

NOT_YOURS = "工单 {number} 由 {assignee} 负责，只有负责人、创建人、派单员或管理员可以处理。"


def may_dispatch(ctx: Context) -> bool:
    return ctx.is_admin or (ctx.employee is not None and ctx.employee.role == Role.DISPATCHER)


async def ensure_may_work(ctx: Context, ticket: Ticket) -> None:
    """Anyone may pick up an unassigned ticket; afterwards its people, dispatchers and admins."""
    if ticket.assignee_id is None or may_dispatch(ctx):
        return
    me = ctx.employee.id if ctx.employee else None
    if me is not None and me in (ticket.assignee_id, ticket.creator_id):
        return
    assignee = await employee_of(ticket.tenant_id, ticket.assignee_id)
    raise UserFacingError(NOT_YOURS.format(number=ticket.number, assignee=label(assignee)))


async def find_colleague(ctx: Context, who: str) -> Employee:
    return await resolve_colleague(ctx, who, what="接工单")


async def tell_parties(ctx: Context, ticket: Ticket, text: str) -> None:
    """Tell the creator and the assignee about a change, except whoever made it."""
    me = ctx.employee.id if ctx.employee else None
    for employee_id in dict.fromkeys((ticket.creator_id, ticket.assignee_id)):
        if employee_id is None or employee_id == me:
            continue
        employee = await employee_of(ticket.tenant_id, employee_id)
        if employee is not None:
            ctx.send(employee.userid, text)
