"""Helpers for the call tests: the bot on a frozen Monday with the callcenter module, named
colleagues and customers with phones."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import aiohttp
from support.billing import subscribe
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat
from support.tickets import STAFF, colleague

from bot.calls.webhook import SIGNATURE, TIMESTAMP, sign
from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.calls import CallSettings
from models.crm.customers import Customer

WITH_CALLS = Plan("standard", 10, "month", modules=frozenset({"callcenter"}))


@asynccontextmanager
async def call_chat(
    settings: Settings, clock: FrozenClock, plan: Plan | None = WITH_CALLS
) -> AsyncIterator[Chat]:
    """A chat whose tenant (acme) has ``plan`` (None: the default trial, without calls)."""
    async with frozen_chat(settings, clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        if plan is not None:
            await subscribe(billing, 1, date(2026, 11, 1), date(2027, 3, 1), plan)
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        yield chat
        await chat.embedded.runtime.tasks.drain()


async def customer(
    name: str, phone: str = "", company: str = "", owner: int | None = None
) -> Customer:
    return await Customer.create(
        tenant_id=1,
        name=name,
        phone=phone,
        company=company,
        owner_id=owner,
        created_at=MONDAY_10AM,
        updated_at=MONDAY_10AM,
    )


SECRET = "s3cret-for-tests"


async def with_secret(secret: str = SECRET, own: tuple[str, ...] = ()) -> None:
    await CallSettings.update_or_create(
        defaults={"webhook_secret": secret, "own_numbers": list(own), "updated_at": MONDAY_10AM},
        tenant_id=1,
    )


async def post_event(
    chat: Chat,
    body: bytes | dict[str, Any],
    *,
    secret: str = SECRET,
    stamp: int | None = None,
    tenant: str = "acme",
) -> tuple[int, dict[str, Any]]:
    """POST a call event to the bot, signed as the platform signs it; (status, JSON answer)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    when = str(stamp if stamp is not None else int(MONDAY_10AM.timestamp()))
    headers = {TIMESTAMP: when, SIGNATURE: sign(secret, when, raw)}
    headers["Content-Type"] = "application/json"
    url = f"{chat.embedded.bot_url}/calls/{tenant}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=raw, headers=headers) as r,
    ):
        answer = await r.json(content_type=None)
    await chat.embedded.runtime.tasks.drain()
    return r.status, answer


def event(call_id: str, stage: str, **fields: Any) -> dict[str, Any]:
    """An inbound call from 138 0000 0000 to the tenant's line, agent lisi, ringing at 10:00."""
    return {
        "call_id": call_id,
        "event": stage,
        "direction": "in",
        "from": "+86 138-0000-0000",
        "to": "4008001234",
        "agent": "lisi",
        "ring_at": "2026-11-23T10:00:00+08:00",
        **fields,
    }


async def place_dial_call(chat: Chat, body: dict[str, Any], tenant: str = "acme") -> None:
    """A 公费电话 call in the simulator's WeCom (``connected: false`` hides it, as WeCom does)."""
    await _sim(chat, "POST", f"/_sim/dial/{tenant}/calls", body)


async def allow_dial(chat: Chat, allowed: bool, tenant: str = "acme") -> None:
    await _sim(chat, "PUT", f"/_sim/dial/{tenant}/permission", {"allowed": allowed})


async def _sim(chat: Chat, method: str, path: str, body: dict[str, Any]) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{chat.embedded.simulator_url}{path}"
        async with session.request(method, url, json=body) as answer:
            assert answer.status == 200, await answer.text()
