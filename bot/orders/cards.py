"""The confirm card a salesperson gets with a new draft order: a button_interaction
template card with 确认 / 作废. Button keys carry the order id: ``order:<action>:<id>``."""

from __future__ import annotations

from typing import Any

from bot import card_keys
from bot.dispatch.types import Reply, ReplyKind
from bot.subscription.money import format_fen
from models.orders import Order

KEY_PREFIX = "order"
CONFIRM, DROP = "confirm", "drop"
BUTTONS = ((CONFIRM, "确认", 1), (DROP, "作废", 2))
SOURCE = "订单确认"
TITLE = "订单 {number} 待确认"
DESC = "{customer} · 合计 {total}"


def button_key(action: str, order_id: int) -> str:
    return card_keys.button_key(KEY_PREFIX, action, order_id)


def parse_key(key: str) -> tuple[str, int] | None:
    return card_keys.parse_button_key(key, KEY_PREFIX, (CONFIRM, DROP))


def confirm_card(order: Order, customer: str, plan: str, task_id: str) -> Reply:
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {
            "title": TITLE.format(number=order.number),
            "desc": DESC.format(customer=customer, total=format_fen(order.total_fen)),
        },
        "sub_title_text": plan,
        "task_id": task_id,
        "button_list": [
            {"text": text, "style": style, "key": button_key(action, order.id)}
            for action, text, style in BUTTONS
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
