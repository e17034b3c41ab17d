"""The announcement sweep: scheduled announcements come due, published ones go out as cards.

Each card is claimed by inserting its ``AnnouncementDelivery`` row (unique per announcement,
tenant and admin) in the transaction that writes it to the outbox; a second sweep, a retry or
another replica inserting the same row fails on the unique key and sends nothing. The same
transaction first touches the announcement with a conditional UPDATE (still published): after
a revoke nothing new is written, and on PostgreSQL the row lock makes a revoke wait for a
delivery in flight, then remove what that delivery left unsent (``revoke``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.announcements.audience import audience_tenants
from bot.announcements.cards import announcement_card
from bot.clock import Clock
from bot.crm.book import admin_userids
from bot.dispatch.types import Channel
from bot.outbox import OutboxSender, enqueue
from bot.subscription.service import Billing
from bot.tenants import TenantDirectory
from models.announcements import Announcement, AnnouncementDelivery, AnnouncementStatus
from models.outbox import OutboxMessage, OutboxStatus
from models.tenants import Tenant

logger = logging.getLogger(__name__)


class _Gone(Exception):
    """The announcement was revoked between reading it and claiming a card."""


def outbox_prefix(announcement_id: int) -> str:
    return f"announcement:{announcement_id}:"


class AnnouncementSweep:
    def __init__(
        self,
        tenants: TenantDirectory,
        sender: OutboxSender,
        billing: Billing,
        clock: Clock,
        providers: Iterable[str],
    ) -> None:
        self._tenants = tenants
        self._sender = sender
        self._billing = billing
        self._clock = clock
        self._providers = frozenset(providers)

    async def run(self) -> int:
        """Publish what came due and deliver every published announcement not yet gone
        through; returns how many cards this sweep claimed."""
        now = self._clock.now()
        await Announcement.filter(status=AnnouncementStatus.SCHEDULED, publish_at__lte=now).update(
            status=AnnouncementStatus.PUBLISHED, published_at=now
        )
        pending = await Announcement.filter(
            status=AnnouncementStatus.PUBLISHED, delivered=False
        ).order_by("id")
        claimed = 0
        for announcement in pending:
            claimed += await self.deliver(announcement, now)
        return claimed

    async def deliver(self, announcement: Announcement, now: datetime) -> int:
        rows: list[OutboxMessage] = []
        for tenant in await audience_tenants(self._billing, announcement, self._providers):
            try:
                rows += await self._to_tenant(announcement, tenant, now)
            except _Gone:
                return 0
        await Announcement.filter(id=announcement.id, status=AnnouncementStatus.PUBLISHED).update(
            delivered=True
        )
        await self.send_live(rows)
        return len(rows)

    async def send_live(self, rows: list[OutboxMessage]) -> None:
        """Send the queued cards a revoke has not removed meanwhile (a sweep over many tenants
        queues for a while before it sends)."""
        if not rows:
            return
        kept = set(
            await OutboxMessage.filter(
                id__in=[row.id for row in rows], status=OutboxStatus.PENDING
            ).values_list("id", flat=True)
        )
        await self._sender.send_rows([row for row in rows if row.id in kept])

    async def _to_tenant(
        self, announcement: Announcement, tenant: Tenant, now: datetime
    ) -> list[OutboxMessage]:
        info = await self._tenants.get_by_id(tenant.id)
        if info is None:
            return []
        claimed = await AnnouncementDelivery.filter(
            announcement_id=announcement.id, tenant_id=tenant.id
        ).values_list("recipient", flat=True)
        done = {str(userid) for userid in claimed}
        rows: list[OutboxMessage] = []
        for userid in await admin_userids(info):
            if userid not in done:
                rows += await self._claim(announcement, tenant.id, userid, now)
        return rows

    async def _claim(
        self, announcement: Announcement, tenant_id: int, userid: str, now: datetime
    ) -> list[OutboxMessage]:
        """One card to one admin, or nothing when another sweep claimed it first."""
        try:
            async with in_transaction():
                still = await Announcement.filter(
                    id=announcement.id, status=AnnouncementStatus.PUBLISHED
                ).update(touched_at=now)
                if not still:
                    raise _Gone
                claim = await AnnouncementDelivery.create(
                    announcement_id=announcement.id,
                    tenant_id=tenant_id,
                    recipient=userid,
                    sent_at=now,
                )
                task = f"announcement-{announcement.id}-{claim.id}"
                return await enqueue(
                    tenant_id,
                    [announcement_card(announcement, task)],
                    default_user=userid,
                    key_prefix=f"{outbox_prefix(announcement.id)}{claim.id}",
                    channel=Channel.APP.value,
                    now=now,
                    lease=self._sender.policy.lease,
                )
        except IntegrityError:
            logger.info("announcement %s to %s already claimed", announcement.id, userid)
            return []


async def withdraw_unsent(announcement_id: int) -> int:
    """Remove the announcement's cards still waiting in the outbox; returns how many."""
    return await OutboxMessage.filter(
        idempotency_key__startswith=outbox_prefix(announcement_id),
        status=OutboxStatus.PENDING,
    ).delete()
