"""What a tenant's members read with 公告: published announcements meant for their tenant,
unread first; reading them records them as read, as the card's 知道了 does."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from tortoise.exceptions import IntegrityError

from bot.announcements.audience import reaches
from bot.subscription.service import Billing
from models.announcements import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementStatus,
)
from models.tenants import Tenant

SHOWN = 5  # the newest few: an announcement older than that has had its day
# How far back to look for those few: announcements for other editions or tenants are
# skipped, and a bound keeps 公告 cheap however many the provider has sent.
LOOKED_AT = 100


async def mark_read(announcement_id: int, tenant_id: int, userid: str, now: datetime) -> bool:
    """Record the read once; True when it is new."""
    await AnnouncementDelivery.filter(
        announcement_id=announcement_id, tenant_id=tenant_id, recipient=userid, acked_at=None
    ).update(acked_at=now)
    if await AnnouncementRead.exists(
        announcement_id=announcement_id, tenant_id=tenant_id, userid=userid
    ):
        return False
    try:
        await AnnouncementRead.create(
            announcement_id=announcement_id, tenant_id=tenant_id, userid=userid, read_at=now
        )
    except IntegrityError:  # the same member clicked twice at once: the first one counts
        return False
    return True


async def for_tenant(
    billing: Billing, tenant_id: int, providers: frozenset[str]
) -> list[Announcement]:
    tenant = await Tenant.get(id=tenant_id)
    published = (
        await Announcement.filter(status=AnnouncementStatus.PUBLISHED)
        .order_by("-published_at", "-id")
        .limit(LOOKED_AT)
    )
    return [a for a in published if await reaches(billing, a, tenant, providers)][:SHOWN]


async def unread_first(
    announcements: list[Announcement], tenant_id: int, userid: str
) -> tuple[list[Announcement], set[int]]:
    """The announcements with the unread ones first, and the ids of those already read."""
    ids = await AnnouncementRead.filter(
        tenant_id=tenant_id, userid=userid, announcement_id__in=[a.id for a in announcements]
    ).values_list("announcement_id", flat=True)
    read = {cast(int, i) for i in ids}
    ordered = [a for a in announcements if a.id not in read] + [
        a for a in announcements if a.id in read
    ]
    return ordered, read
