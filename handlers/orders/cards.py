"""The order confirm card's buttons (确认 / 作废) from template_card_event
(``bot.draft_buttons``)."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.draft_buttons import DraftButtons
from bot.orders import cards
from handlers.orders.create import DROPPED, OrderStep, cancel_and_tell, confirm_draft
from models.orders import Order, OrderState

router = Router(__name__, title="订单", module="orders")

GONE = "这个订单已不存在。"
NOT_YOURS = "订单 {number} 是同事的，请负责人或管理员确认。"


async def _load(tenant_id: int, order_id: int) -> Order | None:
    return await Order.get_or_none(tenant_id=tenant_id, id=order_id)


async def _drop(ctx: Context, order: Order) -> str:
    if order.state is OrderState.DRAFT:
        await cancel_and_tell(ctx, order, "下单时作废")
    return DROPPED.format(number=order.number)


BUTTONS = DraftButtons(
    kind=cards.KEY_PREFIX,
    load=_load,
    author_of=lambda order: order.owner_id,
    step=OrderStep.CONFIRM,
    data_key="order_id",
    gone=GONE,
    not_yours=NOT_YOURS,
    confirm=confirm_draft,
    drop=_drop,
)


@router.event("template_card_event", filters=[BUTTONS.is_pressed])
async def press_order_button(ctx: Context) -> str:
    return await BUTTONS.press(ctx)
