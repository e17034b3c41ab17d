"""The confirm card's buttons (确认 / 作废) from template_card_event: the same as answering
「确认」 or 「取消」 right after the order was written."""

from __future__ import annotations

from bot.card_keys import CONFIRM
from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.state import load_conversation
from bot.orders import cards, moves
from bot.orders.access import today
from handlers.orders.create import DROPPED, OrderStep, confirm_draft
from models.orders import Order, OrderState

router = Router(__name__, title="订单", module="orders")

GONE = "这个订单已不存在。"
NOT_YOURS = "订单 {number} 是同事的，请负责人或管理员确认。"
CONFIRMED_BUTTON, DROPPED_BUTTON = "已确认", "已作废"


def is_order_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


@router.event("template_card_event", filters=[is_order_button])
async def press_order_button(ctx: Context) -> str:
    parsed = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, order_id = parsed
    order = await Order.get_or_none(tenant_id=ctx.tenant.id, id=order_id)
    if order is None:
        return GONE
    mine = ctx.employee is not None and ctx.employee.id == order.owner_id
    if not (mine or ctx.is_admin):
        return NOT_YOURS.format(number=order.number)
    await _end_the_question(ctx, order)
    if action == CONFIRM:
        answer = await confirm_draft(ctx, order)
        mark_clicked(ctx, CONFIRMED_BUTTON)
        return answer
    if order.state is OrderState.DRAFT:
        await moves.cancel(order, "下单时作废", ctx.clock.now(), today(ctx), ctx.employee)
    mark_clicked(ctx, DROPPED_BUTTON)
    return DROPPED.format(number=order.number)


async def _end_the_question(ctx: Context, order: Order) -> None:
    """The card answered what the chat asked (「确认」 or 「取消」): that question is over."""
    assert ctx.update.user_id is not None
    conversation = await load_conversation(ctx.tenant.id, ctx.update.user_id, ctx.clock)
    if conversation.state == OrderStep.CONFIRM and conversation.data.get("order_id") == order.id:
        await conversation.clear()
