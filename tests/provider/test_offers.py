"""Value-based offers, through the simulator: the provider's operator wangfang (tenant vendor)
offers 星辰科技 (admin zhaoliu, in Los Angeles) and 艾克米科技 (admin zhangsan, in Shanghai) a
discounted change; the admins get a card once, accept it as an order at the discounted price,
or let it expire on the last day of their own calendar. Monday 2026-11-30 12:00 in Los Angeles
is already Tuesday 2026-12-01 04:00 in Shanghai."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from support.announcements import AFTERSALES, PROVIDER, STANDARD, cards_to
from support.billing import subscribe
from support.crm import Chat

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import parse_settings
from bot.embedded import Embedded, run_embedded
from bot.wecom_sim.control_directory import DirectorySimControl
from models.outbox import OutboxMessage
from models.provider import OfferStatus, ProviderOffer
from models.subscriptions import Order, OrderLine, OrderStatus
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.db

NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


class Offers:
    def __init__(self, embedded: Embedded, sim: DirectorySimControl) -> None:
        self.embedded = embedded
        self.vendor = Chat(embedded, sim, "vendor")
        self.acme = Chat(embedded, sim, "acme")
        self.star = Chat(embedded, sim, "other")

    async def deliver(self) -> list[dict[str, Any]]:
        """What the scheduler's outbox sweep sends: the cards for the client's admins."""
        since = await self.star.sim.sent_count()
        sender = self.embedded.runtime.sender
        assert sender is not None
        await sender.sweep()
        return await self.star.settle(since)


@asynccontextmanager
async def offers_chat(database: str, clock: FrozenClock) -> AsyncIterator[Offers]:
    tenants = [dict(t) for t in TEST_CONFIG["tenants"]]
    tenants[1] = {
        **tenants[1],
        "name": "星辰科技",
        "admins": ["zhaoliu"],
        "timezone": "America/Los_Angeles",
    }
    raw: dict[str, Any] = {
        "tenants": [*tenants, PROVIDER],
        "database": {"url": database},
        "subscription": {"operators": ["vendor:wangfang"]},
    }
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    running = run_embedded(parse_settings(raw), options, simulator_clock=clock)
    async with running as embedded, aiohttp.ClientSession() as session:
        billing = embedded.runtime.billing
        assert billing is not None
        for key, plan in (("acme", AFTERSALES), ("other", STANDARD)):
            info = await embedded.runtime.tenants.get(key)
            assert info is not None
            await subscribe(billing, info.id, date(2026, 11, 1), date(2026, 12, 1), plan)
        yield Offers(embedded, DirectorySimControl(session, embedded.simulator_url))
        await embedded.runtime.tasks.drain()


@pytest.fixture
async def chat(database: str, clock: FrozenClock) -> AsyncIterator[Offers]:
    async with offers_chat(database, clock) as opened:
        yield opened


async def test_probe(chat: Offers) -> None:
    r = await chat.vendor.say("wangfang", "给星辰科技优惠 升级售后服务版 8折 有效期至月底")
    print(r)
    sent = await chat.deliver()
    print(cards_to(sent, "zhaoliu"))
    print(await chat.star.say("zhaoliu", "接受优惠 1"))
    print(await chat.vendor.say("wangfang", "优惠列表"))
    assert False
