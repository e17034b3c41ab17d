"""Which process holds a lease, and taking over the leases of processes that died.

Every inbox and outbox lease carries the name of the instance that took it (``lease_owner``).
An instance's name is stable across restarts (``SCRM_INSTANCE``, else host name and port), and
a running instance refreshes its ``BotInstance`` row every ``HEARTBEAT``. At start-up, before
the first callback, an instance frees at once the leases of its own previous life and of
instances that stopped refreshing (or left no row), so the work they had in flight is picked
up now rather than when the leases would have run out (30 s for the inbox, 60 s for the
outbox).

One process is one instance; the name is process-wide (``current``) because leases are
written from many places (the inbox, every sweep that sends right away).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import Q

from bot.clock import Clock
from models.inbox import InboxStatus, InboxUpdate
from models.instances import BotInstance
from models.outbox import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=10)
# Three missed heartbeats: long enough for a busy event loop, short against a lease.
DEAD_AFTER = timedelta(seconds=30)
MAX_NAME_LENGTH = 64

_process = {"name": ""}  # set once, at start-up


def current() -> str:
    """The name leases taken by this process carry ("" outside ``serve``: the CLI takes no
    leases that outlive its own run)."""
    return _process["name"]


def default_name(port: int) -> str:
    """Two replicas on one host listen on different ports, so this names each one, and the
    same one again after a restart."""
    name = os.environ.get("SCRM_INSTANCE") or f"{socket.gethostname()}:{port}"
    return name[:MAX_NAME_LENGTH]


@dataclass(frozen=True, slots=True)
class Reclaimed:
    inbox: int
    outbox: int


class Instance:
    def __init__(self, name: str, clock: Clock) -> None:
        self.name = name[:MAX_NAME_LENGTH]
        self._clock = clock

    async def start(self) -> Reclaimed:
        """Take this process's name, announce it, and free the leases of dead instances
        (this one's previous life among them)."""
        _process["name"] = self.name
        now = self._clock.now()
        dead_before = now - DEAD_AFTER
        live = await BotInstance.filter(seen_at__gt=dead_before).exclude(name=self.name)
        alive = [row.name for row in live]
        await BotInstance.update_or_create(
            defaults={"started_at": now, "seen_at": now}, name=self.name
        )
        reclaimed = Reclaimed(
            inbox=await InboxUpdate.filter(
                _abandoned(alive), status=InboxStatus.PENDING, lease_until__gt=now
            ).update(lease_until=None, lease_owner=""),
            outbox=await OutboxMessage.filter(
                _abandoned(alive), status=OutboxStatus.PENDING, lease_until__gt=now
            ).update(lease_until=None, lease_owner=""),
        )
        if reclaimed.inbox or reclaimed.outbox:
            logger.info(
                "instance %s took over %d updates and %d messages left in flight by "
                "instances that are gone",
                self.name,
                reclaimed.inbox,
                reclaimed.outbox,
            )
        return reclaimed

    async def heartbeat(self) -> None:
        now = self._clock.now()
        updated = await BotInstance.filter(name=self.name).update(seen_at=now)
        if not updated:  # the row was removed (a clean stop of a namesake): announce again
            await BotInstance.create(name=self.name, started_at=now, seen_at=now)

    async def stop(self) -> None:
        """A clean stop: the name is no longer alive, whatever it still holds is free."""
        await BotInstance.filter(name=self.name).delete()


def _abandoned(alive: list[str]) -> Q:
    """Leases held by a named instance that is not alive. Unnamed leases ("") are left to
    run out: they were taken by a process that never announced itself."""
    return ~Q(lease_owner="") & ~Q(lease_owner__in=alive) if alive else ~Q(lease_owner="")
