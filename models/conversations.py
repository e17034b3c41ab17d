from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class ConversationState(Model):
    """Where a multi-step conversation with one person stands. It survives restarts, expires."""

    id = fields.IntField(primary_key=True)
    tenant_id: int  # the raw foreign key tortoise adds beside ``tenant``
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="conversations", on_delete=fields.CASCADE
    )
    user_id = fields.CharField(max_length=64)
    state = fields.CharField(max_length=64)
    data: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    expires_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "conversation_state"
        unique_together = (("tenant", "user_id"),)
