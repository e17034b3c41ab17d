"""The group bot's callback endpoint: ``GET|POST /wecom/{tenant_key}/aibot``.

The checks are the app endpoint's (``bot.wecom.callback``): size, replay window, constant-time
signature, receive id (the empty string here), each refusal a bare 4xx. A message is stored in
the inbox like any other update; then the request stays open for a short while
(``passive_reply_seconds``): if the handler has answered by then, the answer goes back in this
HTTP reply (encrypted JSON), otherwise the reply is empty and the outbox answers later through
the callback's ``response_url``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from aiohttp import web

from bot.passive import PassiveReplies, joined_text, mark_sent, release
from bot.tenants import TenantInfo
from bot.wecom.aibot import extract_json_encrypt, parse_aibot_callback, passive_reply, seal_json
from bot.wecom.callback import (
    CallbackEndpoint,
    check_timestamp,
    decrypt_echostr,
    read_body,
    refuse,
    signed_params,
)
from bot.wecom.crypto import CallbackCrypto, CallbackRejected
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AibotEndpoint:
    callback: CallbackEndpoint  # tenants, clock, replay window and the inbox hand-off
    passive: PassiveReplies
    reply_seconds: float


AIBOT_ENDPOINT = web.AppKey("aibot_endpoint", AibotEndpoint)


def add_aibot_routes(app: web.Application, endpoint: AibotEndpoint) -> None:
    app[AIBOT_ENDPOINT] = endpoint
    app.router.add_get("/wecom/{tenant_key}/aibot", verify_aibot_url)
    app.router.add_post("/wecom/{tenant_key}/aibot", receive_aibot_message)


async def _aibot_tenant(request: web.Request) -> tuple[TenantInfo, CallbackCrypto]:
    key = request.match_info["tenant_key"]
    tenant = await request.app[AIBOT_ENDPOINT].callback.tenants.get(key)
    if tenant is None:
        raise CallbackRejected(404, "unknown tenant")
    if tenant.aibot.crypto is None:
        raise CallbackRejected(404, "no group bot configured ([tenants.aibot] token)")
    return tenant, tenant.aibot.crypto


async def verify_aibot_url(request: web.Request) -> web.Response:
    key = request.match_info["tenant_key"]
    try:
        _, crypto = await _aibot_tenant(request)
        plain = decrypt_echostr(request.app[AIBOT_ENDPOINT].callback, request, crypto)
    except CallbackRejected as rejection:
        return refuse(request, key, rejection)
    logger.info("group bot callback URL verified for tenant %s", key)
    return web.Response(text=plain, content_type="text/plain")


async def receive_aibot_message(request: web.Request) -> web.StreamResponse:
    key = request.match_info["tenant_key"]
    endpoint = request.app[AIBOT_ENDPOINT]
    clock = endpoint.callback.clock
    try:
        tenant, crypto = await _aibot_tenant(request)
        signature, timestamp, nonce = signed_params(request)
        check_timestamp(endpoint.callback, timestamp)
        encrypted = extract_json_encrypt(await read_body(request))
        crypto.verify(signature, timestamp, nonce, encrypted)
        plain = crypto.decrypt(encrypted)
        update = parse_aibot_callback(plain, tenant.key, tenant.aibot.name, clock.now())
    except CallbackRejected as rejection:
        return refuse(request, key, rejection)
    if update is None:
        return web.Response(status=200, body=b"")
    waiter = endpoint.passive.expect(tenant.id, update)
    try:
        accepted = await endpoint.callback.on_update(tenant, update)
        # A retry of a stored update (accepted is False) is answered by its first delivery.
        rows = []
        if waiter is not None and accepted is not False:
            rows = await endpoint.passive.wait(waiter, endpoint.reply_seconds)
    finally:
        if waiter is not None:
            endpoint.passive.forget(waiter)
    if not rows:  # nothing to say, or the answer comes later through response_url
        return web.Response(status=200, body=b"")
    return await _reply(request, crypto, rows, endpoint)


async def _reply(
    request: web.Request,
    crypto: CallbackCrypto,
    rows: list[OutboxMessage],
    endpoint: AibotEndpoint,
) -> web.StreamResponse:
    now = endpoint.callback.clock.now()
    plain = json.dumps(passive_reply(joined_text(rows)), ensure_ascii=False)
    sealed = seal_json(crypto, plain, str(int(now.timestamp())))
    response = web.json_response(sealed)
    try:
        await response.prepare(request)
        await response.write_eof()
    except ConnectionError:
        # WeCom hung up before the answer left: the outbox sends it through response_url.
        logger.warning("passive reply for %s not delivered; sending it later", request.path)
        await release(rows)
        raise
    await mark_sent(rows, now)
    return response
