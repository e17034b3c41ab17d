"""Helpers for the 微信客服 tests: customers chatting through the simulator on a clock that
bot and simulator share, and what the bot sent back on the kf APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import aiohttp

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import Settings
from bot.embedded import Embedded, run_embedded
from bot.wecom_sim.control import SimulatorControl

KFID = "wkKF0000000001"
CUSTOMER = "wmCUSTOMER000000000000000000001"
KF_APIS = ("kf/send_msg", "kf/send_msg_on_event", "kf/service_state/trans")


def kf_text(record: dict[str, Any]) -> str:
    """What the customer reads: a text, or a menu as its head and items."""
    body = record["body"]
    if body["msgtype"] == "text":
        return str(body["text"]["content"])
    menu = body["msgmenu"]
    items = [item["click"]["content"] for item in menu.get("list", [])]
    return "\n".join([menu["head_content"], *items])


@dataclass
class KfChat:
    embedded: Embedded
    sim: SimulatorControl
    clock: FrozenClock
    customer: str = CUSTOMER
    last: list[dict[str, Any]] | None = None

    async def settle(self, since: int) -> list[dict[str, Any]]:
        await self.embedded.runtime.tasks.drain()
        self.last = [r for r in await self.sim.sent(since=since) if r["api"] in KF_APIS]
        return self.last

    async def says(self, text: str, menu_id: str = "") -> list[dict[str, Any]]:
        since = await self.sim.sent_count()
        answer = await self.sim.kf_say("acme", KFID, self.customer, text, menu_id)
        assert answer["status"] == 200
        return await self.settle(since)

    async def session_ends(self, servicer: str = "lisi", **extra: Any) -> list[dict[str, Any]]:
        since = await self.sim.sent_count()
        await self.sim.kf_end_session(
            "acme", KFID, self.customer, servicer_userid=servicer, **extra
        )
        return await self.settle(since)

    async def sweep_outbox(self) -> list[dict[str, Any]]:
        """Send what sweeps and alerts queued for any sender; returns every record sent."""
        since = await self.sim.sent_count()
        assert self.embedded.runtime.sender is not None
        await self.embedded.runtime.sender.sweep()
        return await self.sim.sent(since=since)


@asynccontextmanager
async def kf_chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[KfChat]:
    settings = replace(settings, wecom=replace(settings.wecom, replay_window_seconds=0))
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    async with (
        run_embedded(settings, options, simulator_clock=clock) as embedded,
        aiohttp.ClientSession() as session,
    ):
        yield KfChat(embedded, SimulatorControl(session, embedded.simulator_url), clock)
