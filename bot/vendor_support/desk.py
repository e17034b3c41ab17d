"""The provider's support desk: which tenant it is, who staffs it, and telling people.

The desk is the tenant of the ``[subscription] operators`` (the first one listed, when they
span several). Messages to operators and to requesters cross tenants, so they are outbox rows
written in the handler's or the sweep's transaction under a unique key, never replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.subscription import notify
from bot.subscription.settings import Operator
from models.outbox import OutboxMessage
from models.tenants import Tenant


@dataclass(frozen=True, slots=True)
class Desk:
    tenant: Tenant
    operators: tuple[str, ...]  # userids in that tenant


async def find_desk(operators: Sequence[Operator]) -> Desk | None:
    """None when no operator is configured, or their tenant is not in the database."""
    if not operators:
        return None
    key = operators[0].tenant_key
    tenant = await Tenant.get_or_none(key=key)
    if tenant is None:
        return None
    return Desk(tenant, tuple(op.userid for op in operators if op.tenant_key == key))


async def tell_operators(desk: Desk, key: str, text: str, now: datetime) -> list[OutboxMessage]:
    return await notify.write(
        desk.tenant.id,
        f"support:{key}",
        desk.operators,
        text,
        now=now,
        lease=notify.FOR_ANY_SENDER,
    )


async def tell_requester(
    tenant_id: int, userid: str, key: str, text: str, now: datetime
) -> list[OutboxMessage]:
    return await notify.write(
        tenant_id, f"support:{key}", [userid], text, now=now, lease=notify.FOR_ANY_SENDER
    )
