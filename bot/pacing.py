"""Rate limits that hold across replicas.

WeCom drops messages over its limits without an error (30 app messages a minute to one
member, 20 a minute through one webhook robot, about 10,000 calls a minute per corp and API),
so the outbox holds a message back instead of sending it. A pacer answers ``reserve``: None
when a send may go now (and it is counted at once, before it leaves, so two replicas asking
together cannot both take the last place), else the earliest instant it may.

On PostgreSQL the count lives in the database (``PacerSend``): each reserve locks its slot
for the length of one short transaction (``pg_advisory_xact_lock``), drops the sends older
than a minute, counts the rest and, if there is room, adds its own. Replicas take turns per
slot, never across slots. On SQLite there is one process, and the count stays in memory.
"""

from __future__ import annotations

import hashlib
from collections import deque
from datetime import datetime, timedelta

from tortoise import connections
from tortoise.transactions import in_transaction

from models.pacing import PacerSend

WINDOW = timedelta(minutes=1)


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
