"""Helpers for the order tests: the bot on a frozen Monday, the tenant on a plan with the
orders module, named colleagues, customers, and the payment-reminder sweep."""

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
from bot.orders.reminders import PaymentReminderSweep
from bot.subscription.plan import Plan

WITH_ORDERS = Plan("standard", 10, "month", modules=frozenset({"orders"}))


@asynccontextmanager
async def order_chat(
    settings: Settings, clock: FrozenClock, plan: Plan | None = WITH_ORDERS
) -> AsyncIterator[Chat]:
    """A chat whose tenant (acme) has ``plan`` (None: the default trial, without orders)."""
    async with frozen_chat(settings, clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        if plan is not None:
            # A long paid term: the tests move the clock past due dates weeks ahead.
            await subscribe(billing, 1, date(2026, 11, 1), date(2027, 3, 1), plan)
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        yield chat
        await chat.embedded.runtime.tasks.drain()


def reminder_sweep(chat: Chat, clock: FrozenClock) -> PaymentReminderSweep:
    runtime = chat.embedded.runtime
    assert runtime.sender is not None
    return PaymentReminderSweep(runtime.tenants, runtime.sender, clock)


async def sweep(chat: Chat, clock: FrozenClock) -> None:
    """One reminder sweep at the clock's time; what it sent is in ``chat.sent_to``."""
    since = await chat.sim.sent_count()
    await reminder_sweep(chat, clock).run()
    await chat.settle(since)
