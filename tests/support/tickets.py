"""Helpers for the work-order tests: the bot on a frozen Monday, the tenant on a plan with
work orders, named colleagues, and the SLA sweep."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date
from typing import Any

from support.billing import subscribe
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from bot.tickets.settings import TicketSettings
from bot.tickets.sweep import SlaSweep
from models.tenants import Employee, Role

AFTERSALES = Plan(edition="aftersales", seats=10, period="month")


@asynccontextmanager
async def ticket_chat(
    settings: Settings,
    clock: FrozenClock,
    plan: Plan | None = AFTERSALES,
    tickets: TicketSettings | None = None,
) -> AsyncIterator[Chat]:
    """A chat whose tenant (acme) has ``plan`` (None: the default trial, without tickets)."""
    if tickets is not None:
        settings = replace(settings, tickets=tickets)
    async with frozen_chat(settings, clock) as chat:
        billing = chat.embedded.runtime.billing
        assert billing is not None
        if plan is not None:
            await subscribe(billing, 1, date(2026, 11, 1), date(2026, 12, 1), plan)
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        yield chat
        await chat.embedded.runtime.tasks.drain()


STAFF = (
    ("zhangsan", "张三丰", Role.ADMIN),
    ("lisi", "李四", Role.MEMBER),
    ("wangwu", "王五", Role.MEMBER),
    ("zhaoliu", "赵六", Role.DISPATCHER),
)


async def colleague(userid: str, name: str, role: Role = Role.MEMBER) -> Employee:
    employee, _ = await Employee.update_or_create(
        defaults={
            "name": name,
            "role": role,
            "first_seen_at": MONDAY_10AM,
            "last_seen_at": MONDAY_10AM,
        },
        tenant_id=1,
        userid=userid,
    )
    return employee


async def sweep(chat: Chat, clock: FrozenClock) -> list[dict[str, Any]]:
    runtime = chat.embedded.runtime
    assert runtime.sender is not None
    since = await chat.sim.sent_count()
    await SlaSweep(runtime.tenants, runtime.sender, clock, runtime.settings.tickets).run()
    return await chat.settle(since)
