"""The confirm card of a new purchase order: 确认 / 作废, keys ``purchase:<action>:<id>``."""

from __future__ import annotations

from typing import Any

from bot import card_keys
from bot.dispatch.types import Reply, ReplyKind
from bot.subscription.money import format_fen
from models.erp import PurchaseOrder

KEY_PREFIX = "purchase"
CONFIRM, DROP = "confirm", "drop"
BUTTONS = ((CONFIRM, "确认", 1), (DROP, "作废", 2))
SOURCE = "采购确认"
TITLE = "采购单 {number} 待确认"
DESC = "{supplier} · 合计 {total}"


def button_key(action: str, order_id: int) -> str:
    return card_keys.button_key(KEY_PREFIX, action, order_id)


def parse_key(key: str) -> tuple[str, int] | None:
    return card_keys.parse_button_key(key, KEY_PREFIX, (CONFIRM, DROP))


def confirm_card(order: PurchaseOrder, supplier: str, lines: str, task_id: str) -> Reply:
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {
            "title": TITLE.format(number=order.number),
            "desc": DESC.format(supplier=supplier, total=format_fen(order.total_fen)),
        },
        "sub_title_text": lines,
        "task_id": task_id,
        "button_list": [
            {"text": text, "style": style, "key": button_key(action, order.id)}
            for action, text, style in BUTTONS
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
