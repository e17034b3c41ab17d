"""``POST /calls/{tenant_key}``: call events from a cloud call center or a work phone.

The platform signs each request with the tenant's secret (``scrm-bot calls secret TENANT``):
``X-Scrm-Signature`` is the hex HMAC-SHA256 of ``{X-Scrm-Timestamp}.{body}``, and the
timestamp (Unix seconds) must be within ``WINDOW_SECONDS`` of now, so a captured request
cannot be replayed later. ``ringing``, ``answered`` and ``ended`` for one ``call_id`` update
one call; the same event twice changes nothing. A ringing inbound call pops the caller's
card to the agent at once.

Answers: 200 ``{"ok": true, "call": id}``; 400 a body that is not a call event (the field is
named); 401 a bad or stale signature; 403 a tenant whose plan lacks the call center; 404 an
unknown tenant or one without a secret; 413 a body over ``MAX_BODY``. Never an internal
error text.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging

from aiohttp import web

from bot.calls.effects import after_save
from bot.calls.hook_body import BadEvent, HookEvent, read_event
from bot.calls.numbers import match_number
from bot.calls.store import CallIn, save_call, settings_of
from bot.capability import Basics
from bot.http_limits import BODY_SECONDS
from bot.tenants import TenantInfo
from models.calls import CallSource
from models.tenants import Employee

logger = logging.getLogger(__name__)

MODULE = "callcenter"
WINDOW_SECONDS = 300
MAX_BODY = 16 * 1024
SIGNATURE, TIMESTAMP = "X-Scrm-Signature", "X-Scrm-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _refuse(status: int, error: str) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status)


class CallWebhook:
    def __init__(self, basics: Basics) -> None:
        self._basics = basics

    async def receive(self, request: web.Request) -> web.Response:
        tenant = await self._basics.tenants.get(request.match_info["tenant_key"])
        settings = await settings_of(tenant.id) if tenant else None
        if tenant is None or settings is None or not settings.webhook_secret:
            return _refuse(404, "unknown tenant")
        if (request.content_length or 0) > MAX_BODY:
            return _refuse(413, "body too large")
        try:
            body = await asyncio.wait_for(request.content.read(MAX_BODY + 1), BODY_SECONDS)
        except TimeoutError:
            return _refuse(408, "body too slow")
        if len(body) > MAX_BODY:
            return _refuse(413, "body too large")
        if not self._signed(request, body, settings.webhook_secret):
            return _refuse(401, "bad signature")
        if not await self._entitled(tenant):
            return _refuse(403, "the call center module is not enabled")
        try:
            event = read_event(body)
        except BadEvent as exc:
            return _refuse(400, str(exc))
        call_id = await self._apply(tenant, event)
        return web.json_response({"ok": True, "call": call_id})

    async def _entitled(self, tenant: TenantInfo) -> bool:
        services = self._basics.services()
        if services is None:  # still starting: the platform retries
            return False
        return await services.billing.grants(tenant.id, tenant.timezone, MODULE)

    def _signed(self, request: web.Request, body: bytes, secret: str) -> bool:
        stamp = request.headers.get(TIMESTAMP, "")
        given = request.headers.get(SIGNATURE, "")
        if not stamp.isdigit() or len(stamp) > 12:
            return False
        now = self._basics.clock.now().timestamp()
        if abs(now - int(stamp)) > WINDOW_SECONDS:
            return False
        return hmac.compare_digest(sign(secret, stamp, body), given.lower())

    async def _apply(self, tenant: TenantInfo, event: HookEvent) -> int:
        now = self._basics.clock.now()
        settings = await settings_of(tenant.id)
        match = await match_number(tenant.id, event.number, list(settings.own_numbers))
        agent = None
        if event.agent:
            agent = await Employee.get_or_none(tenant_id=tenant.id, userid=event.agent)
        customer = match.customer
        call, _ = await save_call(
            CallIn(
                tenant_id=tenant.id,
                dedup_key=f"hook:{event.call_id}",
                source=CallSource.WEBHOOK,
                direction=event.direction,
                started_at=event.ring_at,
                number=event.number,
                line=event.line,
                employee_id=agent.id if agent else None,
                customer_id=customer.id if customer else None,
                answered_at=event.answer_at,
                ended_at=event.end_at,
                stage=event.stage,
                said=event.said,
                external_id=event.call_id,
                recording_url=event.recording_url,
            ),
            now,
            tenant.timezone,
        )
        rows = await after_save(call, match, settings, now, tenant.timezone)
        services = self._basics.services()
        if rows and services is not None:
            await services.sender.send_rows(rows)
        return int(call.id)


def add_call_routes(app: web.Application, basics: Basics) -> None:
    app.router.add_post("/calls/{tenant_key}", CallWebhook(basics).receive)
