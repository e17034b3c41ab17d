"""One way to tell a tenant's admins something: ``notify_admins``.

Renewal and upgrade notices, churn alerts, low survey scores and SLA breaches all come through
here, so where admin notices go is decided in one place. Each notice has a ``key``; the outbox
keeps one row per key and recipient, so calling twice for the same key (a retried update, two
replicas running the same sweep) sends it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.crm.book import admin_userids
from bot.dispatch.types import Channel, Reply
from bot.outbox import enqueue
from bot.tenants import TenantInfo
from models.outbox import OutboxMessage

# Notice rows are claimed by whichever process's outbox sweep runs next (at most seconds
# later), so a notice written by the CLI or a scheduler job needs no sender of its own.
FOR_ANY_SENDER = timedelta(0)


async def notify_admins(
    tenant: TenantInfo, text: str, *, key: str, now: datetime
) -> Sequence[OutboxMessage]:
    """Queue ``text`` for the tenant's admins, once per ``key``; call inside the caller's
    transaction. Returns the rows written (none when the key was used before)."""
    recipients = await admin_userids(tenant)
    return await enqueue(
        tenant.id,
        [Reply(text, to_user=user) for user in recipients],
        default_user=None,
        key_prefix=f"notice:{key}",
        channel=Channel.APP.value,
        now=now,
        lease=FOR_ANY_SENDER,
    )
