"""The pacers behind the outbox: a minute's sends per key, counted before they leave."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.pacing import Pacer, purge_sends
from bot.tenants import TenantInfo
from models.pacing import PacerSend

SHARED = os.environ.get("SCRM_TEST_DATABASE", "sqlite") == "postgres"


async def test_the_31st_send_in_a_minute_is_told_when_it_may_go(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    pacer = Pacer("member:app", 30)
    now = clock.now()
    answers = [await pacer.reserve(tenant.id, "zhangsan", now) for _ in range(31)]
    assert answers == [None] * 30 + [now + timedelta(minutes=1)]
    assert await pacer.reserve(tenant.id, "lisi", now) is None  # another member: own count
    assert await pacer.reserve(tenant.id, "zhangsan", now + timedelta(minutes=1)) is None


@pytest.mark.xfail(
    not SHARED,
    strict=True,
    reason="SQLite serves one process, so its pacers count in that process's memory",
)
async def test_pacers_of_two_replicas_share_one_count(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    replicas = [Pacer("member:app", 30), Pacer("member:app", 30)]
    now = clock.now()
    answers = await asyncio.gather(
        *(replicas[n % 2].reserve(tenant.id, "zhangsan", now) for n in range(80))
    )
    assert answers.count(None) == 30
    assert await PacerSend.all().count() == 30
    clock.advance(timedelta(minutes=2))
    assert await purge_sends(clock.now()) == 30
