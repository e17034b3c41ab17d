"""The purchase cards' buttons from template_card_event: the author's 确认 / 作废
(``bot.draft_buttons``) and the admins' 批准 / 驳回."""

from __future__ import annotations

from bot.card_keys import parse_button_key
from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.draft_buttons import DraftButtons
from bot.erp import cards
from handlers.erp.purchases import PurchaseStep, confirm_draft, decide, drop_draft
from models.erp import PurchaseOrder

router = Router(__name__, title="进销存", module="erp")

GONE = "这个采购单已不存在。"
NOT_YOURS = "采购单 {number} 是同事下的，请下单人或管理员确认。"
ADMINS_ONLY = "只有管理员可以审批采购单。"
CLICKED = {cards.APPROVE: "已批准", cards.REJECT: "已驳回"}


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


def _approval_pressed(ctx: Context) -> tuple[str, int] | None:
    key = str(ctx.update.fields.get("EventKey", ""))
    return parse_button_key(key, cards.APPROVAL_PREFIX, (cards.APPROVE, cards.REJECT))


@router.event("template_card_event", filters=[lambda ctx: _approval_pressed(ctx) is not None])
async def press_approval_button(ctx: Context) -> str:
    pressed = _approval_pressed(ctx)
    assert pressed is not None, "routed here by the filter"
    action, order_id = pressed
    if not ctx.is_admin:
        return ADMINS_ONLY
    order = await _load(ctx.tenant.id, order_id)
    if order is None:
        return GONE
    answer = await decide(ctx, order, action == cards.APPROVE)
    mark_clicked(ctx, CLICKED[action])
    return answer
