"""The simulator's side of the group bot's replies and of the other robots: response_url,
the group webhook robot and app group chats, with the state they keep.

WeCom API:

- ``POST /cgi-bin/aibot/response?response_code=``: a callback's response_url. It takes one
  message within an hour (doc 101138); later or again it answers 93000 (this simulator's
  choice of code). Recorded as ``aibot/response`` with the callback's ``msgid``.
- ``POST /cgi-bin/webhook/send?key=``: the group webhook robot; 93000 for an unknown key,
  45009 past 20 messages a minute per key, 45002 for text over 2,048 or markdown over 4,096
  bytes. Recorded as ``webhook/send`` with the ``key``.
- ``POST /cgi-bin/appchat/send?access_token=``: an app group chat message (any ``chatid``),
  checked like message/send. Recorded as ``appchat/send``.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.wecom.crypto import CallbackCrypto
from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, check_message
from bot.wecom_sim.state import MINUTE, SIM_STATE, SimTenant, SlidingWindow

log = logging.getLogger(__name__)

RESPONSE_URL_LIFETIME = timedelta(hours=1)
WEBHOOK_PER_MINUTE = 20
WEBHOOK_LIMITS = {"text": 2048, "markdown": 4096}
CODE_TABLE_LIMIT = 10_000
INVALID_ADDRESS = 93000


@dataclass(slots=True)
class _ResponseCode:
    msgid: str
    issued_at: datetime
    used: bool = False


class AibotSim:
    """Group-bot keys per tenant, issued response codes and the webhook robots' windows."""

    def __init__(self, tenants: Sequence[SimTenant]) -> None:
        self.cryptos = {
            t.key: CallbackCrypto(t.aibot_token, t.aibot_aes_key, "")
            for t in tenants
            if t.aibot_token
        }
        self.webhook_keys = {t.webhook_key for t in tenants if t.webhook_key}
        self.webhook_window = SlidingWindow(MINUTE)
        self._codes: OrderedDict[str, _ResponseCode] = OrderedDict()
        self._msgids = itertools.count(1)

    def next_msgid(self) -> str:
        return f"sim-aibot-{secrets.token_hex(4)}-{next(self._msgids)}"

    def issue_code(self, msgid: str, now: datetime) -> str:
        code = secrets.token_urlsafe(24)
        self._codes[code] = _ResponseCode(msgid, now)
        while len(self._codes) > CODE_TABLE_LIMIT:
            self._codes.popitem(last=False)
        return code

    def use_code(self, code: str, now: datetime) -> str:
        """The msgid the code answers; ApiError when unknown, used or past its hour."""
        issued = self._codes.get(code)
        if issued is None or issued.used:
            raise ApiError(INVALID_ADDRESS, "invalid response_url (unknown or already used)")
        if now - issued.issued_at >= RESPONSE_URL_LIFETIME:
            raise ApiError(INVALID_ADDRESS, "invalid response_url (expired)")
        issued.used = True
        return issued.msgid


SIM_AIBOT = web.AppKey("sim_aibot", AibotSim)


async def json_object(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when the body is anything else."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def _api_body(request: web.Request) -> dict[str, Any]:
    body = await json_object(request)
    if body is None:
        raise ApiError(47001, "data format error")
    return body


def _answer(error: ApiError | None = None) -> web.Response:
    if error is not None:
        log.info("simulated call refused: %s", error)
        return web.json_response(error.payload())
    return web.json_response({"errcode": 0, "errmsg": "ok"})


async def respond(request: web.Request) -> web.Response:
    state, bots = request.app[SIM_STATE], request.app[SIM_AIBOT]
    try:
        msgid = bots.use_code(request.query.get("response_code", ""), state.clock.now())
        body = await _api_body(request)
        _check_message(body, {"markdown": 20480, "template_card": 0})
    except ApiError as exc:
        return _answer(exc)
    state.sent.append("aibot/response", body, state.clock.now(), msgid=msgid)
    return _answer()


async def send_webhook(request: web.Request) -> web.Response:
    state, bots = request.app[SIM_STATE], request.app[SIM_AIBOT]
    key, now = request.query.get("key", ""), state.clock.now()
    try:
        if key not in bots.webhook_keys:
            raise ApiError(INVALID_ADDRESS, "invalid webhook url")
        body = await _api_body(request)
        _check_message(body, WEBHOOK_LIMITS)
        if not bots.webhook_window.allow(key, now, WEBHOOK_PER_MINUTE):
            raise ApiError(45009, "api freq out of limit")
    except ApiError as exc:
        return _answer(exc)
    state.sent.append("webhook/send", body, now, key=key)
    return _answer()


def _check_message(body: Mapping[str, Any], limits: Mapping[str, int]) -> None:
    """``limits``: the msgtypes accepted, with the byte limit of their content (0: none)."""
    msgtype = str(body.get("msgtype", ""))
    if msgtype not in limits:
        raise ApiError(40008, "invalid message type")
    section = body.get(msgtype)
    if not isinstance(section, Mapping):
        raise ApiError(40058, "invalid parameter")
    if not limits[msgtype]:
        return
    content = section.get("content")
    if not isinstance(content, str) or not content:
        raise ApiError(44004, "empty content")
    if len(content.encode()) > limits[msgtype]:
        raise ApiError(45002, "content size out of limit")


async def send_appchat(call: ApiCall) -> dict[str, Any]:
    body = await _api_body(call.request)
    if not isinstance(body.get("chatid"), str) or not body["chatid"]:
        raise ApiError(86003, "chatid not found")
    check_message(call, body)
    call.state.sent.append(call.name, body, call.state.clock.now())
    return {}


APPCHAT_APIS: Mapping[str, ApiRoute] = {"appchat/send": ApiRoute("POST", send_appchat)}
