"""Builders for ``Update`` values in tests that feed the dispatcher or the inbox directly."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count
from typing import Any

from bot.dispatch.types import Channel, Update

SENT_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
_ids = count(1)


def text_update(
    text: str, user: str = "lisi", *, msg_id: int | None = None, **extra: Any
) -> Update:
    """A text message from ``user`` to the acme tenant's app; a fresh MsgId unless given."""
    return Update(
        tenant_key="acme",
        channel=Channel.APP,
        key=f"msg:{msg_id if msg_id is not None else next(_ids)}",
        msg_type="text",
        created_at=SENT_AT,
        user_id=user,
        text=text,
        **extra,
    )


def event_update(name: str, change_type: str, user: str = "lisi") -> Update:
    return Update(
        tenant_key="acme",
        channel=Channel.APP,
        key=f"evt:{next(_ids)}",
        msg_type="event",
        created_at=SENT_AT,
        user_id=user,
        event=name,
        change_type=change_type,
    )
