"""The inbox: every accepted update is stored before WeCom gets its 200, then processed.

Processing runs the dispatcher inside one transaction together with the outbox rows and the
inbox row's status, so an update's effects and its replies commit together or not at all.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from bot import instance, logs, metrics
from bot.clock import Clock
from bot.dispatch.dispatcher import CommandOutcome, Dispatcher, Prepared
from bot.dispatch.errors import UserFacingError
from bot.dispatch.locks import KeyedLocks
from bot.dispatch.types import Reply, Update
from bot.inbox_store import mark_done
from bot.inbox_writer import InboxWriter
from bot.outbox import OutboxSender, enqueue
from bot.tasks import BackgroundTasks
from bot.tenants import TenantDirectory, TenantInfo
from models.inbox import InboxStatus, InboxUpdate
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

APOLOGY = "抱歉，处理你的消息时出了点问题，已记录下来。请稍后再试，或发送「帮助」。"
# A handler that keeps failing must not be retried forever after every restart.
MAX_ATTEMPTS = 3
# Takes the committed rows a callback still waiting on the line will answer with (the group
# bot's passive reply); returns the rest for the outbox.
ClaimReplies = Callable[[int, Update, list[OutboxMessage]], list[OutboxMessage]]


class Inbox:
    def __init__(
        self,
        dispatcher: Dispatcher,
        sender: OutboxSender,
        tenants: TenantDirectory,
        tasks: BackgroundTasks,
        clock: Clock,
        *,
        lease: timedelta = timedelta(seconds=30),
        concurrency: int = 2,
        claim_replies: ClaimReplies | None = None,
    ) -> None:
        self._dispatcher = dispatcher
        self._sender = sender
        self._tenants = tenants
        self._tasks = tasks
        self._clock = clock
        self._lease = lease
        self._locks = KeyedLocks()
        self._slots = asyncio.Semaphore(concurrency)
        self._writer = InboxWriter(clock, lease)
        self._in_flight: set[int] = set()  # ids this process is working on or queued to
        self._claim_replies = claim_replies

    async def accept(self, tenant: TenantInfo, update: Update) -> bool:
        """Store ``update`` and start processing it. False when it was a retry we already
        have (the unique key makes that a no-op)."""
        row_id = await self._writer.store(tenant.id, update)
        if row_id is None:
            logger.info("duplicate delivery of %s for tenant %s ignored", update.key, tenant.key)
            return False
        self._start(tenant, row_id, update)
        return True

    @property
    def lease(self) -> timedelta:
        return self._lease

    def process_stored(self, tenant: TenantInfo, inbox_id: int, update: Update) -> None:
        """Start handling an update stored, already leased, by another writer: the 微信客服
        sync stores the messages it reads in one transaction with its cursor."""
        self._start(tenant, inbox_id, update)

    def _start(self, tenant: TenantInfo, inbox_id: int, update: Update) -> None:
        self._in_flight.add(inbox_id)
        task = self._tasks.spawn(self.process(tenant, inbox_id, update), name=f"inbox-{inbox_id}")
        task.add_done_callback(lambda _: self._in_flight.discard(inbox_id))

    async def process(self, tenant: TenantInfo, inbox_id: int, update: Update) -> None:
        with logs.handling(tenant.key, update.key):  # every line logged from here says so
            await self._process(tenant, inbox_id, update)

    async def _process(self, tenant: TenantInfo, inbox_id: int, update: Update) -> None:
        # One person's updates are handled one at a time, in arrival order.
        try:
            # A 微信客服 customer is no employee: their kf address (reply_to) is their key.
            async with self._locks.hold(
                (tenant.id, update.user_id or update.reply_to or update.key)
            ):
                # Few updates run at once: the rest wait here, already stored, so a burst
                # never queues hundreds of handlers in front of the next acknowledgement.
                async with self._slots:
                    await self._writer.quiet()
                    rows = await self._handle(tenant, inbox_id, update)
                if self._claim_replies is not None:
                    rows = self._claim_replies(tenant.id, update, rows)
                await self._sender.send_rows(rows)
        except asyncio.CancelledError:
            # Shutting down: let the next start pick this update up at once.
            await asyncio.shield(self._release(inbox_id))
            raise

    async def _handle(
        self, tenant: TenantInfo, inbox_id: int, update: Update
    ) -> list[OutboxMessage]:
        prepared: Prepared | None = None
        refusal: UserFacingError | None = None
        started = time.perf_counter()
        try:
            # Route choice and any WeCom calls the route needs happen before the transaction,
            # so a slow API never holds the database.
            prepared = await self._dispatcher.prepare(update, tenant)
            async with in_transaction():
                if not await self._mark_done(inbox_id):
                    return []
                replies = await prepared.run()
                rows = await self._enqueue(tenant, update, replies)
            metrics.HANDLING_SECONDS.labels("done").observe(time.perf_counter() - started)
            return rows
        except UserFacingError as exc:
            replies, status, error = [Reply(exc.message)], InboxStatus.DONE, ""
            refusal = exc
        except Exception as exc:
            logger.exception(
                "handling update %s (tenant %s, user %s, %s) failed",
                update.key,
                tenant.key,
                update.user_id,
                update.msg_type,
            )
            replies = [] if update.is_event else [Reply(APOLOGY)]
            status, error = InboxStatus.FAILED, f"{type(exc).__name__}: {exc}"
        async with in_transaction():
            if prepared is not None and status is InboxStatus.FAILED:
                await prepared.failed()  # the audit log keeps failed admin commands
            elif prepared is not None:
                await prepared.observe(CommandOutcome.ERROR)  # bad input, answered
            if refusal is not None:
                await refusal.keep()
            rows = await self._commit(tenant, inbox_id, update, replies, status, error)
        outcome = "failed" if status is InboxStatus.FAILED else "user_error"
        metrics.HANDLING_SECONDS.labels(outcome).observe(time.perf_counter() - started)
        return rows

    async def _mark_done(self, inbox_id: int) -> bool:
        """Mark the update done first thing in the handler's transaction; False if it is no
        longer pending. Nobody sees the mark before the handler's effects commit with it, and
        a handler that raises rolls it back. The UPDATE holds the row lock to the end, so a
        recovery that re-claimed the update while its handler was still busy waits for this
        run to commit and then changes no row: a handler's effects happen once."""
        return await mark_done(inbox_id, self._clock.now())

    async def _enqueue(
        self, tenant: TenantInfo, update: Update, replies: Sequence[Reply]
    ) -> list[OutboxMessage]:
        return await enqueue(
            tenant.id,
            replies,
            default_user=update.reply_to,
            key_prefix=f"in:{update.key}",
            channel=update.channel.value,
            now=self._clock.now(),
            lease=self._sender.policy.lease,
        )

    async def _commit(
        self,
        tenant: TenantInfo,
        inbox_id: int,
        update: Update,
        replies: Sequence[Reply],
        status: InboxStatus,
        error: str = "",
    ) -> list[OutboxMessage]:
        rows = await self._enqueue(tenant, update, replies)
        await InboxUpdate.filter(id=inbox_id).update(
            status=status, processed_at=self._clock.now(), lease_until=None, error=error
        )
        return rows

    async def _release(self, inbox_id: int) -> None:
        await InboxUpdate.filter(id=inbox_id, status=InboxStatus.PENDING).update(lease_until=None)

    async def recover(self, limit: int = 100) -> int:
        """Claim pending updates nobody is working on (left by a crash or a restart) and
        process them. Returns how many were claimed."""
        now = self._clock.now()
        due = (
            await InboxUpdate.filter(
                Q(lease_until__isnull=True) | Q(lease_until__lte=now),
                status=InboxStatus.PENDING,
            )
            .order_by("id")
            .limit(limit)
        )
        claimed = 0
        for row in due:
            if row.id in self._in_flight:  # queued here behind a burst, not abandoned
                continue
            if row.attempts >= MAX_ATTEMPTS:
                await InboxUpdate.filter(id=row.id).update(
                    status=InboxStatus.FAILED, error="gave up after repeated interruptions"
                )
                continue
            won = await InboxUpdate.filter(
                Q(lease_until__isnull=True) | Q(lease_until__lte=now),
                id=row.id,
                status=InboxStatus.PENDING,
            ).update(
                lease_until=now + self._lease,
                lease_owner=instance.current(),
                attempts=F("attempts") + 1,
            )
            tenant = await self._tenants.get_by_id(row.tenant_id)
            if won != 1 or tenant is None:
                continue
            claimed += 1
            self._start(tenant, row.id, Update.from_json(row.payload))
        return claimed
