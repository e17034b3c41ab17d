"""微信客服 (kf) in the simulator: customers' messages and session events waiting to be read
with ``kf/sync_msg``, the send rules of ``kf/send_msg`` and ``kf/send_msg_on_event``, and
session states.

APIs (token-protected, like every other simulated API):

- ``kf/sync_msg``: ``token`` must be one the simulator put in a ``kf_msg_or_event`` callback
  in the last 10 minutes (95007 otherwise); ``cursor`` is where the previous read ended
  (95009 for one it never issued); answers ``next_cursor``, ``has_more`` and ``msg_list``
  (at most ``limit`` entries, 1000 by default).
- ``kf/send_msg``: only within 48 hours of the customer's last message (95002) and at most 5
  messages per message from them (95001); text (2048 bytes) or msgmenu (at most 10 items).
- ``kf/send_msg_on_event``: a ``code`` from a session event, once, within 20 seconds
  (95018 otherwise).
- ``kf/service_state/get`` and ``kf/service_state/trans``: states 0-4 of doc 94669; state 3
  needs a ``servicer_userid`` among the account's servicers (95014 otherwise).

Control (JSON; ``bot.wecom_sim.kf_control``, typed client ``bot.wecom_sim.control``):

``POST /_sim/kf/{tenant_key}/say``
    ``{"open_kfid", "external_userid", "text", "menu_id"?}``: the customer writes (or clicks
    a menu item: ``menu_id``); WeCom then sends the bot a ``kf_msg_or_event`` callback.
    Answers ``{"msgid", "token", "status"}``.
``POST /_sim/kf/{tenant_key}/end``
    ``{"open_kfid", "external_userid", "servicer_userid"?, "callback"?}``: the servicer ends
    the session: a ``session_status_change`` event (change_type 3) with a ``msg_code``, and
    the callback unless ``"callback": false``. Answers ``{"msgid", "msg_code", "status"}``.
``POST /_sim/kf/{tenant_key}/servicers``
    ``{"open_kfid", "servicers": [userid, ...]}``: who receives on that account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, json_body

TOKEN_LIFETIME = timedelta(minutes=10)
SEND_WINDOW = timedelta(hours=48)
SENDS_PER_MESSAGE = 5
CODE_LIFETIME = timedelta(seconds=20)
MAX_MENU_ITEMS = 10
MAX_TEXT_BYTES = 2048


@dataclass(slots=True)
class Chat:
    last_customer_at: datetime
    sent_since: int = 0
    state: int = 0
    servicer: str = ""


@dataclass(slots=True)
class KfAccounts:
    """One tenant's kf accounts as WeCom keeps them."""

    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by open_kfid
    tokens: dict[str, datetime] = field(default_factory=dict)
    codes: dict[str, datetime] = field(default_factory=dict)  # unused event codes
    chats: dict[tuple[str, str], Chat] = field(default_factory=dict)
    servicers: dict[str, set[str]] = field(default_factory=dict)


SIM_KF = web.AppKey("sim_kf", dict)


def accounts_of(app: web.Application, tenant_key: str) -> KfAccounts:
    accounts: dict[str, KfAccounts] = app[SIM_KF]
    return accounts.setdefault(tenant_key, KfAccounts())


def _text(body: Mapping[str, Any], name: str, errcode: int = 40058) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError(errcode, f"{name} missing")
    return value


