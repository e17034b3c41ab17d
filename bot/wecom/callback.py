"""The app callback endpoint: ``GET|POST /wecom/{tenant_key}/app``.

GET answers WeCom's URL verification with the decrypted echostr. POST verifies, decrypts and
parses the message, hands the ``Update`` to ``on_update`` (which stores it) and answers 200
with an empty body at once; the work happens in the background. Every refusal is a 4xx with a
bare body, logged at WARNING with the reason and never with secrets.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.clock import Clock
from bot.dispatch.types import Update
from bot.http_limits import BODY_SECONDS
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.crypto import CallbackCrypto, CallbackRejected
from bot.wecom.events import parse_app_callback
from bot.wecom.safexml import extract_encrypt

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
# WeCom's signature is 40 hex digits, its timestamp 10 decimal digits and its nonce a short
# token; anything far longer is not from WeCom and is refused before any arithmetic on it.
MAX_PARAM_LENGTH = 64
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# Enough of a tenant key to recognise it in the log; a probe's megabyte of junk is not logged.
LOGGED_KEY_LENGTH = 40

OnUpdate = Callable[[TenantInfo, Update], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class CallbackEndpoint:
    tenants: TenantDirectory
    clock: Clock
    replay_window_seconds: int
    on_update: OnUpdate


CALLBACK_ENDPOINT = web.AppKey("callback_endpoint", CallbackEndpoint)


def add_callback_routes(app: web.Application, endpoint: CallbackEndpoint) -> None:
    app[CALLBACK_ENDPOINT] = endpoint
    app.router.add_get("/wecom/{tenant_key}/app", verify_url)
    app.router.add_post("/wecom/{tenant_key}/app", receive_message)


def loggable_key(tenant_key: str) -> str:
    if len(tenant_key) <= LOGGED_KEY_LENGTH:
        return tenant_key
    return f"{tenant_key[:LOGGED_KEY_LENGTH]}…({len(tenant_key)} characters)"


def refuse(request: web.Request, tenant_key: str, rejection: CallbackRejected) -> web.Response:
    logger.warning(
        "refused %s callback for tenant %s from %s: %s",
        request.method,
        loggable_key(tenant_key),
        request.remote,
        rejection.reason,
    )
    return web.Response(status=rejection.status, text="")


def signed_params(request: web.Request) -> tuple[str, str, str]:
    try:
        params = (
            request.query["msg_signature"],
            request.query["timestamp"],
            request.query["nonce"],
        )
    except KeyError as exc:
        raise CallbackRejected(400, f"missing query parameter {exc.args[0]}") from exc
    for name, value in zip(("msg_signature", "timestamp", "nonce"), params, strict=True):
        if len(value) > MAX_PARAM_LENGTH:
            raise CallbackRejected(400, f"{name} of {len(value)} characters")
    if not _TIMESTAMP.fullmatch(params[1]):
        raise CallbackRejected(400, "timestamp is not a number")
    return params


async def _tenant(request: web.Request) -> TenantInfo:
    key = request.match_info["tenant_key"]
    tenant = await request.app[CALLBACK_ENDPOINT].tenants.get(key)
    if tenant is None:
        raise CallbackRejected(404, "unknown tenant")
    return tenant


def decrypt_echostr(
    endpoint: CallbackEndpoint, request: web.Request, crypto: CallbackCrypto
) -> str:
    """The plaintext a URL verification GET must answer with."""
    signature, timestamp, nonce = signed_params(request)
    # A recorded verification replayed later would prove nothing about who is asking.
    check_timestamp(endpoint, timestamp)
    # Base64 has no spaces: a '+' that a proxy decoded as a space is put back.
    echostr = request.query.get("echostr", "").replace(" ", "+")
    if not echostr:
        raise CallbackRejected(400, "missing echostr")
    crypto.verify(signature, timestamp, nonce, echostr)
    return crypto.decrypt(echostr)


async def verify_url(request: web.Request) -> web.Response:
    key = request.match_info["tenant_key"]
    try:
        tenant = await _tenant(request)
        plain = decrypt_echostr(request.app[CALLBACK_ENDPOINT], request, tenant.crypto)
    except CallbackRejected as rejection:
        return refuse(request, key, rejection)
    logger.info("callback URL verified for tenant %s", key)
    return web.Response(text=plain, content_type="text/plain")


async def read_body(request: web.Request) -> str:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise CallbackRejected(413, f"body of {request.content_length} bytes")
    body = bytearray()
    try:
        async with asyncio.timeout(BODY_SECONDS):
            async for chunk in request.content.iter_chunked(16 * 1024):
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise CallbackRejected(413, "body over 64 KiB")
    except TimeoutError as exc:
        raise CallbackRejected(408, f"body not received within {BODY_SECONDS:.0f}s") from exc
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CallbackRejected(400, "body is not UTF-8") from exc


def check_timestamp(endpoint: CallbackEndpoint, timestamp: str) -> None:
    if endpoint.replay_window_seconds == 0:
        return
    if not _TIMESTAMP.fullmatch(timestamp):
        raise CallbackRejected(400, "timestamp is not a number")
    sent_at = int(timestamp)
    skew = abs(endpoint.clock.now().timestamp() - sent_at)
    if skew > endpoint.replay_window_seconds:
        raise CallbackRejected(403, f"timestamp {skew:.0f}s outside the replay window")


async def receive_message(request: web.Request) -> web.Response:
    key = request.match_info["tenant_key"]
    endpoint = request.app[CALLBACK_ENDPOINT]
    try:
        tenant = await _tenant(request)
        signature, timestamp, nonce = signed_params(request)
        check_timestamp(endpoint, timestamp)
        encrypted = extract_encrypt(await read_body(request))
        tenant.crypto.verify(signature, timestamp, nonce, encrypted)
        update = parse_app_callback(tenant.crypto.decrypt(encrypted), tenant.key)
    except CallbackRejected as rejection:
        return refuse(request, key, rejection)
    await endpoint.on_update(tenant, update)
    return web.Response(status=200, body=b"")
