"""The group bot's (智能机器人) JSON: the encrypted envelope, decrypted callbacks -> ``Update``,
and the passive reply.

Docs 101033 (crypto: the app callback's scheme with JSON around it and an empty receive id),
100719 (messages: text, mixed, image, voice, file, quotes; stream refreshes), 101031 (passive
replies: a user message is answered with a ``stream`` whose ``finish`` is true, its content
markdown) and 101138 (``response_url``: one markdown POST within an hour).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from bot.dispatch.types import Channel, ChatType, Update
from bot.wecom.crypto import CallbackCrypto, CallbackRejected

# Outbox recipients of group-bot replies start with this; a WeCom userid never has a colon.
REPLY_KEY_PREFIX = "aibot:"
MAX_KEY_LENGTH = 250
MAX_USERID_LENGTH = 64  # WeCom's limit for a member's userid, and the employee column's
# WeCom puts a regular or a four-per-em space (U+2005) after a mention.
_SPACE = r"[\s\u2005]"
_LEADING_MENTION = re.compile(rf"^{_SPACE}*@[^\s\u2005@]+{_SPACE}*")


def extract_json_encrypt(body: str) -> str:
    """The ciphertext of the outer ``{"encrypt": "..."}`` envelope."""
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise CallbackRejected(400, "body is not JSON") from exc
    encrypted = envelope.get("encrypt") if isinstance(envelope, dict) else None
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackRejected(400, "envelope has no encrypt text")
    return encrypted


def seal_json(crypto: CallbackCrypto, plaintext: str, timestamp: str) -> dict[str, str]:
    """An encrypted JSON reply as WeCom's JSON crypto library writes it (``msgsignature``)."""
    sealed = crypto.seal(plaintext, timestamp)
    return {
        "encrypt": sealed["encrypt"],
        "msgsignature": sealed["msg_signature"],
        "timestamp": sealed["timestamp"],
        "nonce": sealed["nonce"],
    }


def open_json(crypto: CallbackCrypto, sealed: Mapping[str, Any]) -> str:
    """The plaintext of a sealed JSON reply, after its signature is checked."""
    try:
        parts = [str(sealed[name]) for name in ("msgsignature", "timestamp", "nonce", "encrypt")]
    except KeyError as exc:
        raise CallbackRejected(400, f"sealed reply lacks {exc.args[0]}") from exc
    crypto.verify(*parts)
    return crypto.decrypt(parts[3])


def strip_mention(text: str, bot_name: str, chat_type: ChatType) -> str:
    """The command without the bot's @mention: ``@name`` wherever it appears when the name is
    known; otherwise the first @mention of a group message (the one that woke the bot)."""
    if bot_name:
        text = re.sub(rf"@{re.escape(bot_name)}(?:{_SPACE}+|$)", " ", text)
    elif chat_type is ChatType.GROUP:
        text = _LEADING_MENTION.sub("", text, count=1)
    return re.sub(rf"{_SPACE}+", " ", text).strip()


def _object(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CallbackRejected(400, f"{name} is not an object")
    return value


def _string(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise CallbackRejected(400, f"{name} is not a string")
    return value


def message_text(message: Mapping[str, Any]) -> str:
    """What a message says in words: text, the text parts of a mixed message, or a voice
    message's transcript. Images and files say nothing."""
    msgtype = _string(message, "msgtype")
    if msgtype in ("text", "voice"):
        return _string(_object(message, msgtype), "content")
    if msgtype == "mixed":
        items = _object(message, "mixed").get("msg_item", [])
        if not isinstance(items, list):
            raise CallbackRejected(400, "mixed.msg_item is not a list")
        texts = [message_text(item) for item in items if isinstance(item, Mapping)]
        return " ".join(text for text in texts if text)
    return ""


def _update_key(msgid: str, plain: str) -> str:
    key = f"{REPLY_KEY_PREFIX}{msgid}" if msgid else ""
    if not key or len(key) > MAX_KEY_LENGTH:
        digest = hashlib.sha256((msgid or plain).encode()).hexdigest()
        key = f"{REPLY_KEY_PREFIX}h{digest}"
    return key


def _created_at(data: Mapping[str, Any], now: datetime) -> datetime:
    created = data.get("create_time")
    # Not every callback carries create_time; a value no clock can hold is ignored too.
    if isinstance(created, int) and not isinstance(created, bool) and 0 < created < 2**33:
        return datetime.fromtimestamp(created, UTC)
    return now


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CallbackRejected(400, f"{what} is not JSON") from exc
    if not isinstance(data, dict):
        raise CallbackRejected(400, f"{what} is not a JSON object")
    try:
        # JSON may spell a lone surrogate ("\\ud800"): text no UTF-8 column can store.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CallbackRejected(400, f"{what} holds text that is not Unicode") from exc
    return data


def parse_aibot_callback(
    plain: str, tenant_key: str, bot_name: str, now: datetime
) -> Update | None:
    """The ``Update`` of one decrypted callback; None for a stream refresh, which only asks
    for more of a streamed answer (every answer here is finished in its first reply)."""
    data = _json_object(plain, "decrypted callback")
    msgtype = _string(data, "msgtype")
    if msgtype == "stream":
        return None
    if not msgtype:
        raise CallbackRejected(400, "callback has no msgtype")
    user_id = _string(_object(data, "from"), "userid")
    if not user_id:
        raise CallbackRejected(400, "callback has no from.userid")
    if len(user_id) > MAX_USERID_LENGTH:
        raise CallbackRejected(400, f"from.userid of {len(user_id)} characters")
    chat_type = ChatType.GROUP if data.get("chattype") == "group" else ChatType.SINGLE
    fields = _fields(data, _update_key(_string(data, "msgid"), plain))
    event = _string(_object(data, "event"), "eventtype") if msgtype == "event" else ""
    return Update(
        tenant_key=tenant_key,
        channel=Channel.AIBOT,
        key=fields["reply_to"],
        msg_type=msgtype,
        created_at=_created_at(data, now),
        user_id=user_id,
        text=strip_mention(fields["raw_text"], bot_name, chat_type),
        event=event or None,
        chat_type=chat_type,
        chat_id=_string(data, "chatid") or None,
        fields=MappingProxyType(fields),
    )


def _fields(data: Mapping[str, Any], key: str) -> dict[str, str]:
    """What the update keeps besides its core values. Replies are addressed to the update's
    key (``reply_to``); the outbox finds the long ``response_url`` through it."""
    quote = _object(data, "quote")
    return {
        "reply_to": key,
        "response_url": _string(data, "response_url"),
        "aibotid": _string(data, "aibotid"),
        "quote": message_text(quote) if quote else "",
        "raw_text": message_text(data),
    }


def passive_reply(content: str, stream_id: str | None = None) -> dict[str, Any]:
    """The plaintext answer to a message: one finished stream holding the answer (markdown)."""
    return {
        "msgtype": "stream",
        "stream": {"id": stream_id or secrets.token_hex(8), "finish": True, "content": content},
    }
