"""The dispatch card's buttons (接单 / 转派) from template_card_event, and 转派's question
"转给谁？" answered by the next message (or 「转派 0001 给 王五」 directly)."""

from __future__ import annotations

from enum import StrEnum

from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, StateIs
from bot.dispatch.router import Router
from bot.dispatch.state import load_conversation
from bot.tickets import cards, workflow
from bot.tickets.people import find_colleague, may_dispatch, tell_parties
from bot.tickets.store import employee_of, label
from handlers.tickets.create import hand_over
from models.tickets import Ticket

router = Router(__name__, title="工单", module="tickets")


class TransferStep(StrEnum):
    ASK_WHO = "ticket_transfer_who"


GONE = "这张工单已不存在。"
NOT_YOURS = "工单 {number} 现在由 {assignee} 负责，不用你处理了。"
ACCEPTED_BUTTON = "已接单"
ACCEPTED = "已接单：{number} {title}。处理完发送「解决 {tail} 解决办法」。"
TO_PARTIES = "工单 {number}「{title}」已由 {who} 接单。"
ASK_WHO = "要把工单 {number} 转给谁？回复同事的姓名或账号，回复「取消」放弃。"
CANCELLED = "好的，工单没有转派。"
TRANSFERRED = "已把工单 {number} 转派给 {assignee}，等待对方接单。"
TO_SELF = "工单 {number} 已经由 {assignee} 负责，请写另一位同事的姓名或账号。"


def is_ticket_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


def _mine_or_managed(ctx: Context, ticket: Ticket) -> bool:
    me = ctx.employee.id if ctx.employee else None
    return me is not None and me == ticket.assignee_id or may_dispatch(ctx)


async def refusal_for(ctx: Context, ticket: Ticket | None) -> str | None:
    if ticket is None:
        return GONE
    if _mine_or_managed(ctx, ticket):
        return None
    assignee = await employee_of(ticket.tenant_id, ticket.assignee_id)
    return NOT_YOURS.format(number=ticket.number, assignee=label(assignee))


@router.event("template_card_event", filters=[is_ticket_button])
async def press_button(ctx: Context) -> str:
    parsed = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, ticket_id = parsed
    ticket = await Ticket.get_or_none(tenant_id=ctx.tenant.id, id=ticket_id)
    refusal = await refusal_for(ctx, ticket)
    if refusal is not None or ticket is None:
        return refusal or GONE
    if action == cards.ACCEPT:
        return await _accept(ctx, ticket)
    workflow.check(ticket, workflow.Action.ASSIGN)
    assert ctx.update.user_id is not None
    conversation = await load_conversation(ctx.tenant.id, ctx.update.user_id, ctx.clock)
    await conversation.set(TransferStep.ASK_WHO, {"ticket_id": ticket.id})
    return ASK_WHO.format(number=ticket.number)


async def _accept(ctx: Context, ticket: Ticket) -> str:
    await workflow.accept(ctx, ticket)
    mark_clicked(ctx, ACCEPTED_BUTTON)  # the card's buttons grey out: nothing left to press
    text = TO_PARTIES.format(number=ticket.number, title=ticket.title, who=label(ctx.employee))
    await tell_parties(ctx, ticket, text)
    return ACCEPTED.format(number=ticket.number, title=ticket.title, tail=f"{ticket.seq:04d}")


@router.message(StateIs(TransferStep.ASK_WHO), Command("取消", "cancel"))
async def cancel_transfer(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(TransferStep.ASK_WHO))
async def answer_who(ctx: Context) -> str:
    assert ctx.conversation is not None
    ticket_id = int(ctx.conversation.data["ticket_id"])
    ticket = await Ticket.get_or_none(tenant_id=ctx.tenant.id, id=ticket_id)
    refusal = await refusal_for(ctx, ticket)
    if refusal is not None or ticket is None:
        await ctx.conversation.clear()
        return refusal or GONE
    answer = await transfer(ctx, ticket, ctx.update.text)
    await ctx.conversation.clear()
    return answer


async def transfer(ctx: Context, ticket: Ticket, who: str) -> str:
    assignee = await find_colleague(ctx, who.strip())
    if assignee.id == ticket.assignee_id:
        raise UserFacingError(TO_SELF.format(number=ticket.number, assignee=label(assignee)))
    previous = ticket.assignee_id
    await hand_over(ctx, ticket, assignee, "transfer")
    creator = ticket.creator_id
    if creator is not None and creator not in (previous, assignee.id):
        text = f"工单 {ticket.number}「{ticket.title}」已转派给 {label(assignee)}。"
        await _tell_employee(ctx, creator, text)
    return TRANSFERRED.format(number=ticket.number, assignee=label(assignee))


async def _tell_employee(ctx: Context, employee_id: int, text: str) -> None:
    employee = await employee_of(ctx.tenant.id, employee_id)
    if employee is not None and employee.id != (ctx.employee.id if ctx.employee else None):
        ctx.send(employee.userid, text)
