"""Upgrade announcements from the SCRM provider to its client enterprises.

An announcement is the provider's, not a tenant's: it names its audience (everyone, an
edition, a module, or named tenants). Each card sent to a tenant's admin is claimed by
inserting its ``AnnouncementDelivery`` row, unique per (announcement, tenant, recipient), so
retries and two replicas sweeping at once send it exactly once. ``AnnouncementRead`` records
who has read it (the card's 知道了 button, or reading it with 公告).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class AnnouncementStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # publish_at set, not reached yet
    PUBLISHED = "published"
    REVOKED = "revoked"


class AudienceKind(StrEnum):
    ALL = "all"
    EDITION = "edition"  # values: edition codes
    MODULE = "module"  # values: module codes
    TENANTS = "tenants"  # values: tenant keys


class Announcement(Model):
    """One announcement, marked delivered once a sweep has gone through its audience."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=64)
    body = fields.TextField()
    author = fields.CharField(max_length=160)  # "tenant_key:userid" of the operator
    status = fields.CharEnumField(
        AnnouncementStatus, max_length=16, default=AnnouncementStatus.DRAFT
    )
    audience = fields.CharEnumField(AudienceKind, max_length=16, default=AudienceKind.ALL)
    audience_values: fields.Field[list[str]] = fields.JSONField(default=list)
    publish_at = fields.DatetimeField(null=True)
    published_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    delivered = fields.BooleanField(default=False)
    # Touched by each delivery's conditional UPDATE: on PostgreSQL it locks the row, so a
    # revoke waits for a delivery in flight and then removes what it left unsent.
    touched_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "announcement"
        indexes = (("status", "publish_at"),)


class AnnouncementDelivery(Model):
    """The claim of one card to one admin of one tenant."""

    id = fields.IntField(primary_key=True)
    announcement_id: int
    announcement: fields.ForeignKeyRelation[Announcement] = fields.ForeignKeyField(
        "announcements.Announcement", related_name="deliveries", on_delete=fields.CASCADE
    )
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="announcement_deliveries", on_delete=fields.CASCADE
    )
    recipient = fields.CharField(max_length=64)
    sent_at = fields.DatetimeField()
    acked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "announcement_delivery"
        unique_together = (("announcement", "tenant", "recipient"),)


class AnnouncementRead(Model):
    """One member of one tenant has read one announcement."""

    id = fields.IntField(primary_key=True)
    announcement_id: int
    announcement: fields.ForeignKeyRelation[Announcement] = fields.ForeignKeyField(
        "announcements.Announcement", related_name="reads", on_delete=fields.CASCADE
    )
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="announcement_reads", on_delete=fields.CASCADE
    )
    userid = fields.CharField(max_length=64)
    read_at = fields.DatetimeField()

    class Meta:
        table = "announcement_read"
        unique_together = (("announcement", "tenant", "userid"),)
