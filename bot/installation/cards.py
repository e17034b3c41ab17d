"""The card an installer gets with a job: a button_interaction template card with 接单 /
改约. Button keys carry the job id: ``install:<action>:<id>``."""

from __future__ import annotations

from typing import Any

from bot import card_keys
from bot.dispatch.types import Reply, ReplyKind
from models.installation import InstallJob

KEY_PREFIX = "install"
ACCEPT, MOVE = "accept", "move"
BUTTONS = ((ACCEPT, "接单", 1), (MOVE, "改约", 2))
SOURCE = "安装派工"
TITLE = "安装单 {number}"


def parse_key(key: str) -> tuple[str, int] | None:
    return card_keys.parse_button_key(key, KEY_PREFIX, (ACCEPT, MOVE))


def dispatch_card(job: InstallJob, what: str, details: str, task_id: str) -> Reply:
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {"title": TITLE.format(number=job.number), "desc": what},
        "sub_title_text": details,
        "task_id": task_id,
        "button_list": [
            {"text": text, "style": style, "key": card_keys.button_key(KEY_PREFIX, action, job.id)}
            for action, text, style in BUTTONS
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)
