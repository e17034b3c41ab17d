"""Helpers for the support-request tests: a client tenant (acme) and the provider's own
tenant (other, where the operator wangfang sits), both on one frozen Monday 10:00."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from support.billing import subscribe, with_operators
from support.crm import Chat, open_chat
from support.followups import frozen_chat
from support.tickets import STAFF, colleague

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.tenants import Employee, Role, Tenant

OPERATOR = "wangfang"
DESK_KEY = "other"
WITH_TICKETS = Plan("standard", 10, "month", modules=frozenset({"tickets"}))
WITHOUT_TICKETS = Plan("standard", 10, "month")


@dataclass
class Both:
    client: Chat  # acme: zhangsan (admin), lisi, wangwu
    desk: Chat  # other: the provider, wangfang is its operator

    async def deliver(self) -> None:
        """Send the rows written for another tenant (the outbox sweep's job in production)."""
        sender = self.client.embedded.runtime.sender
        assert sender is not None
        await sender.sweep_all()

    async def client_says(self, user: str, text: str) -> list[str]:
        return await self._say(self.client, user, text)

    async def desk_says(self, user: str, text: str) -> list[str]:
        return await self._say(self.desk, user, text)

    async def _say(self, chat: Chat, user: str, text: str) -> list[str]:
        answer = await chat.say(user, text)
        since = await chat.sim.sent_count()
        await self.deliver()
        await self.client.settle(since)
        self.desk.last = self.client.last
        return answer

    def client_got(self, user: str) -> list[str]:
        return self.client.sent_to(user)

    def desk_got(self, user: str = OPERATOR) -> list[str]:
        return self.desk.sent_to(user)


def operators(settings: Settings, more: tuple[str, ...] = ()) -> Settings:
    return with_operators(settings, f"{DESK_KEY}:{OPERATOR}", *more)


@asynccontextmanager
async def support_chat(
    settings: Settings,
    clock: FrozenClock,
    desk_plan: Plan = WITH_TICKETS,
    more_operators: tuple[str, ...] = (),
) -> AsyncIterator[Both]:
    async with frozen_chat(operators(settings, more_operators), clock) as client:
        billing = client.embedded.runtime.billing
        assert billing is not None
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        desk_tenant = await Tenant.get(key=DESK_KEY)
        await subscribe(billing, desk_tenant.id, date(2026, 11, 1), date(2027, 3, 1), desk_plan)
        for userid, name in ((OPERATOR, "王芳"), ("liuyang", "刘洋")):
            await Employee.create(
                tenant_id=desk_tenant.id,
                userid=userid,
                name=name,
                role=Role.ADMIN,
                first_seen_at=clock.now(),
                last_seen_at=clock.now(),
            )
        async with open_chat(client.embedded, DESK_KEY) as desk:
            yield Both(client, desk)
        await client.embedded.runtime.tasks.drain()
