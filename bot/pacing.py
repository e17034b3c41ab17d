"""Rate limits that hold across replicas.

WeCom drops messages over its limits without an error (30 app messages a minute to one
member, 20 a minute through one webhook robot, about 10,000 calls a minute per corp and API),
so the outbox holds a message back instead of sending it. A pacer answers ``reserve``: None
when a send may go now (and it is counted at once, before it leaves, so two replicas asking
together cannot both take the last place), else the earliest instant it may.

Where the count lives, for every replica together:
- in Redis when ``[redis] url`` is set (``use_redis``): a sorted set of send times per slot,
  trimmed, counted and added to by one Lua script, so a reserve is one atomic round trip. A
  Redis that does not answer is logged and the count falls back to the next place: nothing
  but these counts is kept there.
- else on PostgreSQL in the database (``PacerSend``): each reserve locks its slot for the
  length of one short transaction (``pg_advisory_xact_lock``), drops the sends older than a
  minute, counts the rest and, if there is room, adds its own. Replicas take turns per slot,
  never across slots.
- else (SQLite: one process) in memory.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import deque
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError
from tortoise import connections
from tortoise.transactions import in_transaction

from models.pacing import PacerSend

WINDOW = timedelta(minutes=1)
logger = logging.getLogger(__name__)

# KEYS[1] the slot; ARGV: now (ms), the window (ms), the limit, a unique member. Returns -1
# when the send may go (and is counted), else when the oldest counted send leaves (ms).
_RESERVE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + tonumber(ARGV[2])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return -1
"""


class _Shared:
    """The process's Redis for pacing, once the app has connected it."""

    redis: Redis | None = None


def use_redis(client: Redis | None) -> None:
    """Count in this Redis from now on (None: back to the database or memory)."""
    _Shared.redis = client


class RedisWindow:
    """Sends per slot in the last minute, in Redis, for every process that uses it."""

    def __init__(self, client: Redis, per_minute: int) -> None:
        self._client = client
        self._per_minute = per_minute

    async def reserve(self, slot: str, now: datetime) -> datetime | None:
        ms = int(now.timestamp() * 1000)
        window = int(WINDOW.total_seconds() * 1000)
        member = f"{ms}:{uuid.uuid4().hex}"
        free_at = await self._client.eval(  # type: ignore[misc]
            _RESERVE, 1, f"scrm:pacer:{slot}", ms, window, self._per_minute, member
        )
        if int(free_at) < 0:
            return None
        return datetime.fromtimestamp(int(free_at) / 1000, UTC)


class MemoryWindow:
    """Sends per key in the last minute, in this process. Only keys with a send in the last
    minute are tracked."""

    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._sent: dict[str, deque[datetime]] = {}

    def reserve(self, slot: str, now: datetime) -> datetime | None:
        window = self._sent.get(slot)
        if window is not None:
            while window and window[0] <= now - WINDOW:
                window.popleft()
        if window and len(window) >= self._per_minute:
            return window[0] + WINDOW
        self._sent.setdefault(slot, deque()).append(now)
        return None

    def __len__(self) -> int:
        return sum(1 for window in self._sent.values() if window)


class Pacer:
    """At most ``per_minute`` sends a minute per key, for every replica together on
    PostgreSQL and for this process on SQLite. ``name`` keeps one limit's keys apart from
    another's."""

    def __init__(self, name: str, per_minute: int) -> None:
        self._name = name
        self._per_minute = per_minute
        self._memory = MemoryWindow(per_minute)
        self._shared: bool | None = None  # decided on first use, once the database is open

    async def reserve(self, tenant_id: int, key: str, now: datetime) -> datetime | None:
        slot = f"{self._name}:{tenant_id}:{key}"
        if _Shared.redis is not None:
            try:
                return await RedisWindow(_Shared.redis, self._per_minute).reserve(slot, now)
            except (RedisError, OSError) as exc:
                logger.warning("redis pacer unavailable, counting in the database: %s", exc)
        if self._shared is None:
            self._shared = connections.get("default").capabilities.dialect == "postgres"
        if not self._shared:
            return self._memory.reserve(slot, now)
        return await _reserve_shared(slot, self._per_minute, now)


def _lock_id(slot: str) -> int:
    """A signed 64-bit advisory lock key for a slot."""
    return int.from_bytes(hashlib.sha256(slot.encode()).digest()[:8], "big", signed=True)


async def _reserve_shared(slot: str, per_minute: int, now: datetime) -> datetime | None:
    async with in_transaction() as connection:
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [_lock_id(slot)])
        await PacerSend.filter(slot=slot, sent_at__lte=now - WINDOW).using_db(connection).delete()
        recent = (
            await PacerSend.filter(slot=slot)
            .using_db(connection)
            .order_by("-sent_at")
            .limit(per_minute)
        )
        if len(recent) >= per_minute:
            return recent[-1].sent_at + WINDOW  # when the oldest counted send leaves the window
        await PacerSend.create(slot=slot, sent_at=now, using_db=connection)
        return None


async def purge_sends(now: datetime) -> int:
    """Forget sends older than a minute in slots nobody has used since."""
    return await PacerSend.filter(sent_at__lte=now - WINDOW).delete()
