"""Helpers for the group bot tests: a tenant with a group bot and webhook robot, and the bot
with the simulator on one frozen clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import aiohttp

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import AibotSettings, Settings
from bot.dispatch.router import Router
from bot.embedded import Embedded, run_embedded
from bot.wecom_sim.control import SimulatorControl

AIBOT_TOKEN = "aibottoken"
AIBOT_AES_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
WEBHOOK_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
BOT_NAME = "小助手"
GROUP = "wrkSFfCgAAtMQKg4xqDatM5C9IfaKQ"


def with_aibot(settings: Settings, tenant_key: str = "acme") -> Settings:
    """``settings`` with a group bot, an admin group chat and a webhook robot for one tenant."""
    aibot = AibotSettings(
        token=AIBOT_TOKEN,
        encoding_aes_key=AIBOT_AES_KEY,
        bot_id="aibAcme0001",
        name=BOT_NAME,
        admin_chat_id="wradmins01",
        webhook_key=WEBHOOK_KEY,
    )
    tenants = tuple(replace(t, aibot=aibot) if t.key == tenant_key else t for t in settings.tenants)
    return replace(settings, tenants=tenants)


@dataclass
class GroupBot:
    embedded: Embedded
    wecom: SimulatorControl
    clock: FrozenClock

    async def settle(self) -> None:
        await self.embedded.runtime.tasks.drain()

    async def sent(self, api: str) -> list[dict[str, object]]:
        return [record for record in await self.wecom.sent() if record["api"] == api]


@asynccontextmanager
async def group_bot(
    settings: Settings,
    clock: FrozenClock,
    *,
    routers: Sequence[Router] | None = None,
    reply_seconds: float = 2.0,
) -> AsyncIterator[GroupBot]:
    wecom = replace(settings.wecom, passive_reply_seconds=reply_seconds)
    options = Options(clock=clock, manage_database=False, run_scheduler=False, routers=routers)
    running = run_embedded(replace(settings, wecom=wecom), options, simulator_clock=clock)
    async with running as embedded, aiohttp.ClientSession() as session:
        yield GroupBot(embedded, SimulatorControl(session, embedded.simulator_url), clock)
