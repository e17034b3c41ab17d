"""Control endpoints of the simulator's 微信客服: a customer writes or clicks, a servicer ends
a session, who is receiving. Each message or event is queued for ``kf/sync_msg`` and WeCom's
``kf_msg_or_event`` callback goes to the bot with a fresh token (see ``bot.wecom_sim.kf``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.wecom_sim.callback import raise_callback
from bot.wecom_sim.kf import SIM_KF, Chat, KfAccounts, accounts_of
from bot.wecom_sim.state import SIM_STATE, SimTenant


def add_kf_controls(app: web.Application) -> None:
    app[SIM_KF] = {}
    base = "/_sim/kf/{tenant_key}"
    app.router.add_post(f"{base}/say", customer_says)
    app.router.add_post(f"{base}/end", end_session)
    app.router.add_post(f"{base}/servicers", set_servicers)


def _fail(message: str, error: type[web.HTTPError] = web.HTTPBadRequest) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


async def _control(request: web.Request) -> tuple[SimTenant, KfAccounts, dict[str, Any]]:
    key = request.match_info["tenant_key"]
    tenant = request.app[SIM_STATE].tenants.get(key)
    if tenant is None:
        raise _fail(f"unknown tenant {key!r}", web.HTTPNotFound)
    try:
        body = await request.json()
    except ValueError as exc:
        raise _fail("the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise _fail("the body must be a JSON object")
    if not isinstance(body.get("open_kfid"), str) or not body["open_kfid"]:
        raise _fail("open_kfid (a string) is required")
    return tenant, accounts_of(request.app, key), body


def _customer(body: Mapping[str, Any]) -> str:
    external_userid = body.get("external_userid")
    if not isinstance(external_userid, str) or not external_userid:
        raise _fail("external_userid (a string) is required")
    return external_userid


async def _notify(app: web.Application, tenant: SimTenant, kf: KfAccounts, open_kfid: str) -> Any:
    token = secrets.token_urlsafe(16)
    kf.tokens[token] = app[SIM_STATE].clock.now()
    fields = {"MsgType": "event", "Event": "kf_msg_or_event", "Token": token, "OpenKfId": open_kfid}
    _, result = await raise_callback(app, tenant, fields)
    return token, result.status


async def customer_says(request: web.Request) -> web.Response:
    tenant, kf, body = await _control(request)
    open_kfid, external_userid = body["open_kfid"], _customer(body)
    state = request.app[SIM_STATE]
    now = state.clock.now()
    text: dict[str, Any] = {"content": str(body.get("text", ""))}
    if body.get("menu_id"):
        text["menu_id"] = str(body["menu_id"])
    msgid = f"kfmsg{state.next_msg_id()}"
    kf.messages.setdefault(open_kfid, []).append(
        {
            "msgid": msgid,
            "open_kfid": open_kfid,
            "external_userid": external_userid,
            "send_time": int(now.timestamp()),
            "origin": 3,
            "msgtype": "text",
            "text": text,
        }
    )
    chat = kf.chats.setdefault((open_kfid, external_userid), Chat(last_customer_at=now))
    chat.last_customer_at, chat.sent_since = now, 0
    if chat.state == 4:
        chat.state = 0
    token, status = await _notify(request.app, tenant, kf, open_kfid)
    return web.json_response({"msgid": msgid, "token": token, "status": status})


async def end_session(request: web.Request) -> web.Response:
    tenant, kf, body = await _control(request)
    open_kfid, external_userid = body["open_kfid"], _customer(body)
    state = request.app[SIM_STATE]
    now = state.clock.now()
    chat = kf.chats.setdefault((open_kfid, external_userid), Chat(last_customer_at=now))
    servicer = str(body.get("servicer_userid", chat.servicer))
    chat.state, chat.servicer = 4, ""
    code = secrets.token_urlsafe(16)
    kf.codes[code] = now
    msgid = f"kfevt{state.next_msg_id()}"
    event = {
        "event_type": "session_status_change",
        "open_kfid": open_kfid,
        "external_userid": external_userid,
        "change_type": 3,
        "old_servicer_userid": servicer,
        "msg_code": code,
    }
    kf.messages.setdefault(open_kfid, []).append(
        {
            "msgid": msgid,
            "send_time": int(now.timestamp()),
            "origin": 4,
            "msgtype": "event",
            "event": event,
        }
    )
    status = None
    if body.get("callback", True):
        _, status = await _notify(request.app, tenant, kf, open_kfid)
    return web.json_response({"msgid": msgid, "msg_code": code, "status": status})


async def set_servicers(request: web.Request) -> web.Response:
    _, kf, body = await _control(request)
    servicers = body.get("servicers")
    if not isinstance(servicers, list) or not all(isinstance(s, str) for s in servicers):
        raise _fail("servicers (a list of userids) is required")
    kf.servicers[body["open_kfid"]] = set(servicers)
    return web.json_response({"servicers": sorted(servicers)})
