"""A WeCom (企业微信) simulator for the console, the demo, the tests and the benchmarks.

It plays the WeCom server for a set of self-built apps (``SimTenant``): the bot calls its API
as it would call https://qyapi.weixin.qq.com, and a control API makes it send encrypted
callbacks to the bot. It has no authentication: bind it to loopback only.

WeCom API (always HTTP 200 with ``errcode``/``errmsg``; see ``sim_api`` for the details):

- ``GET /cgi-bin/gettoken?corpid=&corpsecret=``: 40013 unknown corp, 40001 wrong secret.
- ``POST /cgi-bin/message/send?access_token=``: 40014 unknown token, 42001 expired token,
  40056 wrong agentid, 45002 text/markdown over 2048 UTF-8 bytes, 45009 over the per-corp,
  per-API minute limit. Past the per-member minute limit, or a duplicate under
  ``enable_duplicate_check``, it still answers errcode 0 and records the call as dropped.
- ``POST /cgi-bin/media/upload?access_token=&type=image|voice|video|file`` (form field
  ``media``): answers ``type``, ``media_id`` and ``created_at``.
- ``GET /cgi-bin/media/get?access_token=&media_id=``: a file a member sent (``POST /_sim/media``)
  for three days, then 40007 (``bot.wecom_sim.media``).
- ``POST /cgi-bin/oa/schedule/add|update|del``: members' calendar entries, checked and kept
  (``bot.wecom_sim.schedules``).

Control API (JSON in and out; errors are ``{"error": "..."}`` with a 4xx status):

``POST /_sim/callback/{tenant_key}``
    Body: the message's XML fields, e.g. ``{"MsgType": "text", "FromUserName": "zhangsan",
    "Content": "帮助"}``. ToUserName, CreateTime, MsgId (not for events) and AgentID are filled
    when absent. A dict value becomes child elements, a list repeats its key
    (``{"MemChangeList": {"Item": ["wm1", "wm2"]}}``), strings are CDATA, numbers bare. The
    message is sealed with the tenant's keys and POSTed to its ``callback_url``; without an
    HTTP 200 within ``callback_timeout`` the same signed payload is sent again, up to
    ``callback_attempts`` times in all. Answer: ``{"status": <last HTTP status or null>,
    "attempts": n, "msg_id": "<MsgId>" or null}``. 404 for an unknown tenant.
``POST /_sim/verify/{tenant_key}``
    Runs WeCom's URL verification GET. Answer: ``{"status": ..., "verified": bool}``.
``GET /_sim/sent[?since=N]``
    Every API call that sent something, oldest first: ``{"seq", "api", "body", "at",
    "dropped"}`` plus ``"reason"`` (``duplicate`` | ``member_limit``) when dropped and
    ``"dropped_users"`` when only some recipients were over their limit. ``seq`` counts from 0
    since the last clear; ``since`` returns only records with ``seq >= N``. Only the last
    10,000 records are kept.
``GET /_sim/sent/count``
    ``{"count": n}``: how many records were made since the last clear (a ``since`` mark).
``DELETE /_sim/sent``
    Clears the record and restarts ``seq`` at 0. Answer: ``{"cleared": n}``.
``POST /_sim/tokens/expire``
    Every issued access token expires now. Answer: ``{"expired": n}``.
``GET /_sim/health``
    ``{"status": "ok", "tenants": [keys]}``.

``bot.wecom_sim.control.SimulatorControl`` is a typed client for the control API.

Customer contact (客户联系) has its own APIs and control endpoints (``/_sim/contacts/...``):
see ``bot.wecom_sim.contacts`` and ``bot.wecom_sim.contacts_control``.
The address book (departments, members, the visible range; ``/_sim/directory/...``): see
``bot.wecom_sim.directory`` and ``bot.wecom_sim.directory_control``.
Mass-send tasks (``add_msg_template``, confirmed through ``/_sim/msg_templates/...``): see
``bot.wecom_sim.surveys``.
The group bot (``/_sim/aibot/...``, response_url), the group webhook robot and app group
chats: see ``bot.wecom_sim.aibot`` and ``bot.wecom_sim.robots``. 微信客服 (``/_sim/kf/...``,
kf/sync_msg, kf/send_msg, kf/send_msg_on_event, kf/service_state): see ``bot.wecom_sim.kf``.
对外收款 (``externalpay/get_bill_list``, bills and refunds through ``/_sim/externalpay/...``): see
``bot.wecom_sim.externalpay``. 公费电话 (``dial/get_dial_record``, calls placed through
``/_sim/dial/...``): see ``bot.wecom_sim.dial``; a telephony platform posting signed call
webhooks (``/_sim/telephony/...``): see ``bot.wecom_sim.telephony``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.wecom_sim.aibot import add_aibot_routes
from bot.wecom_sim.api import add_api_routes
from bot.wecom_sim.callback import InvalidCallbackFields, raise_callback, verify_url
from bot.wecom_sim.cards_control import add_card_controls
from bot.wecom_sim.contacts_control import add_contact_controls
from bot.wecom_sim.dial import add_dial_controls
from bot.wecom_sim.directory_control import add_directory_controls
from bot.wecom_sim.externalpay import add_externalpay_controls
from bot.wecom_sim.kf_control import add_kf_controls
from bot.wecom_sim.media import add_media_routes
from bot.wecom_sim.state import SIM_HTTP, SIM_STATE, SimConfig, SimState, SimTenant
from bot.wecom_sim.surveys import add_survey_controls
from bot.wecom_sim.telephony import add_telephony_controls

__all__ = ["SimTenant", "create_simulator_app"]

log = logging.getLogger(__name__)


def create_simulator_app(
    tenants: Sequence[SimTenant],
    *,
    clock: Clock | None = None,
    token_ttl_seconds: int = 7200,
    callback_timeout: float = 5.0,
    callback_attempts: int = 3,
    member_limit_per_minute: int = 30,
    corp_limit_per_minute: int = 10_000,
) -> web.Application:
    config = SimConfig(
        token_ttl=timedelta(seconds=token_ttl_seconds),
        callback_timeout=callback_timeout,
        callback_attempts=callback_attempts,
        member_limit_per_minute=member_limit_per_minute,
        corp_limit_per_minute=corp_limit_per_minute,
    )
    app = web.Application()
    app[SIM_STATE] = SimState(tenants, clock or SystemClock(), config)
    app.cleanup_ctx.append(_http_session)
    add_api_routes(app)
    add_contact_controls(app, [t.key for t in tenants])
    add_directory_controls(app, {t.key: t.name for t in tenants})
    add_aibot_routes(app, tenants)
    add_kf_controls(app)
    add_survey_controls(app)
    add_card_controls(app)
    add_externalpay_controls(app)
    add_media_routes(app)
    add_dial_controls(app)
    add_telephony_controls(app)
    app.router.add_post("/_sim/callback/{tenant_key}", send_callback)
    app.router.add_post("/_sim/verify/{tenant_key}", verify_callback_url)
    app.router.add_get("/_sim/sent", list_sent)
    app.router.add_get("/_sim/sent/count", count_sent)
    app.router.add_delete("/_sim/sent", clear_sent)
    app.router.add_post("/_sim/tokens/expire", expire_tokens)
    app.router.add_get("/_sim/health", health)
    return app


async def _http_session(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession() as session:
        app[SIM_HTTP] = session
        yield


def _fail(error: type[web.HTTPError], message: str) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _tenant(request: web.Request) -> SimTenant:
    key = request.match_info["tenant_key"]
    tenant = request.app[SIM_STATE].tenants.get(key)
    if tenant is None:
        raise _fail(web.HTTPNotFound, f"unknown tenant {key!r}")
    return tenant


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object")
    return body


def _timestamp(state: SimState) -> str:
    return str(int(state.clock.now().timestamp()))


async def send_callback(request: web.Request) -> web.Response:
    tenant = _tenant(request)
    fields = await _json_object(request)
    try:
        message, result = await raise_callback(request.app, tenant, fields)
    except InvalidCallbackFields as exc:
        raise _fail(web.HTTPBadRequest, str(exc)) from exc
    msg_id = str(message["MsgId"]) if "MsgId" in message else None
    log.debug("callback %s to %s: %s", msg_id, tenant.key, result)
    return web.json_response(
        {"status": result.status, "attempts": result.attempts, "msg_id": msg_id}
    )


async def verify_callback_url(request: web.Request) -> web.Response:
    state, tenant = request.app[SIM_STATE], _tenant(request)
    status, verified = await verify_url(
        request.app[SIM_HTTP],
        state.cryptos[tenant.key],
        tenant,
        _timestamp(state),
        state.config.callback_timeout,
    )
    return web.json_response({"status": status, "verified": verified})


async def list_sent(request: web.Request) -> web.Response:
    raw = request.query.get("since", "0")
    if not (raw.isascii() and raw.isdigit()):
        raise _fail(web.HTTPBadRequest, "since must be a non-negative integer")
    return web.json_response(request.app[SIM_STATE].sent.since(int(raw)))


async def count_sent(request: web.Request) -> web.Response:
    return web.json_response({"count": request.app[SIM_STATE].sent.total})


async def clear_sent(request: web.Request) -> web.Response:
    return web.json_response({"cleared": request.app[SIM_STATE].sent.clear()})


async def expire_tokens(request: web.Request) -> web.Response:
    return web.json_response({"expired": request.app[SIM_STATE].tokens.expire_all()})


async def health(request: web.Request) -> web.Response:
    tenants = list(request.app[SIM_STATE].tenants)
    return web.json_response({"status": "ok", "tenants": tenants})
