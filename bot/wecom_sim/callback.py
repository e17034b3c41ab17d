"""The simulator's side of callbacks: XML rendering, sealed delivery with WeCom's retry
behaviour, and the URL-verification request.
"""

from __future__ import annotations

import logging
import re
import secrets
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from bot.wecom.crypto import CallbackCrypto, envelope_xml
from bot.wecom_sim.cards import with_response_code
from bot.wecom_sim.state import SIM_HTTP, SIM_STATE, SimTenant

log = logging.getLogger(__name__)

_TAG_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# WeCom's plaintext puts these first, in this order; any other field follows as given.
_HEAD_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType")


class InvalidCallbackFields(ValueError):
    """The control API was given fields that cannot become a WeCom callback."""


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    status: int | None  # the bot's last HTTP status, None if it never answered
    attempts: int


def render_xml(fields: Mapping[str, Any]) -> str:
    """``<xml>...</xml>`` for a callback: dicts nest, lists repeat their key, text is CDATA
    and numbers are bare, as in WeCom's own payloads."""
    return "<xml>" + "".join(_element(name, value) for name, value in fields.items()) + "</xml>"


def _element(name: str, value: Any) -> str:
    if not _TAG_RE.fullmatch(name):
        raise InvalidCallbackFields(f"{name!r} is not a valid XML element name")
    if isinstance(value, list):
        return "".join(_element(name, item) for item in value)
    return f"<{name}>{_content(value)}</{name}>"


def _content(value: Any) -> str:
    if isinstance(value, Mapping):
        return "".join(_element(str(name), child) for name, child in value.items())
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _cdata(value)
    raise InvalidCallbackFields(f"cannot render a {type(value).__name__} as XML")


def _cdata(text: str) -> str:
    # A CDATA section cannot contain "]]>", so split it across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def complete_fields(
    fields: Mapping[str, Any], tenant: SimTenant, now: datetime, next_msg_id: Callable[[], int]
) -> dict[str, Any]:
    """Fill what WeCom always sends (ToUserName, CreateTime, MsgId, AgentID) when absent."""
    if not isinstance(fields.get("MsgType"), str) or not fields["MsgType"]:
        raise InvalidCallbackFields("MsgType (a string) is required")
    filled: dict[str, Any] = {"ToUserName": tenant.corp_id, "CreateTime": int(now.timestamp())}
    filled.update(fields)
    # Events carry no MsgId in WeCom; bots dedupe them by sender and CreateTime instead.
    if fields["MsgType"] != "event":
        filled.setdefault("MsgId", next_msg_id())
    filled.setdefault("AgentID", tenant.agent_id)
    head = {name: filled.pop(name) for name in _HEAD_FIELDS if name in filled}
    return head | filled


def seal_callback(
    crypto: CallbackCrypto, tenant: SimTenant, message: Mapping[str, Any], timestamp: str
) -> tuple[URL, str]:
    """The callback URL with its signature query and the encrypted XML envelope to POST."""
    sealed = crypto.seal(render_xml(message), timestamp)
    url = URL(tenant.callback_url).update_query(
        msg_signature=sealed["msg_signature"], timestamp=sealed["timestamp"], nonce=sealed["nonce"]
    )
    envelope = envelope_xml(sealed["encrypt"], str(message["ToUserName"]), tenant.agent_id)
    return url, envelope


async def deliver(
    session: aiohttp.ClientSession, url: URL, envelope: str, *, timeout: float, attempts: int
) -> DeliveryResult:
    """POST the same sealed payload until the bot answers 200, at most ``attempts`` times."""
    status: int | None = None
    for attempt in range(1, attempts + 1):
        answered = await _post_once(session, url, envelope, timeout)
        if answered is not None:
            status = answered
        if answered == 200:
            return DeliveryResult(status, attempt)
        log.info("callback attempt %s/%s to %s got %s", attempt, attempts, url.path, answered)
    return DeliveryResult(status, attempts)


async def _post_once(
    session: aiohttp.ClientSession, url: URL, envelope: str, timeout: float
) -> int | None:
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    try:
        async with session.post(
            url,
            data=envelope.encode("utf-8"),
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            await response.read()  # the bot must answer in full within the window
            return response.status
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.info("callback to %s failed: %r", url.with_query(None), exc)
        return None


async def verify_url(
    session: aiohttp.ClientSession,
    crypto: CallbackCrypto,
    tenant: SimTenant,
    timestamp: str,
    timeout: float,
) -> tuple[int | None, bool]:
    """WeCom's URL check: GET with a sealed echostr; the bot must answer the plain echostr."""
    plain = "".join(secrets.choice(string.digits) for _ in range(19))
    sealed = crypto.seal(plain, timestamp)
    url = URL(tenant.callback_url).update_query(
        msg_signature=sealed["msg_signature"],
        timestamp=sealed["timestamp"],
        nonce=sealed["nonce"],
        echostr=sealed["encrypt"],
    )
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            body = await response.text()
            return response.status, response.status == 200 and body == plain
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.info("URL verification of %s failed: %r", tenant.callback_url, exc)
        return None, False


async def raise_callback(
    app: web.Application, tenant: SimTenant, fields: Mapping[str, Any]
) -> tuple[dict[str, Any], DeliveryResult]:
    """Complete, seal and deliver one callback as WeCom would, with its retries. Returns the
    message as sent and how delivery went; ``InvalidCallbackFields`` for unusable fields."""
    state = app[SIM_STATE]
    now = state.clock.now()
    fields = with_response_code(app, fields, now)
    message = complete_fields(fields, tenant, now, state.next_msg_id)
    url, envelope = seal_callback(
        state.cryptos[tenant.key], tenant, message, str(int(now.timestamp()))
    )
    result = await deliver(
        app[SIM_HTTP],
        url,
        envelope,
        timeout=state.config.callback_timeout,
        attempts=state.config.callback_attempts,
    )
    return message, result
