"""Helpers for the call tests: the bot on a frozen Monday with the callcenter module, named
colleagues and customers with phones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from support.billing import subscribe
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat
from support.tickets import STAFF, colleague

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
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