async def sync_msg(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    kf = accounts_of(call.request.app, call.tenant.key)
    issued = kf.tokens.get(str(body.get("token", "")))
    if issued is None or call.state.clock.now() - issued > TOKEN_LIFETIME:
        raise ApiError(95007, "invalid msg token")
    messages = kf.messages.get(str(body.get("open_kfid", "")), [])
    cursor = str(body.get("cursor", "") or "0")
    if not cursor.isdigit() or int(cursor) > len(messages):
        raise ApiError(95009, "invalid cursor")
    limit = min(max(int(body.get("limit", 1000)), 1), 1000)
    start = int(cursor)
    page = messages[start : start + limit]
    end = start + len(page)
    return {"next_cursor": str(end), "has_more": int(end < len(messages)), "msg_list": page}


def _check_content(msgtype: str, content: Any) -> None:
    if not isinstance(content, Mapping):
        raise ApiError(40058, f"{msgtype} missing")
    if msgtype == "text":
        text = content.get("content")
        if not isinstance(text, str) or not text:
            raise ApiError(44004, "empty content")
        if len(text.encode()) > MAX_TEXT_BYTES:
            raise ApiError(45002, "content size out of limit")
    elif msgtype == "msgmenu":
        items = content.get("list", [])
        if not isinstance(items, list) or len(items) > MAX_MENU_ITEMS:
            raise ApiError(40058, "invalid msgmenu list")
    elif msgtype not in ("image", "voice", "video", "file", "link", "miniprogram", "location"):
        raise ApiError(40008, "invalid message type")


async def send_msg(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    kf = accounts_of(call.request.app, call.tenant.key)
    key = (_text(body, "open_kfid", 95000), _text(body, "touser"))
    msgtype = _text(body, "msgtype")
    _check_content(msgtype, body.get(msgtype))
    now = call.state.clock.now()
    chat = kf.chats.get(key)
    if chat is None or now - chat.last_customer_at > SEND_WINDOW:
        raise ApiError(95002, "send msg out of 48 hours")
    if chat.sent_since >= SENDS_PER_MESSAGE:
        raise ApiError(95001, "send msg count limit exceed")
    chat.sent_since += 1
    call.state.sent.append(call.name, body, now)
    return {"msgid": f"simkf{call.state.next_msg_id()}"}


async def send_msg_on_event(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    kf = accounts_of(call.request.app, call.tenant.key)
    code = _text(body, "code")
    issued = kf.codes.pop(code, None)
    now = call.state.clock.now()
    if issued is None or now - issued > CODE_LIFETIME:
        raise ApiError(95018, "invalid msg code, used or expired")
    msgtype = _text(body, "msgtype")
    _check_content(msgtype, body.get(msgtype))
    call.state.sent.append(call.name, body, now)
    return {"msgid": f"simkf{call.state.next_msg_id()}"}


def _chat_of(call: ApiCall, body: Mapping[str, Any]) -> Chat:
    kf = accounts_of(call.request.app, call.tenant.key)
    key = (_text(body, "open_kfid", 95000), _text(body, "external_userid"))
    chat = kf.chats.get(key)
    if chat is None:
        raise ApiError(95004, "invalid external_userid")
    return chat


async def service_state_get(call: ApiCall) -> dict[str, Any]:
    chat = _chat_of(call, await json_body(call.request))
    return {"service_state": chat.state, "servicer_userid": chat.servicer}


async def service_state_trans(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    chat = _chat_of(call, body)
    kf = accounts_of(call.request.app, call.tenant.key)
    target = body.get("service_state")
    if target not in (1, 2, 3, 4) or chat.state == 4:
        raise ApiError(95015, "invalid service state transition")
    servicer = str(body.get("servicer_userid", ""))
    if target == 3 and servicer not in kf.servicers.get(str(body["open_kfid"]), set()):
        raise ApiError(95014, "servicer not receiving")
    chat.state, chat.servicer = int(target), servicer if target == 3 else ""
    call.state.sent.append(call.name, body, call.state.clock.now())
    return {}


KF_APIS: Mapping[str, ApiRoute] = {
    "kf/sync_msg": ApiRoute("POST", sync_msg),
    "kf/send_msg": ApiRoute("POST", send_msg),
    "kf/send_msg_on_event": ApiRoute("POST", send_msg_on_event),
    "kf/service_state/get": ApiRoute("POST", service_state_get),
    "kf/service_state/trans": ApiRoute("POST", service_state_trans),
}
