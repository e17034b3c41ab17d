"""Helpers for the announcement tests: a provider tenant (服务商, operator wangfang) next to
two client enterprises, acme (艾克米科技, admin zhangsan) and other (别家公司, admin zhaoliu),
the bot and simulator on a frozen clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import aiohttp
from support.billing import subscribe
from support.crm import Chat

from bot.announcements.delivery import AnnouncementSweep
from bot.app import Options
from bot.clock import FrozenClock
from bot.config import Settings, parse_settings
from bot.embedded import Embedded, run_embedded
from bot.subscription.plan import Plan
from bot.wecom_sim.control_directory import DirectorySimControl
from tests.conftest import TEST_CONFIG

PROVIDER = {
    "key": "vendor",
    "corp_id": "wwvendor000000001",
    "name": "服务商",
    "app": {
        "agent_id": 1000009,
        "secret": "vendor-secret",
        "token": "vendortoken",
        "encoding_aes_key": "Rb/oNXpmWDHVuAEVCy7Q2njX/ZxW3pF+1uLuVodQm6c",
    },
}
AFTERSALES = Plan("aftersales", 10, "month")
STANDARD = Plan("standard", 10, "month", modules=frozenset({"callcenter"}))


def provider_settings(database: str) -> Settings:
    tenants = [dict(t) for t in TEST_CONFIG["tenants"]]
    tenants[1] = {**tenants[1], "admins": ["zhaoliu"]}
    raw: dict[str, Any] = {
        "tenants": [*tenants, PROVIDER],
        "database": {"url": database},
        "subscription": {"operators": ["vendor:wangfang"]},
    }
    return parse_settings(raw)


@dataclass
class Provider:
    embedded: Embedded
    vendor: Chat  # the operator's tenant
    acme: Chat
    other: Chat

    def sweep(self, clock: FrozenClock) -> AnnouncementSweep:
        runtime = self.embedded.runtime
        assert runtime.sender is not None and runtime.billing is not None
        return AnnouncementSweep(
            runtime.tenants, runtime.sender, runtime.billing, clock, ("vendor",)
        )

    async def run_sweep(self, clock: FrozenClock) -> list[dict[str, Any]]:
        """One sweep, then what reached WeCom's message/send (any tenant)."""
        since = await self.acme.sim.sent_count()
        await self.sweep(clock).run()
        return await self.acme.settle(since)


@asynccontextmanager
async def provider_chat(database: str, clock: FrozenClock) -> AsyncIterator[Provider]:
    """acme on 售后服务版, other on 标准版 with 呼叫中心, both paid until March."""
    settings = provider_settings(database)
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    running = run_embedded(settings, options, simulator_clock=clock)
    async with running as embedded, aiohttp.ClientSession() as session:
        sim = DirectorySimControl(session, embedded.simulator_url)
        billing = embedded.runtime.billing
        assert billing is not None
        tenants = embedded.runtime.tenants
        for key, plan in (("acme", AFTERSALES), ("other", STANDARD)):
            info = await tenants.get(key)
            assert info is not None
            await subscribe(billing, info.id, date(2026, 11, 1), date(2027, 3, 1), plan)
        yield Provider(
            embedded,
            Chat(embedded, sim, "vendor"),
            Chat(embedded, sim, "acme"),
            Chat(embedded, sim, "other"),
        )
        await embedded.runtime.tasks.drain()


def cards_to(records: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    return [
        r["body"]["template_card"]
        for r in records
        if r["body"].get("msgtype") == "template_card"
        and user in str(r["body"].get("touser", "")).split("|")
    ]


async def press_ack(chat: Chat, user: str, announcement_id: int, task: str) -> list[str]:
    await chat.event(
        {
            "Event": "template_card_event",
            "FromUserName": user,
            "EventKey": f"announcement:ack:{announcement_id}",
            "TaskId": task,
            "CardType": "button_interaction",
            "ResponseCode": f"code-{task}",
        }
    )
    return chat.sent_to(user)
