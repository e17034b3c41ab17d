"""Keys of template-card buttons: ``<kind>:<action>:<record id>``, so a click names what it acts
on without any state kept between the card and the click (work orders, sales orders, purchase
orders); and the 确认 / 作废 card a draft is confirmed with."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from bot.dispatch.types import Reply, ReplyKind

CONFIRM, DROP = "confirm", "drop"
_CONFIRM_BUTTONS = ((CONFIRM, "确认", 1), (DROP, "作废", 2))


def button_key(kind: str, action: str, record_id: int) -> str:
    return f"{kind}:{action}:{record_id}"


def parse_button_key(key: str, kind: str, actions: Container[str]) -> tuple[str, int] | None:
    """(action, record id) of a key of this kind with a known action; None for anything else
    (a forged or stale key is ignored, never an error)."""
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != kind or parts[1] not in actions:
        return None
    return (parts[1], int(parts[2])) if parts[2].isdigit() else None


def confirm_card(
    kind: str, record_id: int, *, source: str, title: str, desc: str, body: str, task_id: str
) -> Reply:
    """A button_interaction template card with 确认 / 作废 for a draft (an order, a purchase)."""
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": source},
        "main_title": {"title": title, "desc": desc},
        "sub_title_text": body,
        "task_id": task_id,
        "button_list": [
            {"text": text, "style": style, "key": button_key(kind, action, record_id)}
            for action, text, style in _CONFIRM_BUTTONS
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
