"""The dispatch card an assignee gets: a button_interaction template card with 接单 / 转派.
Button keys carry the ticket id: ``ticket:<action>:<id>``."""

from __future__ import annotations

from typing import Any

from bot import card_keys
from bot.dispatch.types import Reply, ReplyKind
from bot.tenants import TenantInfo
from bot.tickets.wording import PRIORITY_WORDS, time_words
from models.tickets import Ticket

KEY_PREFIX = "ticket"
ACCEPT, TRANSFER = "accept", "transfer"
BUTTONS = ((ACCEPT, "接单", 1), (TRANSFER, "转派", 2))
SOURCE = "工单派单"
TITLE = "新工单 {number}"
DESC = "{priority} · {title}"
DETAILS = "客户：{customer}\n首次响应截止：{due}\n派单人：{by}"


def button_key(action: str, ticket_id: int) -> str:
    return card_keys.button_key(KEY_PREFIX, action, ticket_id)


def parse_key(key: str) -> tuple[str, int] | None:
    return card_keys.parse_button_key(key, KEY_PREFIX, (ACCEPT, TRANSFER))


def dispatch_card(
    ticket: Ticket, tenant: TenantInfo, customer: str, by: str, task_id: str
) -> Reply:
    details = DETAILS.format(
        customer=customer, due=time_words(ticket.response_due_at, tenant.timezone), by=by
    )
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {
            "title": TITLE.format(number=ticket.number),
            "desc": DESC.format(priority=PRIORITY_WORDS[ticket.priority], title=ticket.title),
        },
        "sub_title_text": details,
        "task_id": task_id,
        "button_list": [
            {"text": text, "style": style, "key": button_key(action, ticket.id)}
            for action, text, style in BUTTONS
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
