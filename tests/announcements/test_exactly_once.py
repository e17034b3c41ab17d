"""Exactly one card per (announcement, recipient): two replicas sweeping at once, a sweep
retried after a crash, and a revoke between publishing and the sweep. Run on SQLite and on
PostgreSQL (SCRM_TEST_DATABASE=postgres)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from support.announcements import Provider, cards_to, provider_chat

from bot.announcements.delivery import AnnouncementSweep
from bot.clock import FrozenClock
from models.announcements import Announcement, AnnouncementDelivery, AnnouncementStatus
from models.outbox import OutboxMessage
from models.tenants import Employee, Role

pytestmark = pytest.mark.db

MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ADMINS = ("zhangsan", "zhaoliu", "qianqi")


@pytest.fixture
async def provider(database: str, clock: FrozenClock) -> AsyncIterator[Provider]:
    async with provider_chat(database, clock) as opened:
        acme = await opened.embedded.runtime.tenants.get("acme")
        assert acme is not None
        # A second admin of acme, made admin in chat rather than in config.
        await Employee.create(
            tenant_id=acme.id,
            userid="qianqi",
            name="钱七",
            role=Role.ADMIN,
            first_seen_at=MONDAY_10AM,
            last_seen_at=MONDAY_10AM,
        )
        yield opened


async def published(provider: Provider) -> Announcement:
    await provider.vendor.say("wangfang", "新公告 标题：4.2 版上线 内容：工单支持批量派单。")
    await provider.vendor.say("wangfang", "发布公告 1")
    return await Announcement.get(id=1)


def replica(provider: Provider, clock: FrozenClock) -> AnnouncementSweep:
    return provider.sweep(clock)


async def test_two_replicas_sweeping_at_once_send_each_card_once(
    provider: Provider, clock: FrozenClock
) -> None:
    await published(provider)
    since = await provider.acme.sim.sent_count()
    claimed = await asyncio.gather(replica(provider, clock).run(), replica(provider, clock).run())
    assert sum(claimed) == len(ADMINS)
    sent = await provider.acme.settle(since)
    assert sorted(u for u in ADMINS for _ in cards_to(sent, u)) == sorted(ADMINS)
    rows = await AnnouncementDelivery.all().values_list("recipient", flat=True)
    assert sorted(rows) == sorted(ADMINS)
    assert await OutboxMessage.filter(idempotency_key__startswith="announcement:").count() == 3


async def test_claims_racing_on_the_same_recipient_let_one_win(
    provider: Provider, clock: FrozenClock
) -> None:
    """Both sweeps already read "nobody has it yet"; the unique row decides."""
    announcement = await published(provider)
    first, second = replica(provider, clock), replica(provider, clock)
    acme = await provider.embedded.runtime.tenants.get("acme")
    assert acme is not None
    won = await asyncio.gather(
        *(
            sweep._claim(announcement, acme.id, "zhangsan", MONDAY_10AM)  # noqa: SLF001
            for sweep in (first, second, first)
        )
    )
    assert sorted(len(rows) for rows in won) == [0, 0, 1]
    assert await AnnouncementDelivery.filter(recipient="zhangsan").count() == 1


async def test_a_sweep_retried_after_a_crash_sends_nothing_twice(
    provider: Provider, clock: FrozenClock
) -> None:
    await published(provider)
    await replica(provider, clock).run()
    # The replica died before marking the announcement delivered: the next sweep redoes it.
    await Announcement.filter(id=1).update(delivered=False)
    since = await provider.acme.sim.sent_count()
    assert await replica(provider, clock).run() == 0
    assert await provider.acme.settle(since) == []
    assert await AnnouncementDelivery.all().count() == len(ADMINS)


async def test_nothing_goes_out_after_a_revoke(provider: Provider, clock: FrozenClock) -> None:
    announcement = await published(provider)
    await provider.vendor.say("wangfang", "撤回公告 1")
    since = await provider.acme.sim.sent_count()
    assert await replica(provider, clock).run() == 0
    acme = await provider.embedded.runtime.tenants.get("acme")
    assert acme is not None
    sweep = replica(provider, clock)
    assert await sweep.deliver(announcement, MONDAY_10AM) == 0  # a sweep that read it earlier
    assert await provider.acme.settle(since) == []
    assert await AnnouncementDelivery.all().count() == 0
    assert (await Announcement.get(id=1)).status is AnnouncementStatus.REVOKED


async def test_a_revoke_withdraws_cards_still_waiting_in_the_outbox(
    provider: Provider, clock: FrozenClock
) -> None:
    announcement = await published(provider)
    acme = await provider.embedded.runtime.tenants.get("acme")
    assert acme is not None
    # Claimed and queued, not sent yet (the sweep is still queuing for other tenants).
    sweep = replica(provider, clock)
    queued = await sweep._claim(announcement, acme.id, "zhangsan", MONDAY_10AM)  # noqa: SLF001
    [reply] = await provider.vendor.say("wangfang", "撤回公告 1")
    assert reply == (
        "已撤回公告 #1「4.2 版上线」。还没送出的 1 张卡片不再发送。"
        "已经送出的卡片收不回，成员发送「公告」也不会再看到它。"
    )
    assert await OutboxMessage.filter(idempotency_key__startswith="announcement:").count() == 0
    since = await provider.acme.sim.sent_count()
    await sweep.send_live(queued)  # the sweep goes on to send what it queued
    assert await provider.acme.settle(since) == []
