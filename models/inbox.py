from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class InboxStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class InboxUpdate(Model):
    """Every accepted callback, stored before it is acknowledged.

    The unique (tenant, key) pair is what turns WeCom's retries into no-ops. Rows still pending
    after a restart are processed again (``lease_until`` keeps two workers off the same row).
    """

    id = fields.BigIntField(primary_key=True)
    tenant_id: int  # the raw foreign key tortoise adds beside ``tenant``
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="inbox", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=255)
    payload = fields.TextField()
    status = fields.CharEnumField(InboxStatus, max_length=16, default=InboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    lease_until = fields.DatetimeField(null=True)
    lease_owner = fields.CharField(max_length=64, default="")  # the BotInstance holding it
    error = fields.TextField(default="")
    received_at = fields.DatetimeField()
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "inbox_update"
        unique_together = (("tenant", "key"),)
        indexes = (("status", "lease_until"),)
