"""The pacers with ``[redis] url``: one count for every replica in Redis, and the database (or
memory) again when Redis does not answer. Needs the Redis of ``SCRM_TEST_REDIS_URL`` (default
127.0.0.1:6379, db 15); deselected where there is none, required in CI."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from conftest import TEST_CONFIG
from redis.asyncio import Redis

from bot.clock import FrozenClock
from bot.config import ConfigError, parse_settings
from bot.pacing import Pacer, RedisWindow, use_redis
from bot.tenants import TenantInfo

REDIS_URL = os.environ.get("SCRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis_clients() -> AsyncIterator[tuple[Redis, Redis]]:
    """Two connections, as two replicas would have."""
    clients = (Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL))
    try:
        yield clients
    finally:
        for client in clients:
            await client.aclose()


@pytest.mark.redis
async def test_two_replicas_counting_in_redis_share_one_minute(
    redis_clients: tuple[Redis, Redis], clock: FrozenClock
) -> None:
    windows = [RedisWindow(client, 30) for client in redis_clients]
    slot = f"member:app:test:{uuid.uuid4().hex}"  # this run's own key
    now = clock.now()
    answers = await asyncio.gather(*(windows[n % 2].reserve(slot, now) for n in range(80)))
    assert answers.count(None) == 30
    assert set(answers) - {None} == {now + timedelta(minutes=1)}  # when the oldest leaves
    later = now + timedelta(minutes=1)
    assert await windows[0].reserve(slot, later) is None  # the minute has passed
    assert await redis_clients[0].pttl(f"scrm:pacer:{slot}") > 0  # nothing kept for ever


@pytest.mark.redis
async def test_the_outbox_pacer_counts_in_redis_when_configured(
    redis_clients: tuple[Redis, Redis], tenant: TenantInfo, clock: FrozenClock
) -> None:
    member = f"user-{uuid.uuid4().hex[:8]}"
    use_redis(redis_clients[0])
    try:
        now = clock.now()
        first, second = Pacer("member:app", 2), Pacer("member:app", 2)  # two replicas' pacers
        assert await first.reserve(tenant.id, member, now) is None
        assert await second.reserve(tenant.id, member, now) is None
        assert await first.reserve(tenant.id, member, now) == now + timedelta(minutes=1)
        stored = await redis_clients[1].zcard(f"scrm:pacer:member:app:{tenant.id}:{member}")
        assert stored == 2
    finally:
        use_redis(None)


async def test_a_redis_that_does_not_answer_falls_back_and_says_so(
    tenant: TenantInfo, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    silent = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    use_redis(silent)
    try:
        pacer = Pacer("member:app", 1)
        now = clock.now()
        with caplog.at_level(logging.WARNING, logger="bot.pacing"):
            assert await pacer.reserve(tenant.id, "zhangsan", now) is None
            assert await pacer.reserve(tenant.id, "zhangsan", now) == now + timedelta(minutes=1)
        assert "redis pacer unavailable" in caplog.text
    finally:
        use_redis(None)
        await silent.aclose()


def test_the_redis_url_is_optional_and_checked() -> None:
    assert parse_settings(TEST_CONFIG).redis.url == ""
    settings = parse_settings(dict(TEST_CONFIG, redis={"url": "redis://cache:6379/0"}))
    assert settings.redis.url == "redis://cache:6379/0"
    assert "cache" not in repr(settings)  # a URL may carry a password
    with pytest.raises(ConfigError, match=r"redis\.url"):
        parse_settings(dict(TEST_CONFIG, redis={"url": "http://cache:6379"}))
    from_env = parse_settings(TEST_CONFIG, {"SCRM_REDIS_URL": "redis://env:6379/1"})
    assert from_env.redis.url == "redis://env:6379/1"
