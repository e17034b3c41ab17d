"""Helpers for the follow-up tests: the bot and simulator on a frozen clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from support.crm import Chat, open_chat

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import Settings
from bot.embedded import run_embedded
from bot.followups.reminders import ReminderSweep
from models.crm.customers import Customer

MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Monday


@asynccontextmanager
async def frozen_chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    """Bot and simulator on one clock: the simulator stamps callbacks with the test's time."""
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    running = run_embedded(settings, options, simulator_clock=clock)
    async with running as embedded, open_chat(embedded) as chat:
        yield chat


def sweep_of(chat: Chat, clock: FrozenClock) -> ReminderSweep:
    runtime = chat.embedded.runtime
    assert runtime.sender is not None
    return ReminderSweep(runtime.tenants, runtime.sender, clock)


async def add_customer(name: str, company: str = "", tenant_id: int = 1) -> Customer:
    return await Customer.create(
        tenant_id=tenant_id,
        name=name,
        company=company,
        created_at=MONDAY_10AM,
        updated_at=MONDAY_10AM,
    )


async def sweep_once(chat: Chat, clock: FrozenClock) -> list[str]:
    """What one reminder sweep at the clock's time sent to lisi, as the chat reads it."""
    since = await chat.sim.sent_count()
    await sweep_of(chat, clock).run()
    await chat.settle(since)
    return chat.sent_to("lisi")
