"""Helpers for the installation tests: the bot on a frozen Monday (2026-11-23 10:00 in
Shanghai), the tenant on a plan with the installation module, installers and a customer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from support.billing import subscribe
from support.crm import Chat
from support.followups import frozen_chat
from support.tickets import STAFF, colleague

from bot.clock import FrozenClock
from bot.config import Settings
from bot.installation.alerts import InstallAlertSweep
from bot.installation.media import MediaKeeper
from bot.installation.photo_store import photo_store
from bot.installation.photos import PhotoSweep
from bot.installation.reminders import InstallReminderSweep
from bot.subscription.plan import Plan

WITH_INSTALLATION = Plan("standard", 10, "month", modules=frozenset({"installation", "orders"}))
INSTALLERS = (("wangsf", "王师傅"), ("liusf", "刘师傅"))


@asynccontextmanager
async def install_chat(
    settings: Settings, clock: FrozenClock, plan: Plan | None = WITH_INSTALLATION
) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        if plan is not None:
            await subscribe(billing, 1, date(2026, 11, 1), date(2027, 3, 1), plan)
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        for userid, name in INSTALLERS:
            await colleague(userid, name)
        yield chat
        await chat.embedded.runtime.tasks.drain()


def reminder_sweep(chat: Chat, clock: FrozenClock) -> InstallReminderSweep:
    runtime = chat.embedded.runtime
    assert runtime.sender is not None
    base_url = runtime.settings.server.public_base_url
    return InstallReminderSweep(runtime.tenants, runtime.sender, clock, base_url)


async def sweep(chat: Chat, clock: FrozenClock) -> int:
    """One reminder sweep at the clock's time; what it sent is in ``chat.sent_to``."""
    since = await chat.sim.sent_count()
    sent = await reminder_sweep(chat, clock).run()
    await chat.settle(since)
    return sent


def photo_sweep(chat: Chat, clock: FrozenClock) -> PhotoSweep:
    runtime = chat.embedded.runtime
    assert runtime.sender is not None and runtime.client is not None
    keeper = MediaKeeper(runtime.client, photo_store(runtime.settings, clock))
    return PhotoSweep(runtime.tenants, keeper, runtime.sender, clock)


async def sweep_photos(chat: Chat, clock: FrozenClock) -> int:
    """One run of the photo sweep, with what it sent delivered: how many photos it stored."""
    since = await chat.sim.sent_count()
    stored = await photo_sweep(chat, clock).run()
    await chat.settle(since)
    return stored


def alert_sweep(chat: Chat, clock: FrozenClock) -> InstallAlertSweep:
    runtime = chat.embedded.runtime
    assert runtime.sender is not None
    return InstallAlertSweep(runtime.tenants, runtime.sender, clock)


async def alerts(chat: Chat, clock: FrozenClock) -> int:
    """One alert sweep at the clock's time; what it sent is in ``chat.sent_to``."""
    since = await chat.sim.sent_count()
    sent = await alert_sweep(chat, clock).run()
    await chat.settle(since)
    return sent
