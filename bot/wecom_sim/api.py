"""The WeCom server API as the simulator speaks it: ``/cgi-bin/gettoken`` plus a table of
token-protected APIs.

To add an API, write an ``async def handler(call: ApiCall) -> dict`` (see ``api_call``) and put
it in ``TOKEN_APIS`` or in its own module's table, which ``add_api_routes`` mounts. The shared
wrapper checks the access token and the per-corp, per-API frequency limit first.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import BodyPartReader, web

from bot.wecom_sim.api_call import (
    ApiCall,
    ApiError,
    ApiRoute,
    check_agent,
    check_message,
    json_body,
)
from bot.wecom_sim.cards import CARD_APIS, CARD_CODES, CardCodes
from bot.wecom_sim.contacts import CONTACT_APIS
from bot.wecom_sim.dial import DIAL_APIS
from bot.wecom_sim.directory import DIRECTORY_APIS
from bot.wecom_sim.externalpay import EXTERNALPAY_APIS
from bot.wecom_sim.kf import KF_APIS
from bot.wecom_sim.messages import duplicate_interval, message_key, recipients_of
from bot.wecom_sim.robots import APPCHAT_APIS
from bot.wecom_sim.schedules import SCHEDULE_APIS, add_schedule_state
from bot.wecom_sim.state import SIM_STATE, MediaFile, SimState, SimTenant
from bot.wecom_sim.surveys import SURVEY_APIS

log = logging.getLogger(__name__)

# WeCom's per-type upload limits; every file must also be larger than 5 bytes.
MEDIA_SIZE_LIMITS = {
    "image": 10 * 2**20,
    "voice": 2 * 2**20,
    "video": 10 * 2**20,
    "file": 20 * 2**20,
}
MIN_MEDIA_SIZE = 6


def ok(**fields: Any) -> web.Response:
    return web.json_response({"errcode": 0, "errmsg": "ok", **fields})


async def get_token(request: web.Request) -> web.Response:
    state = request.app[SIM_STATE]
    try:
        tenant = _app_for_credentials(
            state, request.query.get("corpid", ""), request.query.get("corpsecret", "")
        )
    except ApiError as exc:
        log.info("simulated gettoken refused: %s", exc)
        return web.json_response(exc.payload())
    token, expires_in = state.tokens.issue(tenant)
    return ok(access_token=token, expires_in=expires_in)


def _app_for_credentials(state: SimState, corp_id: str, secret: str) -> SimTenant:
    if not corp_id:
        raise ApiError(41002, "corpid missing")
    if not secret:
        raise ApiError(41004, "corpsecret missing")
    apps = state.apps_of_corp(corp_id)
    if not apps:
        raise ApiError(40013, "invalid corpid")
    for tenant in apps:
        if tenant.secret == secret:
            return tenant
    raise ApiError(40001, "invalid credential")


def authenticate(state: SimState, token: str) -> SimTenant:
    issued = state.tokens.get(token) if token else None
    if issued is None:
        raise ApiError(40014, "invalid access_token")
    if issued.expires_at <= state.clock.now():
        raise ApiError(42001, "access_token expired")
    return issued.tenant


def _endpoint(name: str, route: ApiRoute) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        state = request.app[SIM_STATE]
        try:
            tenant = authenticate(state, request.query.get("access_token", ""))
            limit = state.config.corp_limit_per_minute
            if not state.corp_window.allow((tenant.corp_id, name), state.clock.now(), limit):
                raise ApiError(45009, "api freq out of limit")
            fields = await route.handler(ApiCall(name, request, state, tenant))
        except ApiError as exc:
            log.info("simulated %s refused: %s", name, exc)
            return web.json_response(exc.payload())
        return ok(**fields)

    return handle


async def send_message(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    check_agent(body, call.tenant)
    check_message(call, body)
    users = recipients_of(body)
    if not users and not body.get("toparty") and not body.get("totag"):
        raise ApiError(81013, "user & party & tag all invalid")
    _deliver_message(call, body, users)
    return {"invaliduser": "", "msgid": f"sim{call.state.next_msg_id()}"}


def _deliver_message(call: ApiCall, body: Mapping[str, Any], users: list[str]) -> None:
    """Record the message as WeCom would treat it: ignored, partly dropped or delivered."""
    state, tenant, now = call.state, call.tenant, call.state.clock.now()
    key = (tenant.corp_id, tenant.agent_id, message_key(body))
    checked = body.get("enable_duplicate_check") in (1, "1", True)
    if checked and state.duplicates.seen_within(key, now, duplicate_interval(body)):
        state.sent.append(call.name, body, now, dropped=True, reason="duplicate")
        return
    # Over the per-member limit WeCom still answers errcode 0 and just never delivers.
    limit = state.config.member_limit_per_minute
    dropped = [
        user
        for user in users
        if not state.member_window.allow((tenant.corp_id, tenant.agent_id, user), now, limit)
    ]
    others = body.get("toparty") or body.get("totag")
    if dropped and len(dropped) == len(users) and not others:
        state.sent.append(call.name, body, now, dropped=True, reason="member_limit")
        return
    state.duplicates.remember(key, now)
    extra = {"dropped_users": dropped} if dropped else {}
    state.sent.append(call.name, body, now, **extra)


async def upload_media(call: ApiCall) -> dict[str, Any]:
    media_type = call.request.query.get("type", "")
    limit = MEDIA_SIZE_LIMITS.get(media_type)
    if limit is None:
        raise ApiError(40004, "invalid media type")
    filename, size = await _read_media_part(call.request, limit)
    media_id, media = call.state.media.add(media_type, filename, size)
    log.debug("simulated upload of %s (%s bytes) as %s", filename, size, media_id)
    return _media_answer(media_id, media)


def _media_answer(media_id: str, media: MediaFile) -> dict[str, Any]:
    # created_at is a string of unix seconds in WeCom's answer.
    created = str(int(media.created_at.timestamp()))
    return {"type": media.media_type, "media_id": media_id, "created_at": created}


async def _read_media_part(request: web.Request, limit: int) -> tuple[str, int]:
    """Stream the ``media`` form field, counting bytes; the content itself is not kept."""
    if not request.content_type.startswith("multipart/"):
        raise ApiError(47001, "data format error")
    try:
        reader = await request.multipart()
        async for part in reader:
            if isinstance(part, BodyPartReader) and part.name == "media":
                return part.filename or "media", await _count_bytes(part, limit)
    except ValueError as exc:
        raise ApiError(47001, "data format error") from exc
    raise ApiError(44001, "empty media data")


async def _count_bytes(part: BodyPartReader, limit: int) -> int:
    size = 0
    while chunk := await part.read_chunk():
        size += len(chunk)
        if size > limit:
            raise ApiError(40006, "invalid file size")
    if size < MIN_MEDIA_SIZE:
        raise ApiError(40006 if size else 44001, "invalid file size" if size else "empty media")
    return size


TOKEN_APIS: Mapping[str, ApiRoute] = {
    "message/send": ApiRoute("POST", send_message),
    "media/upload": ApiRoute("POST", upload_media),
}


def add_api_routes(app: web.Application) -> None:
    app.router.add_get("/cgi-bin/gettoken", get_token)
    app[CARD_CODES] = CardCodes()
    add_schedule_state(app)
    apis = {
        **TOKEN_APIS,
        **CARD_APIS,
        **CONTACT_APIS,
        **DIRECTORY_APIS,
        **APPCHAT_APIS,
        **KF_APIS,
        **SURVEY_APIS,
        **EXTERNALPAY_APIS,
        **SCHEDULE_APIS,
        **DIAL_APIS,
    }
    for name, route in apis.items():
        app.router.add_route(route.method, f"/cgi-bin/{name}", _endpoint(name, route))
