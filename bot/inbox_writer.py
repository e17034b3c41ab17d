"""Group commit for the inbox: callbacks that arrive together are stored in one transaction.

Every callback must be stored before it is acknowledged, and on SQLite every commit is a trip
to the disk through the one connection. Under load, the callbacks waiting for that connection
are gathered and written as one batch: one commit for many acknowledgements, so acknowledging
stays fast while the bot is busy. With one callback at a time a batch is just that callback.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.dispatch.types import Update
from models.inbox import InboxUpdate

logger = logging.getLogger(__name__)

_Waiting = tuple[int, Update, "asyncio.Future[int | None]"]


class InboxWriter:
    def __init__(self, clock: Clock, lease: timedelta, *, max_batch: int = 200) -> None:
        self._clock = clock
        self._lease = lease
        self._max_batch = max_batch
        self._waiting: list[_Waiting] = []
        self._flusher: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    async def idle(self) -> None:
        """Wait until no callback is waiting to be stored. Handlers call this first: a
        callback not yet acknowledged is one WeCom may retry, so acknowledging comes first
        and handling catches up in the gaps."""
        await self._idle.wait()

    async def store(self, tenant_id: int, update: Update) -> int | None:
        """The new inbox row's id, or None when (tenant, key) is already stored: a retry."""
        future: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
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
            except Exception as exc:  # every waiting callback gets the error, and a 5xx
                logger.exception("storing %d inbox updates failed", len(batch))
                for *_, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for tenant_id, update, future in batch:
                if not future.done():
                    future.set_result(ids.pop((tenant_id, update.key), None))

    async def _insert(self, batch: list[_Waiting]) -> dict[tuple[int, str], int]:
        """Insert the batch's new keys; return (tenant, key) → id for rows this batch made.
        A key that repeats inside the batch gets its id once: the first caller processes."""
        now = self._clock.now()
        tenants = {tenant_id for tenant_id, _, _ in batch}
        keys = {update.key for _, update, _ in batch}
        async with in_transaction():
            existing = set(
                await InboxUpdate.filter(tenant_id__in=tenants, key__in=keys).values_list(
                    "tenant_id", "key"
                )
            )
            fresh: dict[tuple[int, str], InboxUpdate] = {}
            for tenant_id, update, _ in batch:
                slot = (tenant_id, update.key)
                if slot in existing or slot in fresh:
                    continue
                fresh[slot] = InboxUpdate(
                    tenant_id=tenant_id,
                    key=update.key,
                    payload=update.to_json(),
                    received_at=now,
                    lease_until=now + self._lease,
                    attempts=1,  # counts processing runs started, so a poison update stops
                )
            if not fresh:
                return {}
            # ignore_conflicts: another replica may store the same retry between our read and
            # our write; the processing step's row lock keeps that from doubling any effect.
            await InboxUpdate.bulk_create(list(fresh.values()), ignore_conflicts=True)
            stored = await InboxUpdate.filter(
                tenant_id__in=tenants, key__in=[key for _, key in fresh], received_at=now
            ).values_list("tenant_id", "key", "id")
        return {(tenant_id, key): row_id for tenant_id, key, row_id in stored}
