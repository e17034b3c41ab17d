"""The confirm card a salesperson gets with a new draft order: a button_interaction
template card with 确认 / 作废. Button keys carry the order id: ``order:<action>:<id>``."""

from __future__ import annotations

from bot import card_keys
from bot.dispatch.types import Reply
from bot.subscription.money import format_fen
from models.orders import Order

KEY_PREFIX = "order"
SOURCE = "订单确认"
TITLE = "订单 {number} 待确认"
DESC = "{customer} · 合计 {total}"


def button_key(action: str, order_id: int) -> str:
    return card_keys.button_key(KEY_PREFIX, action, order_id)


def confirm_card(order: Order, customer: str, plan: str, task_id: str) -> Reply:
    return card_keys.confirm_card(
        KEY_PREFIX,
        order.id,
        source=SOURCE,
        title=TITLE.format(number=order.number),
        desc=DESC.format(customer=customer, total=format_fen(order.total_fen)),
        body=plan,
        task_id=task_id,
    )
