"""Helpers for the people tests: a fresh tenant on a plan with work orders, whose address book
lives in the simulator, and the sync run the way the scheduler runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date

from support.billing import subscribe
from support.crm import Chat
from support.followups import frozen_chat
from support.tickets import AFTERSALES

from bot.clock import FrozenClock
from bot.config import Settings
from bot.people.sync import Pacer, SyncReport, sync_directory

SALES, SERVICE = 2, 3


@asynccontextmanager
async def people_chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    """Nobody but the configured admin (zhangsan) has talked to the bot; the address book
    has a sales and an after-sales department."""
    async with frozen_chat(settings, clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        await subscribe(billing, 1, date(2026, 11, 1), date(2026, 12, 1), AFTERSALES)
        await chat.sim.put_department("acme", SALES, "销售部")
        await chat.sim.put_department("acme", SERVICE, "售后部")
        yield chat
        await chat.embedded.runtime.tasks.drain()


async def book(chat: Chat, people: Sequence[tuple[str, str, int]]) -> None:
    for userid, name, department in people:
        await chat.sim.put_person("acme", userid, name, [department])


async def sync(chat: Chat) -> SyncReport:
    runtime = chat.embedded.runtime
    assert runtime.client is not None
    tenant = await runtime.tenants.get("acme")
    assert tenant is not None
    return await sync_directory(runtime.client, tenant, runtime.options.clock, pacer=Pacer(0))
