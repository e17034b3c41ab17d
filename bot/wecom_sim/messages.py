"""What the simulated ``message/send`` checks in a message body, per msgtype.

Validators return ``None`` for an acceptable body or ``(errcode, errmsg)`` for what WeCom would
answer, so the API layer decides how errors are reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

Problem = tuple[int, str]
MediaCheck = Callable[[str], bool]
MessageValidator = Callable[[Any, MediaCheck], Problem | None]

MAX_TEXT_BYTES = 2048
MAX_NEWS_ARTICLES = 8
DEFAULT_DUPLICATE_INTERVAL = 1800
MAX_DUPLICATE_INTERVAL = 4 * 3600
TEMPLATE_CARD_TYPES = frozenset(
    {"text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction"}
)
INVALID_PARAMETER: Problem = (40058, "invalid parameter")


def _text_like(section: Any, _media: MediaCheck) -> Problem | None:
    content = section.get("content") if isinstance(section, Mapping) else None
    if not isinstance(content, str) or not content:
        return (44004, "empty content")
    # The limit is on UTF-8 bytes, so 683 Chinese characters are already too many.
    if len(content.encode("utf-8")) > MAX_TEXT_BYTES:
        return (45002, "content size out of limit")
    return None


def _media(section: Any, media_is_valid: MediaCheck) -> Problem | None:
    media_id = section.get("media_id") if isinstance(section, Mapping) else None
    if not isinstance(media_id, str) or not media_is_valid(media_id):
        return (40007, "invalid media_id")
    return None


def _text_card(section: Any, _media: MediaCheck) -> Problem | None:
    if not isinstance(section, Mapping):
        return INVALID_PARAMETER
    if not all(isinstance(section.get(f), str) and section.get(f) for f in ("title", "url")):
        return INVALID_PARAMETER
    if not isinstance(section.get("description"), str) or not section["description"]:
        return INVALID_PARAMETER
    return None


def _news(section: Any, _media: MediaCheck) -> Problem | None:
    articles = section.get("articles") if isinstance(section, Mapping) else None
    if not isinstance(articles, list) or not articles:
        return INVALID_PARAMETER
    if len(articles) > MAX_NEWS_ARTICLES:
        return (45008, "article size out of limit")
    if not all(isinstance(a, Mapping) and a.get("title") for a in articles):
        return INVALID_PARAMETER
    return None


def _template_card(section: Any, _media: MediaCheck) -> Problem | None:
    card_type = section.get("card_type") if isinstance(section, Mapping) else None
    return None if card_type in TEMPLATE_CARD_TYPES else INVALID_PARAMETER


MESSAGE_VALIDATORS: Mapping[str, MessageValidator] = {
    "text": _text_like,
    "markdown": _text_like,
    "textcard": _text_card,
    "news": _news,
    "image": _media,
    "voice": _media,
    "video": _media,
    "file": _media,
    "template_card": _template_card,
}


def recipients_of(body: Mapping[str, Any]) -> list[str]:
    """Members named in ``touser`` ("a|b|c"); "@all" counts as one recipient."""
    touser = body.get("touser")
    if not isinstance(touser, str):
        return []
    return list(dict.fromkeys(user.strip() for user in touser.split("|") if user.strip()))


def message_key(body: Mapping[str, Any]) -> str:
    """What makes two messages "the same" for WeCom's duplicate check."""
    msgtype = body.get("msgtype")
    fields = {f: body.get(f) for f in ("touser", "toparty", "totag", "msgtype")}
    fields["content"] = body.get(str(msgtype))
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)


def duplicate_interval(body: Mapping[str, Any]) -> timedelta:
    raw = body.get("duplicate_check_interval", DEFAULT_DUPLICATE_INTERVAL)
    try:
        seconds = int(raw)
    except (TypeError, ValueError):
        seconds = DEFAULT_DUPLICATE_INTERVAL
    # WeCom caps the interval at four hours.
    return timedelta(seconds=min(max(seconds, 1), MAX_DUPLICATE_INTERVAL))
