"""The purchase confirm card's buttons (确认 / 作废) from template_card_event
(``bot.draft_buttons``)."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.draft_buttons import DraftButtons
from bot.erp import cards
from handlers.erp.purchases import PurchaseStep, confirm_draft, drop_draft
from models.erp import PurchaseOrder

router = Router(__name__, title="进销存", module="erp")

GONE = "这个采购单已不存在。"
NOT_YOURS = "采购单 {number} 是同事下的，请下单人或管理员确认。"


async def _load(tenant_id: int, order_id: int) -> PurchaseOrder | None:
    return await PurchaseOrder.get_or_none(tenant_id=tenant_id, id=order_id)


BUTTONS = DraftButtons(
    kind=cards.KEY_PREFIX,
    load=_load,
    author_of=lambda order: order.created_by_id,
    step=PurchaseStep.CONFIRM,
    data_key="purchase_id",
    gone=GONE,
    not_yours=NOT_YOURS,
    confirm=confirm_draft,
    drop=drop_draft,
)


@router.event("template_card_event", filters=[BUTTONS.is_pressed])
async def press_purchase_button(ctx: Context) -> str:
    return await BUTTONS.press(ctx)
