"""Decrypted self-built-app callback XML -> ``Update``.

The XML is parsed once, by ``safexml`` (the xmltodict parse that
``wechatpy.enterprise.parse_message`` also does, behind our DTD guard), and mapped here rather
than parsed a second time by wechatpy. Values the two have in common match: MsgId and AgentID
as ints, location-event coordinates as floats, the same stripped strings. ``created_at`` is
UTC where wechatpy gives Asia/Shanghai: the same instant.

Each event family (``_FAMILIES``) says who the employee is, which fields tell two callbacks
apart for dedupe, and which repeated elements become lists.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from bot.dispatch.types import Channel, ChatType, Update
from bot.wecom.crypto import CallbackRejected
from bot.wecom.safexml import parse_xml

MAX_KEY_LENGTH = 250
_INTEGER = re.compile(r"[0-9]{1,20}")  # 20 digits hold any uint64 MsgId
_SYSTEM_SENDER = "sys"  # FromUserName of customer-contact and contact events: no employee
MAX_USERID_LENGTH = 64  # WeCom's limit for a member's userid, and the employee column's

Normaliser = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class _Family:
    """How one kind of event maps onto an ``Update``.

    ``user_field`` names the element holding the employee (None: the event concerns nobody in
    particular). ``key_fields`` follow Event and CreateTime in the dedupe key; they must be
    identical across WeCom's retries and differ between callbacks that really are different.
    """

    user_field: str | None = "FromUserName"
    key_fields: tuple[str, ...] = ("FromUserName", "EventKey")
    sender_required: bool = True
    group_chat: bool = False
    ints: frozenset[str] = frozenset()
    floats: frozenset[str] = frozenset()
    normalise: Normaliser | None = None


def _scalar(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CallbackRejected(400, f"<{name}> has child elements where text was expected")
    return value


def _text(body: Mapping[str, Any], name: str) -> str:
    return _scalar(body.get(name), name)


def _integer(text: str, name: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise CallbackRejected(400, f"<{name}> is not a non-negative integer: {text[:40]!r}")
    return int(text)


def _number(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # NaN would break JSON round-trips and equality
        raise CallbackRejected(400, f"<{name}> is not a number: {text[:40]!r}")
    return value


def _items(value: Any, tag: str) -> list[Any]:
    """The ``<tag>`` children of a container, always as a list (xmltodict's one-vs-many quirk)."""
    if value is None:
        return []
    if isinstance(value, str):
        # A bare string is one item rather than an error: dropping the whole callback over the
        # shape of a list loses more than it protects.
        return [value]
    if not isinstance(value, dict):
        raise CallbackRejected(400, f"<{tag}> container is repeated")
    inner = value.get(tag)
    if inner is None:
        return []
    return inner if isinstance(inner, list) else [inner]


def _plain(value: Any) -> Any:
    """xmltodict output made JSON-ready: empty elements become ""."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _member_list(body: dict[str, Any]) -> None:
    body["MemChangeList"] = [
        _scalar(item, "Item") for item in _items(body.get("MemChangeList"), "Item")
    ]


def _selected_items(body: dict[str, Any]) -> None:
    selected = []
    for item in _items(body.get("SelectedItems"), "SelectedItem"):
        if not isinstance(item, dict):
            raise CallbackRejected(400, "<SelectedItem> has no children")
        options = _items(item.get("OptionIds"), "OptionId")
        selected.append(
            {
                "QuestionKey": _scalar(item.get("QuestionKey"), "QuestionKey"),
                "OptionIds": [_scalar(option, "OptionId") for option in options],
            }
        )
    body["SelectedItems"] = selected


def _ext_attr(body: dict[str, Any]) -> None:
    if "ExtAttr" in body:
        body["ExtAttr"] = _items(body["ExtAttr"], "Item")


def _pictures(body: dict[str, Any]) -> None:
    info = body.get("SendPicsInfo")
    if isinstance(info, dict):
        body["SendPicsInfo"] = {**info, "PicList": _items(info.get("PicList"), "item")}


_TEMPLATE_CARD = _Family(
    key_fields=("FromUserName", "TaskId", "EventKey"), normalise=_selected_items
)
_PICTURES = _Family(normalise=_pictures)
_CONTACT_KEY = ("ChangeType", "UserID", "NewUserID", "Id", "TagId")
_TAG_MEMBERS = ("AddUserItems", "DelUserItems", "AddPartyItems", "DelPartyItems")
_ORDINARY = _Family()

_FAMILIES: Mapping[str, _Family] = MappingProxyType(
    {
        # Customer-contact events come from "sys": the employee is UserID, and retries are told
        # apart from new callbacks by who, which customer or group, and what changed.
        "change_external_contact": _Family(
            user_field="UserID", key_fields=("ChangeType", "UserID", "ExternalUserID")
        ),
        "change_external_chat": _Family(
            user_field=None,
            key_fields=("ChangeType", "ChatId", "UpdateDetail", "MemChangeList"),
            group_chat=True,
            ints=frozenset({"JoinScene", "QuitScene", "MemChangeCnt"}),
            normalise=_member_list,
        ),
        "change_external_tag": _Family(
            user_field=None, key_fields=("ChangeType", "Id", "TagType", "StrategyId")
        ),
        # A batch import fires many change_contact events in the same second from "sys".
        "change_contact": _Family(
            user_field="UserID", key_fields=_CONTACT_KEY + _TAG_MEMBERS, normalise=_ext_attr
        ),
        "template_card_event": _TEMPLATE_CARD,
        "template_card_menu_event": _TEMPLATE_CARD,
        # 微信客服 notifications carry no FromUserName at all (doc 94670); the Token is unique.
        "kf_msg_or_event": _Family(user_field=None, key_fields=("Token",), sender_required=False),
        "batch_job_result": _Family(user_field=None, key_fields=("BatchJob",)),
        "location": _Family(floats=frozenset({"Latitude", "Longitude", "Precision"})),
        "pic_sysphoto": _PICTURES,
        "pic_photo_or_album": _PICTURES,
        "pic_weixin": _PICTURES,
    }
)


def _key_part(value: Any) -> str:
    if value in (None, "", [], {}):  # absent, empty element, empty list: all "nothing here"
        return ""
    text = (
        value
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    )
    # Escaping the separator keeps ("a:b", "c") and ("a", "b:c") apart.
    return text.replace("%", "%25").replace(":", "%3A")


def dedupe_key(prefix: str, *parts: Any) -> str:
    """``prefix:part:part...`` with empty trailing parts dropped, at most MAX_KEY_LENGTH long.

    An over-long key keeps its head readable and replaces the rest by the rest's sha1, so keys
    stay distinct and stay identical across retries.
    """
    key = ":".join([prefix, *(_key_part(part) for part in parts)]).rstrip(":")
    if len(key) <= MAX_KEY_LENGTH:
        return key
    head = key[: MAX_KEY_LENGTH - 41]  # room for "#" and a 40-digit sha1
    return f"{head}#{hashlib.sha1(key[len(head) :].encode()).hexdigest()}"


def _employee(sender: str, name: str = "FromUserName") -> str | None:
    if len(sender) > MAX_USERID_LENGTH:
        raise CallbackRejected(400, f"<{name}> of {len(sender)} characters is no WeCom userid")
    return sender if sender and sender != _SYSTEM_SENDER else None


def _created_at(body: Mapping[str, Any]) -> tuple[int, datetime]:
    seconds = _integer(_text(body, "CreateTime"), "CreateTime")
    try:
        return seconds, datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise CallbackRejected(400, f"CreateTime out of range: {seconds}") from exc


def _agent_id(body: Mapping[str, Any]) -> int | None:
    text = _text(body, "AgentID")
    return _integer(text, "AgentID") if text else None


def _convert(body: dict[str, Any], family: _Family) -> None:
    for name in body.keys() & family.ints:
        body[name] = _integer(_text(body, name), name)
    for name in body.keys() & family.floats:
        body[name] = _number(_text(body, name), name)


def _fields(body: Mapping[str, Any], promoted: set[str | None]) -> Mapping[str, Any]:
    return MappingProxyType({k: _plain(v) for k, v in body.items() if k not in promoted})


def parse_app_callback(xml_text: str, tenant_key: str) -> Update:
    """Parse the decrypted XML of one self-built-app callback."""
    body = parse_xml(xml_text)
    msg_type = _text(body, "MsgType").lower()
    if not msg_type:
        raise CallbackRejected(400, "callback has no MsgType")
    seconds, created_at = _created_at(body)
    base = Update(
        tenant_key=tenant_key,
        channel=Channel.APP,
        key="",
        msg_type=msg_type,
        created_at=created_at,
        agent_id=_agent_id(body),
    )
    for name in ("MsgType", "CreateTime", "AgentID"):
        body.pop(name, None)
    if msg_type == "event":
        return _event_update(base, seconds, body)
    return _message_update(base, body)


def _message_update(base: Update, body: dict[str, Any]) -> Update:
    sender = _text(body, "FromUserName")
    if not sender:
        raise CallbackRejected(400, "message has no FromUserName")
    if sender == _SYSTEM_SENDER:
        # "sys" signs contact events; a message always comes from a member, and every
        # message handler relies on knowing which.
        raise CallbackRejected(400, "message from the system sender sys")
    msg_id_text = _text(body, "MsgId")
    if not msg_id_text:
        raise CallbackRejected(400, "message has no MsgId")
    msg_id = _integer(msg_id_text, "MsgId")
    body["MsgId"] = msg_id
    is_text = base.msg_type == "text"
    return replace(
        base,
        key=dedupe_key("msg", str(msg_id)),
        user_id=_employee(sender),
        text=_text(body, "Content").strip() if is_text else "",
        fields=_fields(body, {"FromUserName", "Content" if is_text else None}),
    )


def _event_update(base: Update, seconds: int, body: dict[str, Any]) -> Update:
    event = _text(body, "Event").lower()
    if not event:
        raise CallbackRejected(400, "event callback has no Event")
    family = _FAMILIES.get(event, _ORDINARY)
    if family.sender_required and not _text(body, "FromUserName"):
        raise CallbackRejected(400, f"{event} event has no FromUserName")
    _convert(body, family)
    if family.normalise is not None:
        family.normalise(body)
    parts = [body.get(name, "") for name in family.key_fields]
    chat_id = (_text(body, "ChatId") or None) if family.group_chat else None
    return replace(
        base,
        key=dedupe_key("evt", event, str(seconds), *parts),
        user_id=(
            _employee(_text(body, family.user_field), family.user_field)
            if family.user_field
            else None
        ),
        event=event,
        change_type=_text(body, "ChangeType") or None,
        chat_type=ChatType.GROUP if family.group_chat else ChatType.SINGLE,
        chat_id=chat_id,
        fields=_fields(
            body,
            {"Event", "FromUserName", "ChangeType", family.user_field}
            | ({"ChatId"} if family.group_chat else set()),
        ),
    )
