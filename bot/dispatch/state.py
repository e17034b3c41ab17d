"""Conversation state, persisted so a multi-step conversation survives a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from models.conversations import ConversationState

DEFAULT_TTL = timedelta(minutes=30)


def customer_key(external_userid: str) -> str:
    """The conversation key of a 微信客服 customer, who has no employee userid."""
    return f"kf:{external_userid}"


class Conversation:
    """One person's conversation state: ``state`` is None when no flow is in progress."""

    def __init__(self, tenant_id: int, user_id: str, clock: Clock, row: ConversationState | None):
        self._tenant_id = tenant_id
        self._user_id = user_id
        self._clock = clock
        self._row = row

    @property
    def state(self) -> str | None:
        return self._row.state if self._row else None

    @property
    def data(self) -> dict[str, Any]:
        return dict(self._row.data) if self._row else {}

    async def set(
        self, state: str, data: dict[str, Any] | None = None, ttl: timedelta = DEFAULT_TTL
    ) -> None:
        now = self._clock.now()
        values = {"state": state, "data": data or {}, "expires_at": now + ttl, "updated_at": now}
        self._row, _ = await ConversationState.update_or_create(
            defaults=values, tenant_id=self._tenant_id, user_id=self._user_id
        )

    async def clear(self) -> None:
        if self._row is not None:
            await ConversationState.filter(id=self._row.id).delete()
            self._row = None


async def load_conversation(tenant_id: int, user_id: str, clock: Clock) -> Conversation:
    row = await ConversationState.get_or_none(tenant_id=tenant_id, user_id=user_id)
    return await conversation_from_row(tenant_id, user_id, clock, row)


async def conversation_from_row(
    tenant_id: int, user_id: str, clock: Clock, row: ConversationState | None
) -> Conversation:
    """The conversation a stored row stands for (read by whichever query): an expired one is
    dropped, so the flow starts over rather than resuming half an hour later."""
    if row is not None and row.expires_at <= clock.now():
        await ConversationState.filter(id=row.id).delete()
        row = None
    return Conversation(tenant_id, user_id, clock, row)


async def purge_expired(now: datetime) -> int:
    """Drop states nobody came back to, so the table does not only grow."""
    return await ConversationState.filter(expires_at__lte=now).delete()
