"""The confirm card of a new purchase order: 确认 / 作废, keys ``purchase:<action>:<id>``."""

from __future__ import annotations

from bot import card_keys
from bot.dispatch.types import Reply
from bot.subscription.money import format_fen
from models.erp import PurchaseOrder

KEY_PREFIX = "purchase"
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
