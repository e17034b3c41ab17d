"""The purchase confirm card's buttons (确认 / 作废): the same as answering 「确认」 or
「取消」 right after the purchase order was written."""

from __future__ import annotations

from bot.card_keys import CONFIRM
from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.state import load_conversation
from bot.erp import cards
from handlers.erp.purchases import PurchaseStep, confirm_draft, drop_draft
from models.erp import PurchaseOrder

router = Router(__name__, title="进销存", module="erp")

GONE = "这个采购单已不存在。"
NOT_YOURS = "采购单 {number} 是同事下的，请下单人或管理员确认。"
CONFIRMED_BUTTON, DROPPED_BUTTON = "已确认", "已作废"


def is_purchase_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


@router.event("template_card_event", filters=[is_purchase_button])
async def press_purchase_button(ctx: Context) -> str:
    parsed = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, order_id = parsed
    order = await PurchaseOrder.get_or_none(tenant_id=ctx.tenant.id, id=order_id)
    if order is None:
        return GONE
    mine = ctx.employee is not None and ctx.employee.id == order.created_by_id
    if not (mine or ctx.is_admin):
        return NOT_YOURS.format(number=order.number)
    await _end_the_question(ctx, order)
    if action == CONFIRM:
        answer = await confirm_draft(ctx, order)
        mark_clicked(ctx, CONFIRMED_BUTTON)
        return answer
    mark_clicked(ctx, DROPPED_BUTTON)
    return await drop_draft(ctx, order)


async def _end_the_question(ctx: Context, order: PurchaseOrder) -> None:
    assert ctx.update.user_id is not None
    conversation = await load_conversation(ctx.tenant.id, ctx.update.user_id, ctx.clock)
    if (
        conversation.state == PurchaseStep.CONFIRM
        and conversation.data.get("purchase_id") == order.id
    ):
        await conversation.clear()
