"""The simulator's group bot (智能机器人): members talking to it, as encrypted JSON callbacks.

Control API:

``POST /_sim/aibot/{tenant_key}``
    Body: ``{"text", "userid", "chattype": "group"|"single", "chatid", "quote", "msgid"}``
    (only ``text`` and ``userid`` are required; a group needs ``chatid``). The
    message is encrypted with the group bot's keys and receive id "", signed and POSTed as
    ``{"encrypt": ...}`` to the bot's ``/wecom/{key}/aibot``, retried like app callbacks. It
    carries a fresh ``response_url`` on this simulator. Answer: ``{"status", "attempts",
    "msgid", "reply"}``; ``reply`` is the decrypted passive reply, or null when the bot
    answered with an empty body. A passive reply is recorded as ``aibot/passive_reply``.
``POST /_sim/aibot/{tenant_key}/verify``
    The URL verification GET for the group bot. Answer: ``{"status", "verified"}``.

The WeCom APIs it answers (response_url, the webhook robot, appchat) are in
``bot.wecom_sim.robots``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from bot.wecom.aibot import open_json
from bot.wecom.crypto import CallbackCrypto, CallbackRejected
from bot.wecom_sim.callback import verify_url
from bot.wecom_sim.robots import SIM_AIBOT, AibotSim, json_object, respond, send_webhook
from bot.wecom_sim.state import SIM_HTTP, SIM_STATE, SimState, SimTenant

log = logging.getLogger(__name__)


def add_aibot_routes(app: web.Application, tenants: Sequence[SimTenant]) -> None:
    app[SIM_AIBOT] = AibotSim(tenants)
    app.router.add_post("/_sim/aibot/{tenant_key}", raise_aibot_callback)
    app.router.add_post("/_sim/aibot/{tenant_key}/verify", verify_aibot_url)
    app.router.add_post("/cgi-bin/aibot/response", respond)
    app.router.add_post("/cgi-bin/webhook/send", send_webhook)


def _fail(error: type[web.HTTPError], message: str) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _group_bot(request: web.Request) -> tuple[SimTenant, CallbackCrypto]:
    key = request.match_info["tenant_key"]
    tenant = request.app[SIM_STATE].tenants.get(key)
    crypto = request.app[SIM_AIBOT].cryptos.get(key)
    if tenant is None or crypto is None:
        raise _fail(web.HTTPNotFound, f"no group bot for tenant {key!r}")
    return tenant, crypto


async def _control_json(request: web.Request) -> dict[str, Any]:
    body = await json_object(request)
    if body is None:
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object")
    return body


def _text_message(text: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": text}}


def build_message(fields: Mapping[str, Any], tenant: SimTenant, msgid: str) -> dict[str, Any]:
    """The callback's plaintext JSON (doc 100719) from the control API's fields."""
    text, userid = fields.get("text"), fields.get("userid")
    if not isinstance(text, str) or not isinstance(userid, str) or not userid:
        raise _fail(web.HTTPBadRequest, "text and userid (strings) are required")
    chattype = fields.get("chattype", "group")
    if chattype not in ("group", "single"):
        raise _fail(web.HTTPBadRequest, "chattype must be group or single")
    message: dict[str, Any] = {"msgid": msgid, "aibotid": tenant.aibot_id or "sim-aibot"}
    if chattype == "group":
        if not isinstance(fields.get("chatid"), str) or not fields["chatid"]:
            raise _fail(web.HTTPBadRequest, "a group message needs chatid")
        message["chatid"] = fields["chatid"]
    message.update(chattype=chattype, **{"from": {"userid": userid}})
    message.update(_text_message(text))
    if isinstance(fields.get("quote"), str) and fields["quote"]:
        message["quote"] = _text_message(fields["quote"])
    return message


async def raise_aibot_callback(request: web.Request) -> web.Response:
    tenant, crypto = _group_bot(request)
    fields = await _control_json(request)
    state, bots = request.app[SIM_STATE], request.app[SIM_AIBOT]
    msgid = str(fields.get("msgid") or bots.next_msgid())
    message = build_message(fields, tenant, msgid)
    code = bots.issue_code(msgid, state.clock.now())
    message["response_url"] = str(
        request.url.origin().with_path("/cgi-bin/aibot/response").with_query(response_code=code)
    )
    timestamp = str(int(state.clock.now().timestamp()))
    sealed = crypto.seal(json.dumps(message, ensure_ascii=False), timestamp)
    url = URL(tenant.aibot_url).with_query(
        msg_signature=sealed["msg_signature"], timestamp=timestamp, nonce=sealed["nonce"]
    )
    status, attempts, body = await _deliver(
        request.app[SIM_HTTP], url, {"encrypt": sealed["encrypt"]}, state
    )
    reply = _open_reply(crypto, body) if status == 200 and body else None
    if reply is not None:
        state.sent.append("aibot/passive_reply", reply, state.clock.now(), msgid=msgid)
    answer = {"status": status, "attempts": attempts, "msgid": msgid, "reply": reply}
    return web.json_response(answer)


async def _deliver(
    session: aiohttp.ClientSession, url: URL, envelope: Mapping[str, str], state: SimState
) -> tuple[int | None, int, bytes]:
    """POST the same sealed payload until the bot answers 200, as WeCom retries callbacks."""
    status: int | None = None
    timeout = aiohttp.ClientTimeout(total=state.config.callback_timeout)
    attempts = state.config.callback_attempts
    for attempt in range(1, attempts + 1):
        try:
            async with session.post(url, json=envelope, timeout=timeout) as response:
                status, body = response.status, await response.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.info("group bot callback to %s failed: %r", url.with_query(None), exc)
            continue
        if status == 200:
            return status, attempt, body
    return status, attempts, b""


def _open_reply(crypto: CallbackCrypto, body: bytes) -> dict[str, Any]:
    """The decrypted passive reply; a reply WeCom could not read is reported, not raised."""
    try:
        plain = open_json(crypto, json.loads(body))
        reply = json.loads(plain)
    except (ValueError, CallbackRejected) as exc:
        return {"error": f"unreadable passive reply: {exc}"}
    return reply if isinstance(reply, dict) else {"error": "passive reply is not an object"}


async def verify_aibot_url(request: web.Request) -> web.Response:
    tenant, crypto = _group_bot(request)
    state = request.app[SIM_STATE]
    target = replace(tenant, callback_url=tenant.aibot_url)
    timestamp = str(int(state.clock.now().timestamp()))
    status, verified = await verify_url(
        request.app[SIM_HTTP], crypto, target, timestamp, state.config.callback_timeout
    )
    return web.json_response({"status": status, "verified": verified})
