"""Answers that go back in the callback's own HTTP reply (the group bot's passive reply).

The callback endpoint says it is waiting for an update's replies (``expect``) before handing
the update to the inbox. When the handler has committed, the inbox offers its outbox rows
(``claim``): the ones addressed back to that update go to the waiting endpoint instead of the
transport. If the deadline passes first, the endpoint stops waiting and the rows take the
ordinary path (the outbox sends them through the transport). Everything runs on one event
loop and no ``await`` separates a check from its action, so a row goes one way only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.dispatch.types import ReplyKind, Update
from bot.wecom.markdown import escape_markdown
from models.outbox import OutboxMessage, OutboxStatus

PASSIVE_KINDS = frozenset({ReplyKind.TEXT.value, ReplyKind.MARKDOWN.value})


@dataclass(frozen=True, slots=True)
class Waiter:
    slot: tuple[int, str]  # (tenant id, update key)
    recipient: str
    future: asyncio.Future[list[OutboxMessage]]


class PassiveReplies:
    """Waiters keyed by (tenant id, update key); an entry lives only while its callback's
    HTTP request is open."""

    def __init__(self) -> None:
        self._waiting: dict[tuple[int, str], Waiter] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    def expect(self, tenant_id: int, update: Update) -> Waiter | None:
        """Start waiting for ``update``'s answer; None when an earlier delivery of the same
        update (WeCom retried) is already waiting for it."""
        slot = (tenant_id, update.key)
        if slot in self._waiting:
            return None
        future: asyncio.Future[list[OutboxMessage]] = asyncio.get_running_loop().create_future()
        waiter = Waiter(slot, update.reply_to or "", future)
        self._waiting[slot] = waiter
        return waiter

    async def wait(self, waiter: Waiter, timeout: float) -> list[OutboxMessage]:
        """The rows claimed for the waiter within ``timeout`` seconds, else none; either way
        the waiter is gone afterwards."""
        try:
            await asyncio.wait({waiter.future}, timeout=timeout)
        finally:
            self.forget(waiter)
        done = waiter.future.done() and not waiter.future.cancelled()
        return waiter.future.result() if done else []

    def forget(self, waiter: Waiter) -> None:
        if self._waiting.get(waiter.slot) is waiter:
            del self._waiting[waiter.slot]
        if not waiter.future.done():
            waiter.future.cancel()

    def claim(
        self, tenant_id: int, update: Update, rows: list[OutboxMessage]
    ) -> list[OutboxMessage]:
        """Hand the rows that answer ``update`` to its waiting endpoint; return the others,
        which the caller sends as usual. With nobody waiting every row is returned."""
        waiter = self._waiting.pop((tenant_id, update.key), None)
        if waiter is None or waiter.future.done():
            return rows
        mine: list[OutboxMessage] = []
        others: list[OutboxMessage] = []
        for row in rows:
            (mine if _answers(row, waiter.recipient, update) else others).append(row)
        waiter.future.set_result(mine)
        return others


def _answers(row: OutboxMessage, recipient: str, update: Update) -> bool:
    return (
        row.channel == update.channel.value
        and row.recipient == recipient
        and row.msg_type in PASSIVE_KINDS
    )


def joined_text(rows: Iterable[OutboxMessage]) -> str:
    """One markdown text for an answer's rows: the parts of a reply the outbox split to
    WeCom's 2,048 bytes join back as they were, separate replies get a blank line between
    them. Text replies are plain text, so they are escaped whole, after their parts are
    joined (markup split across two parts is still caught); markdown replies are the bot's
    own markup and go as they are."""
    pieces: list[tuple[str, str]] = []  # (msg_type, content) per reply
    last_reply = None
    for row in rows:
        # Keys end in ":{reply}" or ":{reply}.{part}" (bot.outbox.enqueue).
        reply = row.idempotency_key.rsplit(":", 1)[-1].split(".")[0]
        content = str(row.payload.get("content", ""))
        if pieces and reply == last_reply:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + content)
        else:
            pieces.append((row.msg_type, content))
        last_reply = reply
    return "\n\n".join(
        content if msg_type == ReplyKind.MARKDOWN.value else escape_markdown(content)
        for msg_type, content in pieces
    )


async def mark_sent(rows: Iterable[OutboxMessage], now: datetime) -> None:
    """The rows went out in the HTTP reply: done, as if the transport had sent them."""
    ids = [row.id for row in rows]
    await OutboxMessage.filter(id__in=ids, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, attempts=1, sent_at=now, lease_until=None
    )


async def release(rows: Iterable[OutboxMessage]) -> None:
    """The HTTP reply never left: free the rows' lease so the outbox sweep sends them."""
    ids = [row.id for row in rows]
    await OutboxMessage.filter(id__in=ids, status=OutboxStatus.PENDING).update(lease_until=None)
