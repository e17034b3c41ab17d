"""The ticket state machine: which action each status allows, and one function per action
that checks it, applies it (SLA clocks included) and writes the history line.

    new ──派单──▶ assigned ──接单/处理中──▶ in_progress ◀──▶ pending_customer
     └─────────────── 解决 ──▶ resolved ──关闭──▶ closed
    resolved / closed ──重开──▶ in_progress (or new when nobody is assigned)

Every open status may be (re)assigned, resolved or closed. ``allowed`` and ``target`` are
pure; the transition functions change the row and leave saving the reply to the handler.
"""

from __future__ import annotations

from enum import StrEnum

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.tickets import sla
from bot.tickets.hooks import hooks_of
from bot.tickets.store import add_comment, label, record, ticket_settings, working_time
from bot.tickets.wording import STATUS_WORDS
from models.tenants import Employee
from models.tickets import Ticket
from models.tickets import TicketStatus as S


class Action(StrEnum):
    ASSIGN = "assign"
    ACCEPT = "accept"
    START = "start"
    WAIT = "wait"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


ACTION_WORDS = {
    Action.ASSIGN: "派单",
    Action.ACCEPT: "接单",
    Action.START: "处理中",
    Action.WAIT: "等待客户",
    Action.RESOLVE: "解决",
    Action.CLOSE: "关闭",
    Action.REOPEN: "重开",
}
_ASSIGN, _START, _WAIT = Action.ASSIGN, Action.START, Action.WAIT
_RESOLVE, _CLOSE = Action.RESOLVE, Action.CLOSE
TRANSITIONS: dict[S, dict[Action, S]] = {
    S.NEW: {_ASSIGN: S.ASSIGNED, _START: S.IN_PROGRESS, _RESOLVE: S.RESOLVED, _CLOSE: S.CLOSED},
    S.ASSIGNED: {
        _ASSIGN: S.ASSIGNED,
        Action.ACCEPT: S.IN_PROGRESS,
        _START: S.IN_PROGRESS,
        _WAIT: S.PENDING_CUSTOMER,
        _RESOLVE: S.RESOLVED,
        _CLOSE: S.CLOSED,
    },
    S.IN_PROGRESS: {
        _ASSIGN: S.ASSIGNED,
        _WAIT: S.PENDING_CUSTOMER,
        _RESOLVE: S.RESOLVED,
        _CLOSE: S.CLOSED,
    },
    S.PENDING_CUSTOMER: {
        _ASSIGN: S.ASSIGNED,
        _START: S.IN_PROGRESS,
        _RESOLVE: S.RESOLVED,
        _CLOSE: S.CLOSED,
    },
    S.RESOLVED: {_CLOSE: S.CLOSED, Action.REOPEN: S.IN_PROGRESS},
    S.CLOSED: {Action.REOPEN: S.IN_PROGRESS},
}
ILLEGAL = "工单 {number} 当前状态：{status}，可以：{possible}"
NOTHING_POSSIBLE = "无"


def allowed(status: S) -> list[Action]:
    """What people may do in ``status``, in the order they are offered (接单 is a button)."""
    return [action for action in TRANSITIONS[status] if action is not Action.ACCEPT]


def target(status: S, action: Action) -> S | None:
    return TRANSITIONS[status].get(action)


def check(ticket: Ticket, action: Action) -> S:
    """The status ``action`` leads to; a UserFacingError naming what is possible instead."""
    found = target(ticket.status, action)
    if found is None:
        possible = "、".join(ACTION_WORDS[a] for a in allowed(ticket.status)) or NOTHING_POSSIBLE
        raise UserFacingError(
            ILLEGAL.format(
                number=ticket.number,
                status=STATUS_WORDS[ticket.status],
                possible=possible,
            )
        )
    return found


async def _move(
    ctx: Context,
    ticket: Ticket,
    action: Action,
    detail: str = "",
    to_status: S | None = None,
    history: str = "",
) -> None:
    """Check, set the status (resuming a paused clock on the way out of waiting), save, record."""
    to_status = to_status or check(ticket, action)
    now = ctx.clock.now()
    was = ticket.status
    if was is S.PENDING_CUSTOMER and to_status is not S.PENDING_CUSTOMER:
        sla.resume(ticket, now, working_time(ctx))
    ticket.status = to_status
    ticket.updated_at = now
    await ticket.save()
    await record(ticket, ctx.employee, history or action.value, now, from_status=was, detail=detail)


async def assign(
    ctx: Context, ticket: Ticket, assignee: Employee, *, action: str = "assign", detail: str = ""
) -> None:
    """派单 (or 转派, ``action="transfer"``): the new assignee has to accept it."""
    check(ticket, Action.ASSIGN)
    ticket.assignee_id = assignee.id
    detail = detail or f"派给 {label(assignee)}"
    await _move(ctx, ticket, Action.ASSIGN, detail, history=action)


async def accept(ctx: Context, ticket: Ticket) -> None:
    await _move(ctx, ticket, Action.ACCEPT)


async def start(ctx: Context, ticket: Ticket) -> None:
    """处理中; on an unassigned ticket the speaker takes it."""
    check(ticket, Action.START)
    if ticket.assignee_id is None and ctx.employee is not None:
        ticket.assignee_id = ctx.employee.id
    await _move(ctx, ticket, Action.START)


async def wait_for_customer(ctx: Context, ticket: Ticket) -> None:
    check(ticket, Action.WAIT)
    sla.pause(ticket, ctx.clock.now())
    await _move(ctx, ticket, Action.WAIT)


async def resolve(ctx: Context, ticket: Ticket, solution: str) -> None:
    """解决: the solution goes to the customer-visible thread (a first reply if none came
    before), the resolution clock stops, then the ``on_resolved`` hook runs (surveys)."""
    check(ticket, Action.RESOLVE)
    now = ctx.clock.now()
    working = working_time(ctx)
    if solution:
        await add_comment(ticket, ctx.employee, solution, now, internal=False)
        sla.record_response(ticket, now, working)
    sla.record_resolution(ticket, now, working)
    await _move(ctx, ticket, Action.RESOLVE, solution)
    for hooks in hooks_of(ctx):
        await hooks.on_resolved(ctx, ticket)


async def close(ctx: Context, ticket: Ticket) -> None:
    check(ticket, Action.CLOSE)
    ticket.closed_at = ctx.clock.now()
    await _move(ctx, ticket, Action.CLOSE)


async def reopen(ctx: Context, ticket: Ticket, reason: str) -> None:
    """重开: back to work (to 待派单 when nobody is assigned) with a fresh resolution target;
    then the ``on_reopened`` hook runs (surveys cancel an unanswered one)."""
    check(ticket, Action.REOPEN)
    now = ctx.clock.now()
    ticket.resolved_at = None
    ticket.closed_at = None
    sla.restart_resolution(ticket, now, ticket_settings(ctx), working_time(ctx))
    back_to = S.IN_PROGRESS if ticket.assignee_id is not None else S.NEW
    await _move(ctx, ticket, Action.REOPEN, reason, back_to)
    for hooks in hooks_of(ctx):
        await hooks.on_reopened(ctx, ticket)
