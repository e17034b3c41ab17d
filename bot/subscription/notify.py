"""Telling a tenant's admins something: milestone claims and outbox rows, in one transaction.

A notice is claimed by inserting its unique key (``Notice``). Inside a handler's transaction
the insert runs in a savepoint, so losing the race to another replica costs nothing but the
notice; a sweep claims and writes its outbox rows in one transaction of its own. Where the
notice goes (the admins' group or each admin) is ``bot.notices``' decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.types import Channel, Reply
from bot.notices import notice_replies, notify_admins, told
from bot.outbox import enqueue
from bot.tenants import TenantInfo
from models.outbox import OutboxMessage
from models.subscriptions import Notice

# Rows written for another tenant, or from the CLI, are left to the outbox sweep of whichever
# bot process runs next: a lease of zero lets any of them claim the rows at once.
FOR_ANY_SENDER = timedelta(0)


async def claim(
    tenant_id: int, key: str, kind: str, recipients: Sequence[str], now: datetime
) -> bool:
    """True if this call is the first to reach milestone ``key`` for the tenant."""
    try:
        async with in_transaction():
            await Notice.create(
                tenant_id=tenant_id, key=key, kind=kind, recipients=list(recipients), created_at=now
            )
    except IntegrityError:
        return False
    return True


async def write(
    tenant_id: int,
    key: str,
    recipients: Sequence[str],
    text: str,
    *,
    now: datetime,
    lease: timedelta,
) -> list[OutboxMessage]:
    """Outbox rows telling each recipient ``text`` through the app (the vendor's operators,
    who are not the tenant's admins); call inside the caller's transaction."""
    return await enqueue(
        tenant_id,
        [Reply(text, to_user=user) for user in recipients],
        default_user=None,
        key_prefix=f"notice:{key}",
        channel=Channel.APP.value,
        now=now,
        lease=lease,
    )


async def send_once(
    tenant: TenantInfo,
    key: str,
    kind: str,
    text: str,
    *,
    now: datetime,
    lease: timedelta,
) -> list[OutboxMessage]:
    """Claim milestone ``key`` and tell the admins in one transaction; [] if it was claimed
    before (by this process, another replica, or a run before a restart)."""
    replies = await notice_replies(tenant, text)
    if not replies:
        return []  # unclaimed, so it goes out once the tenant has an admin
    recipients = told(replies)
    try:
        async with in_transaction():
            await Notice.create(
                tenant_id=tenant.id, key=key, kind=kind, recipients=recipients, created_at=now
            )
            return list(await notify_admins(tenant, text, key=key, now=now, lease=lease))
    except IntegrityError:
        return []
