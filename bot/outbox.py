"""Reliable outbound delivery.

A handler's replies become ``OutboxMessage`` rows in the same transaction as the change they
belong to. Rows are created already leased by the process that wrote them, which sends them
straight after the commit; if that process dies first, the lease runs out and the outbox sweep
sends them. A row is only ever sent by whoever holds its lease, so a crash between commit and
send loses nothing.

A crash after WeCom accepted a row but before it was marked sent leaves the row pending, and
it is sent again. Every send that may repeat an earlier one (a row a sweep claimed, a retry)
asks ``message/send`` for WeCom's duplicate check, which drops that second copy; a row's
first send by its writer does not, so two replies that happen to read the same both arrive.
Other channels have no such check and may deliver a copy. README ("Delivery guarantees")
states what is exactly-once and what is at-least-once, per channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from bot import instance, metrics
from bot.clock import Clock
from bot.dispatch.types import Reply, ReplyKind
from bot.outbox_store import in_transaction_now, insert_new, mark_sent
from bot.pacing import Pacer
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.outbox import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_TEXT_BYTES = 2048
# WeCom delivers at most 30 app messages a minute to one member and drops the rest silently.
MEMBER_PER_MINUTE = 30
# Codes that no retry can fix: the message itself is wrong, so it goes straight to dead.
# 95001 / 95002 / 95018: a 微信客服 message over the customer's send budget, or an event code
# used up or past its 20 seconds.
PERMANENT_ERRORS = frozenset({40008, 40056, 40058, 44004, 45002, 47001, 81013, 95001, 95002, 95018})
# Ours, not WeCom's: the address can no longer be used (an expired group-bot response_url).
UNDELIVERABLE = -2


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` UTF-8 bytes, never inside a character,
    preferring to cut after a newline so a list item is not torn in two."""
    pieces: list[str] = []
    rest = text
    while len(rest.encode()) > limit:
        cut = _fit(rest, limit)
        if cut == 0:
            raise ValueError(f"a limit of {limit} bytes cannot hold the character {rest[0]!r}")
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _fit(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` bytes."""
    size = 0
    for index, char in enumerate(text):
        size += len(char.encode())
        if size > limit:
            return index
    return len(text)


def _payload(reply: Reply, text: str) -> dict[str, Any]:
    if reply.kind in (ReplyKind.TEXT, ReplyKind.MARKDOWN):
        return {"content": text}
    return dict(reply.payload)


@dataclass(frozen=True, slots=True)
class OutboxPolicy:
    max_attempts: int = 8
    first_retry: timedelta = timedelta(seconds=5)
    max_retry: timedelta = timedelta(minutes=30)
    lease: timedelta = timedelta(seconds=60)
    # Under WeCom's 10,000 calls a minute per corp and API, with room for other calls.
    corp_api_per_minute: int = 9_000
    # How far back WeCom looks for an identical message/send to drop as a repeat. A row sent
    # again after a crash goes out when its lease expires and the next sweep runs (60 + 10 s;
    # at once on restart), and one whose answer was lost in transit within the first four
    # retries (5 + 10 + 20 + 40 s): three minutes cover both.
    duplicate_check_seconds: int = 180

    def retry_delay(self, attempts: int) -> timedelta:
        # Capped doublings: a large max_attempts must not overflow timedelta.
        return min(self.first_retry * (1 << min(attempts - 1, 30)), self.max_retry)


async def enqueue(
    tenant_id: int,
    replies: Sequence[Reply],
    *,
    default_user: str | None,
    key_prefix: str,
    channel: str,
    now: datetime,
    lease: timedelta,
) -> list[OutboxMessage]:
    """Write ``replies`` as outbox rows; call inside the caller's transaction.

    Keys are ``{key_prefix}:{n}`` (``:{n}.{part}`` for split texts), so re-running the same
    update writes the same keys, and the unique index turns the repeat into nothing.
    """
    rows: list[OutboxMessage] = []
    for index, reply in enumerate(replies):
        recipient = reply.to_user or default_user
        if not recipient:
            logger.warning("reply %s:%d has no recipient; dropped", key_prefix, index)
            continue
        texts = (
            split_text(reply.text) if reply.kind in (ReplyKind.TEXT, ReplyKind.MARKDOWN) else [""]
        )
        for part, text in enumerate(texts):
            suffix = f"{index}" if len(texts) == 1 else f"{index}.{part}"
            rows.append(
                OutboxMessage(
                    tenant_id=tenant_id,
                    idempotency_key=f"{key_prefix}:{suffix}",
                    channel=reply.channel or channel,
                    recipient=recipient,
                    msg_type=reply.kind.value,
                    payload=_payload(reply, text),
                    next_attempt_at=now,
                    lease_until=now + lease,
                    lease_owner=instance.current() if lease else "",
                    created_at=now,
                )
            )
    if not rows:
        return []
    return await insert_new(rows)


def duplicate_checked(message: Mapping[str, Any], seconds: int) -> dict[str, Any]:
    """A ``message/send`` body WeCom drops if the same message went to the same members in
    the last ``seconds``: the copy a crash or a lost answer makes the outbox send again."""
    return {**message, "enable_duplicate_check": 1, "duplicate_check_interval": seconds}


_Mark = tuple[int, int, "asyncio.Future[None]"]  # row id, its attempts, who waits for it


class SentMarks:
    """Group commit for the sent marks: every row is marked sent before ``mark`` returns,
    but the rows other sends finished meanwhile are marked by the same UPDATE. Under load the
    mark then costs most replies no statement and no commit of their own.

    The first caller to find no write under way writes everything queued until the queue
    is empty; the others wait for the write that carries their row. A caller inside a
    transaction writes its own row only, in that transaction, never anyone else's."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._queued: list[_Mark] = []
        self._writing = False

    async def mark(self, row_id: int, attempts: int) -> None:
        """``attempts``: the row's attempts counting this send (the same for nearly all)."""
        if in_transaction_now():
            await mark_sent([row_id], attempts, self._clock.now())
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.append((row_id, attempts, future))
        if self._writing:
            await future
            return
        self._writing = True
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                await self._write(batch)
        finally:
            self._writing = False
            # Only when this writer was cancelled mid-way: nobody else would write these
            # rows, so their callers stop waiting (the rows stay leased; a sweep sends or
            # marks them later, as after a crash).
            left, self._queued = self._queued, []
            for _, _, waiting in left:
                if not waiting.done():
                    waiting.cancel()
        await future

    async def _write(self, batch: list[_Mark]) -> None:
        by_attempts: dict[int, list[int]] = {}
        for row_id, attempts, _ in batch:
            by_attempts.setdefault(attempts, []).append(row_id)
        try:
            now = self._clock.now()
            for attempts, ids in by_attempts.items():
                await mark_sent(ids, attempts, now)
        except BaseException as exc:  # a cancelled write leaves no waiter behind either
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for _, _, future in batch:
            if not future.done():
                future.set_result(None)


# Sends one row on its channel; a WeComAPIError is retried or made dead like any other.
SendRow = Callable[[TenantInfo, OutboxMessage], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Transport:
    """How one channel's rows reach WeCom. ``per_minute`` is the most WeCom accepts for one
    recipient in a minute on that channel (it drops the excess silently, so the sender holds
    messages back instead, counting across replicas: ``bot.pacing``)."""

    send: SendRow
    per_minute: int = 30


class OutboxSender:
    """Sends leased outbox rows through the WeCom client and records the outcome.

    Rows go out through the transport of their ``channel``: ``app`` (message/send) is built
    in; capabilities that talk on other channels (微信客服, the group bot, the group webhook
    robot) register theirs with ``add_transport`` at start-up.
    """

    def __init__(
        self,
        client: WeComClient,
        tenants: TenantDirectory,
        clock: Clock,
        policy: OutboxPolicy | None = None,
        pacer: Pacer | None = None,
        transports: Mapping[str, Transport] | None = None,
    ) -> None:
        self._client = client
        self._tenants = tenants
        self._clock = clock
        self.policy = policy or OutboxPolicy()
        self._transports: dict[str, Transport] = {"app": Transport(self._send_app)}
        self._claimed: set[int] = set()  # rows a sweep took over: maybe sent before
        self._sent_marks = SentMarks(clock)
        # WeCom also caps each API per corp (about 10,000 calls a minute, then 45009 for the
        # rest of the minute); keyed (tenant, channel), so one channel's burst waits its turn.
        self._corp_pacer = Pacer("corp", self.policy.corp_api_per_minute)
        self._pacers: dict[str, Pacer] = {"app": pacer or Pacer("member:app", MEMBER_PER_MINUTE)}
        for channel, transport in (transports or {}).items():
            self.add_transport(channel, transport)

    def add_transport(self, channel: str, transport: Transport) -> None:
        self._transports[channel] = transport
        self._pacers[channel] = Pacer(f"member:{channel}", transport.per_minute)

    async def _send_app(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        message = {"touser": row.recipient, "msgtype": row.msg_type, row.msg_type: row.payload}
        return await self._client.send_message(
            tenant.credentials, self.message_send_body(row, message)
        )

    def may_repeat(self, row: OutboxMessage) -> bool:
        """Whether WeCom may have this row already: a retry, or a row a sweep took over from
        a writer that may have sent it before dying."""
        return row.attempts > 0 or row.id in self._claimed

    def message_send_body(self, row: OutboxMessage, message: dict[str, Any]) -> dict[str, Any]:
        """``message`` with WeCom's duplicate check when the row may repeat a send."""
        if not self.may_repeat(row):
            return message
        return duplicate_checked(message, self.policy.duplicate_check_seconds)

    async def send_rows(self, rows: Iterable[OutboxMessage]) -> None:
        """Send rows this process holds, in order. Once a message to someone has to wait (a
        retry or the pacer), the ones after it wait as long, so no part overtakes another."""
        waiting: dict[tuple[int, str], datetime] = {}
        for row in rows:
            held_until = waiting.get((row.tenant_id, row.recipient))
            if held_until is not None:
                await self._postpone(row, held_until)
                continue
            retry_at = await self._deliver(row)
            if retry_at is not None:
                waiting[(row.tenant_id, row.recipient)] = retry_at

    async def sweep(self, limit: int = 100) -> int:
        """Claim due rows whose lease is free or expired, and send them. Returns how many
        were claimed."""
        now = self._clock.now()
        due = (
            await OutboxMessage.filter(
                Q(lease_until__isnull=True) | Q(lease_until__lte=now),
                status=OutboxStatus.PENDING,
                next_attempt_at__lte=now,
            )
            .order_by("id")
            .limit(limit)
        )
        claimed = [row for row in due if await self._claim(row, now)]
        self._claimed.update(row.id for row in claimed)
        try:
            await self.send_rows(claimed)
        finally:
            self._claimed.difference_update(row.id for row in claimed)
        return len(claimed)

    async def sweep_all(self, limit: int = 100, rounds: int = 100) -> int:
        """Sweep batch after batch while full batches come back (a backlog that fell due
        at once, like messages held back a minute by the pacing), up to ``rounds``."""
        claimed = 0
        for _ in range(rounds):
            batch = await self.sweep(limit)
            claimed += batch
            if batch < limit:
                break
        return claimed

    async def _claim(self, row: OutboxMessage, now: datetime) -> bool:
        # A conditional UPDATE: of two sweepers reading the same row, exactly one wins.
        won = await OutboxMessage.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lte=now),
            id=row.id,
            status=OutboxStatus.PENDING,
        ).update(lease_until=now + self.policy.lease, lease_owner=instance.current())
        return won == 1

    async def _deliver(self, row: OutboxMessage) -> datetime | None:
        """Send ``row``; returns when it will be tried again, or None once it is done."""
        now = self._clock.now()
        tenant = await self._tenants.get_by_id(row.tenant_id)
        if tenant is None:
            metrics.OUTBOX.labels(row.channel, "dead", "").inc()
            await self._finish(row, OutboxStatus.DEAD, error="tenant no longer exists")
            return None
        transport = self._transports.get(row.channel)
        if transport is None:
            metrics.OUTBOX.labels(row.channel, "dead", "").inc()
            await self._finish(row, OutboxStatus.DEAD, error=f"no transport for {row.channel!r}")
            return None
        pacer = self._pacers[row.channel]
        # Counted before the send leaves, so replicas asking together cannot both take the
        # last place in a minute (bot.pacing).
        wait_until = await self._corp_pacer.reserve(row.tenant_id, row.channel, now)
        limit = "corp"
        if wait_until is None:
            wait_until = await pacer.reserve(row.tenant_id, row.recipient, now)
            limit = "member"
        if wait_until is not None:
            metrics.PACER_WAITS.labels(row.channel, limit).inc()
            await self._postpone(row, wait_until)
            return wait_until
        try:
            await transport.send(tenant, row)
        except WeComAPIError as exc:
            return await self._failed(row, exc)
        metrics.OUTBOX.labels(row.channel, "sent", "0").inc()
        await self._finish(row, OutboxStatus.SENT)
        return None

    async def _postpone(self, row: OutboxMessage, until: datetime) -> None:
        await OutboxMessage.filter(id=row.id).update(next_attempt_at=until, lease_until=None)

    async def _failed(self, row: OutboxMessage, error: WeComAPIError) -> datetime | None:
        attempts = row.attempts + 1
        permanent = error.errcode in PERMANENT_ERRORS or error.errcode == UNDELIVERABLE
        if permanent or attempts >= self.policy.max_attempts:
            metrics.OUTBOX.labels(row.channel, "dead", str(error.errcode)).inc()
            logger.error(
                "outbox message %s to %s is dead after %d attempts: %s",
                row.idempotency_key,
                row.recipient,
                attempts,
                error,
            )
            await self._finish(row, OutboxStatus.DEAD, error=str(error), attempts=attempts)
            return None
        delay = self.policy.retry_delay(attempts)
        metrics.OUTBOX.labels(row.channel, "retried", str(error.errcode)).inc()
        logger.warning(
            "outbox message %s to %s failed (attempt %d), retrying in %s: %s",
            row.idempotency_key,
            row.recipient,
            attempts,
            delay,
            error,
        )
        retry_at = self._clock.now() + delay
        await OutboxMessage.filter(id=row.id).update(
            attempts=attempts, last_error=str(error), next_attempt_at=retry_at, lease_until=None
        )
        return retry_at

    async def _finish(
        self,
        row: OutboxMessage,
        status: OutboxStatus,
        *,
        error: str = "",
        attempts: int | None = None,
    ) -> None:
        if status is OutboxStatus.SENT and attempts is None:
            # The hot path: batched, written out by hand.
            await self._sent_marks.mark(row.id, row.attempts + 1)
            return
        now = self._clock.now()
        await OutboxMessage.filter(id=row.id).update(
            status=status,
            attempts=row.attempts + 1 if attempts is None else attempts,
            last_error=error,
            sent_at=now if status is OutboxStatus.SENT else None,
            lease_until=None,
        )
