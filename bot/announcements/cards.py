"""The announcement card: title, body and a 知道了 button whose click is the read receipt.
Its key carries the announcement id: ``announcement:ack:<id>`` (bot.card_keys)."""

from __future__ import annotations

import re
from typing import Any

from bot import card_keys
from bot.dispatch.types import Reply, ReplyKind
from models.announcements import Announcement

KEY_PREFIX = "announcement"
ACK = "ack"
SOURCE = "服务商公告"
ACK_TEXT = "知道了"
# WeCom shows at most this much of each field; longer text is cut by us, not mid-character
# by the client.
TITLE_LIMIT = 36
BODY_LIMIT = 112
# Control characters would break the card's JSON rendering on some clients, and a bare
# newline run would push the button off screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{2,}")


def card_text(text: str, limit: int) -> str:
    """User text made safe for a card field: no control characters, clipped to ``limit``."""
    clean = _BLANK_LINES.sub("\n", _CONTROL.sub("", text)).strip()
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def parse_key(key: str) -> int | None:
    parsed = card_keys.parse_button_key(key, KEY_PREFIX, (ACK,))
    return parsed[1] if parsed is not None else None


def announcement_card(announcement: Announcement, task_id: str) -> Reply:
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {
            "title": card_text(announcement.title, TITLE_LIMIT),
            "desc": f"公告 #{announcement.id}",
        },
        "sub_title_text": card_text(announcement.body, BODY_LIMIT),
        "task_id": task_id,
        "button_list": [
            {
                "text": ACK_TEXT,
                "style": 1,
                "key": card_keys.button_key(KEY_PREFIX, ACK, announcement.id),
            }
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
