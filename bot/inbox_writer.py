"""Group commit for the inbox: callbacks that arrive together are stored in one transaction.

Every callback must be stored before it is acknowledged, and on SQLite every commit is a trip
to the disk through the one connection. Under load, the callbacks waiting for that connection
are gathered and written as one batch: one commit for many acknowledgements, so acknowledging
stays fast while the bot is busy. With one callback at a time a batch is just that callback.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from tortoise import connections

from bot import instance
from bot.clock import Clock
from bot.dispatch.types import Update
from bot.insert_many import insert_many_sql
from models.inbox import InboxStatus

logger = logging.getLogger(__name__)

_Waiting = tuple[int, Update, "asyncio.Future[int | None]"]
# A handler starts once callbacks have paused this long (seconds) ...
QUIET_GAP = 0.002
# ... or after this long whatever the load, so a long burst cannot starve the handlers.
PATIENCE = 1.0


class InboxWriter:
    def __init__(self, clock: Clock, lease: timedelta, *, max_batch: int = 200) -> None:
        self._clock = clock
        self._lease = lease
        self._max_batch = max_batch
        self._waiting: list[_Waiting] = []
        self._flusher: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._last_arrival = 0.0  # loop time of the last callback handed to ``store``

    async def idle(self) -> None:
        """Wait until no callback is waiting to be stored."""
        await self._idle.wait()

    async def quiet(self, gap: float = QUIET_GAP, patience: float = PATIENCE) -> None:
        """Wait for a pause in the callbacks: none waiting to be stored and none arrived for
        ``gap`` seconds, or ``patience`` seconds at most. Handlers call this first: a
        callback not yet acknowledged is one WeCom may retry, so during a burst acknowledging
        comes first and handling catches up in the gaps (and, past ``patience``, anyway)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience
        while True:
            await self._idle.wait()
            now = loop.time()
            quiet_for = now - self._last_arrival
            if quiet_for >= gap or now >= deadline:
                return
            await asyncio.sleep(min(gap - quiet_for, deadline - now))

    async def store(self, tenant_id: int, update: Update) -> int | None:
        """The new inbox row's id, or None when (tenant, key) is already stored: a retry."""
        loop = asyncio.get_running_loop()
        self._last_arrival = loop.time()
        future: asyncio.Future[int | None] = loop.create_future()
        self._waiting.append((tenant_id, update, future))
        self._idle.clear()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="inbox-group-commit")
        return await future

    async def _flush(self) -> None:
        try:
            await self._flush_all()
        finally:
            self._idle.set()

    async def _flush_all(self) -> None:
        while self._waiting:
            batch, self._waiting = (
                self._waiting[: self._max_batch],
                self._waiting[self._max_batch :],
            )
            try:
                ids = await self._insert(batch)
            except Exception as exc:
                if len(batch) == 1:
                    self._fail(batch, exc)
                    continue
                # One bad row must not cost the others their 200: each is tried alone.
                logger.warning("storing %d inbox updates together failed; one by one", len(batch))
                for waiting in batch:
                    await self._store_alone(waiting)
                continue
            self._answer(batch, ids)

    async def _store_alone(self, waiting: _Waiting) -> None:
        try:
            ids = await self._insert([waiting])
        except Exception as exc:
            self._fail([waiting], exc)
        else:
            self._answer([waiting], ids)

    @staticmethod
    def _answer(batch: list[_Waiting], ids: dict[tuple[int, str], int]) -> None:
        for tenant_id, update, future in batch:
            if not future.done():
                future.set_result(ids.pop((tenant_id, update.key), None))

    @staticmethod
    def _fail(batch: list[_Waiting], exc: Exception) -> None:
        """The callback gets the error (and a 5xx, so WeCom retries it later)."""
        for tenant_id, update, future in batch:
            logger.error(
                "storing inbox update %s of tenant %s failed", update.key, tenant_id, exc_info=exc
            )
            if not future.done():
                future.set_exception(exc)

    async def _insert(self, batch: list[_Waiting]) -> dict[tuple[int, str], int]:
        """Insert the batch's new keys; return (tenant, key) → id for rows this batch made.
        A key that repeats inside the batch gets its id once: the first caller processes.

        One statement, committed on its own: ``INSERT … ON CONFLICT DO NOTHING RETURNING``
        skips keys already stored (a retry, or another replica that stored it first) and
        names exactly the rows it made. It is the hottest statement of the bot, so it is
        written out here rather than built by the ORM for every batch."""
        fresh: dict[tuple[int, str], Update] = {}
        for tenant_id, update, _ in batch:
            fresh.setdefault((tenant_id, update.key), update)
        now = self._clock.now()
        received, lease_until = _db_time(now), _db_time(now + self._lease)
        values: list[object] = []
        owner = instance.current()
        for (tenant_id, key), update in fresh.items():
            # attempts=1: it counts processing runs started, so a poison update stops.
            values += [
                tenant_id, key, update.to_json(), PENDING, 1, lease_until, owner, "", received
            ]  # fmt: skip
        connection = connections.get("default")
        sql = _insert_sql(len(fresh), connection.capabilities.dialect)
        rows = await connection.execute_query_dict(sql, values)
        return {(int(row["tenant_id"]), str(row["key"])): int(row["id"]) for row in rows}


_COLUMNS = (
    "tenant_id", "key", "payload", "status", "attempts", "lease_until", "lease_owner", "error",
    "received_at",
)  # fmt: skip
PENDING = InboxStatus.PENDING.value


def _db_time(moment: datetime) -> datetime:
    """Stored as tortoise stores it (UTC), so the ORM's comparisons on the column hold."""
    return moment.astimezone(UTC)


def _insert_sql(rows: int, dialect: str) -> str:
    return insert_many_sql(
        "inbox_update", _COLUMNS, rows, dialect, '"tenant_id", "key"', '"id", "tenant_id", "key"'
    )
