"""The cards of purchase orders: the author's 确认 / 作废 (keys ``purchase:<action>:<id>``)
and the admins' 批准 / 驳回 (``purchase-approval:<action>:<id>``)."""

from __future__ import annotations

from typing import Any

from bot import card_keys
from bot.dispatch.types import Reply, ReplyKind
from bot.subscription.money import format_fen
from models.erp import PurchaseOrder

KEY_PREFIX = "purchase"
APPROVAL_PREFIX = "purchase-approval"
APPROVE, REJECT = "approve", "reject"
APPROVAL_SOURCE = "采购审批"
APPROVAL_TITLE = "采购单 {number} 待审批"
SOURCE = "采购确认"
TITLE = "采购单 {number} 待确认"
DESC = "{supplier} · 合计 {total}"


def button_key(action: str, order_id: int) -> str:
    return card_keys.button_key(KEY_PREFIX, action, order_id)


def confirm_card(order: PurchaseOrder, supplier: str, lines: str, task_id: str) -> Reply:
    return card_keys.confirm_card(
        KEY_PREFIX,
        order.id,
        source=SOURCE,
        title=TITLE.format(number=order.number),
        desc=DESC.format(supplier=supplier, total=format_fen(order.total_fen)),
        body=lines,
        task_id=task_id,
    )


def approval_card(order: PurchaseOrder, supplier: str, lines: str, task_id: str) -> Reply:
    """批准 / 驳回 for the admins (app messages only: a group robot has no buttons)."""
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": APPROVAL_SOURCE},
        "main_title": {
            "title": APPROVAL_TITLE.format(number=order.number),
            "desc": DESC.format(supplier=supplier, total=format_fen(order.total_fen)),
        },
        "sub_title_text": lines,
        "task_id": task_id,
        "button_list": [
            {
                "text": text,
                "style": style,
                "key": card_keys.button_key(APPROVAL_PREFIX, a, order.id),
            }
            for a, text, style in ((APPROVE, "批准", 1), (REJECT, "驳回", 2))
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
