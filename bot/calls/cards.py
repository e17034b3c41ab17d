"""The missed-call card the callback's owner gets: 回拨 (the number to tap, then how it went
completes the callback) and, for a number no customer has, 新建客户. Button keys carry the
ids: ``call:callback:<follow-up id>``, ``call:customer:<call id>``, and the screen pop's
``call:profile:<call id>`` (``bot.calls.popcard``)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from bot import card_keys
from bot.calls.numbers import spaced
from bot.dispatch.types import Reply, ReplyKind
from models.calls import CallRecord
from models.crm.customers import Customer
from models.followups import Followup

KEY_PREFIX = "call"
CALL_BACK, NEW_CUSTOMER, PROFILE = "callback", "customer", "profile"
SOURCE = "未接来电"
TITLE = "未接来电 {number}"
DESC_KNOWN = "{name} · {when} · 回拨 #{seq}"
DESC_UNKNOWN = "未知号码 · {when} · 回拨 #{seq}"


def parse_key(key: str) -> tuple[str, int] | None:
    return card_keys.parse_button_key(key, KEY_PREFIX, (CALL_BACK, NEW_CUSTOMER, PROFILE))


def missed_card(
    call: CallRecord, customer: Customer | None, followup: Followup, tz: tzinfo
) -> Reply:
    when = call.started_at.astimezone(tz).strftime("%H:%M")
    if customer is not None:
        desc = DESC_KNOWN.format(name=customer.display_name, when=when, seq=followup.number)
    else:
        desc = DESC_UNKNOWN.format(when=when, seq=followup.number)
    buttons = [("回拨", card_keys.button_key(KEY_PREFIX, CALL_BACK, followup.id), 1)]
    if customer is None:
        buttons.append(("新建客户", card_keys.button_key(KEY_PREFIX, NEW_CUSTOMER, call.id), 2))
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {"title": TITLE.format(number=spaced(call.number)), "desc": desc},
        "task_id": f"call-missed-{call.id}",
        "button_list": [{"text": t, "style": style, "key": key} for t, key, style in buttons],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card, channel="app")
