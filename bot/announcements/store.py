"""The provider's announcements: drafting, scheduling, publishing, revoking, and the counts
公告送达 reports. Publishing only marks the announcement; the sweep delivers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.functions import Count

from bot.announcements.audience import Audience
from bot.announcements.delivery import withdraw_unsent
from bot.announcements.drafts import Draft
from models.announcements import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementStatus,
)
from models.tenants import Tenant

LIVE = (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED, AnnouncementStatus.PUBLISHED)


async def create_draft(draft: Draft, author: str, now: datetime) -> Announcement:
    return await Announcement.create(
        title=draft.title, body=draft.body, author=author, created_at=now
    )


async def publish(
    announcement: Announcement, audience: Audience, at: datetime | None, now: datetime
) -> bool:
    """Publish now (``at`` None) or schedule; False when it was published or revoked
    meanwhile (a conditional UPDATE, so two operators cannot both publish it)."""
    changes: dict[str, object] = {
        "audience": audience.kind,
        "audience_values": list(audience.values),
        # Stored in UTC: SQLite compares datetimes as text, so one offset for every row.
        "publish_at": (at or now).astimezone(UTC),
    }
    if at is None:
        changes.update(status=AnnouncementStatus.PUBLISHED, published_at=now)
    else:
        changes["status"] = AnnouncementStatus.SCHEDULED
    movable = (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)
    updated = await Announcement.filter(id=announcement.id, status__in=movable).update(**changes)
    return bool(updated)


async def revoke(announcement: Announcement, now: datetime) -> int | None:
    """Revoke; returns how many unsent cards were withdrawn, None when already revoked."""
    updated = await Announcement.filter(id=announcement.id, status__in=LIVE).update(
        status=AnnouncementStatus.REVOKED, revoked_at=now
    )
    if not updated:
        return None
    return await withdraw_unsent(announcement.id)


@dataclass(frozen=True, slots=True)
class TenantReach:
    name: str
    delivered: int
    read: int


async def reach_by_tenant(announcement_id: int) -> list[TenantReach]:
    """Cards delivered and members who read it, per tenant, most delivered first."""
    delivered = dict(
        await AnnouncementDelivery.filter(announcement_id=announcement_id)
        .annotate(n=Count("id"))
        .group_by("tenant_id")
        .values_list("tenant_id", "n")
    )
    read = dict(
        await AnnouncementRead.filter(announcement_id=announcement_id)
        .annotate(n=Count("id"))
        .group_by("tenant_id")
        .values_list("tenant_id", "n")
    )
    ids = sorted(set(delivered) | set(read))
    names = dict(await Tenant.filter(id__in=ids).values_list("id", "name"))
    rows = [
        TenantReach(str(names.get(i, i)), int(delivered.get(i, 0)), int(read.get(i, 0)))
        for i in ids
    ]
    return sorted(rows, key=lambda r: (-r.delivered, r.name))
