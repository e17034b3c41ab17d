from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class OutboxMessage(Model):
    """A message the bot has decided to send, written in the same transaction as its cause.

    ``idempotency_key`` is unique per tenant, so re-running a handler for the same update writes
    nothing new. The sender claims rows with a lease so a crash mid-send is retried, not lost.
    """

    id = fields.BigIntField(primary_key=True)
    tenant_id: int  # the raw foreign key tortoise adds beside ``tenant``
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="outbox", on_delete=fields.CASCADE
    )
    idempotency_key = fields.CharField(max_length=255)
    channel = fields.CharField(max_length=16)
    recipient = fields.CharField(max_length=255)
    msg_type = fields.CharField(max_length=32)
    payload: fields.Field[dict[str, Any]] = fields.JSONField()
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)
    lease_owner = fields.CharField(max_length=64, default="")  # the BotInstance holding it
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        unique_together = (("tenant", "idempotency_key"),)
        indexes = (("status", "next_attempt_at"),)
