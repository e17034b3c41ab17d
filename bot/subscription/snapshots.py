"""A per-tenant snapshot of what it may use, cached so the entitlement check costs no query.

Every change made in this process calls ``invalidate``. A change may still be uncommitted at
that moment (handlers write inside the update's transaction), so for a few seconds afterwards
the tenant's snapshot is read through instead of cached: a reader racing the commit can never
pin the old state. Changes made elsewhere (the CLI, another replica) show within ``ttl``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.subscription.lifecycle import Term

Monotonic = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Snapshot:
    tenant_id: int
    term: Term  # as stored; callers advance it to today
    seat_holders: frozenset[str]  # userids


Loader = Callable[[int], Awaitable[Snapshot]]


class SnapshotCache:
    def __init__(
        self,
        load: Loader,
        *,
        ttl: float = 60.0,
        settle: float = 5.0,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._settle = settle
        self._monotonic = monotonic
        self._entries: dict[int, tuple[float, Snapshot]] = {}
        self._unsettled: dict[int, float] = {}  # tenant → read through until then
        self.loads = 0  # how many times the database was asked (for tests and logs)

    @property
    def settle(self) -> float:
        """Seconds after a change during which the tenant's snapshot is read through."""
        return self._settle

    async def get(self, tenant_id: int) -> Snapshot:
        now = self._monotonic()
        cached = self._entries.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        self.loads += 1
        snapshot = await self._load(tenant_id)
        if self._unsettled.get(tenant_id, 0.0) > now:
            return snapshot
        self._unsettled.pop(tenant_id, None)
        self._entries[tenant_id] = (now + self._ttl, snapshot)
        return snapshot

    def invalidate(self, tenant_id: int) -> None:
        self._entries.pop(tenant_id, None)
        self._unsettled[tenant_id] = self._monotonic() + self._settle

    def __len__(self) -> int:
        return len(self._entries)
