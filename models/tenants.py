from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Tenant(Model):
    """An enterprise (corp) using the bot, with its self-built app's credentials."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=32, unique=True)
    corp_id = fields.CharField(max_length=64)
    name = fields.CharField(max_length=128)
    timezone = fields.CharField(max_length=64, default="Asia/Shanghai")
    admins: fields.Field[list[str]] = fields.JSONField(default=list)
    agent_id = fields.IntField()
    secret = fields.CharField(max_length=128)
    token = fields.CharField(max_length=64)
    encoding_aes_key = fields.CharField(max_length=43)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tenant"

    def __str__(self) -> str:
        return f"{self.key} ({self.name})"


class Role(StrEnum):
    MEMBER = "member"
    DISPATCHER = "dispatcher"  # assigns work orders; no other admin rights
    ADMIN = "admin"


class Employee(Model):
    """A WeCom member who has talked to the bot or been named by an event."""

    id = fields.IntField(primary_key=True)
    tenant_id: int  # the raw foreign key tortoise adds beside ``tenant``
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="employees", on_delete=fields.CASCADE
    )
    userid = fields.CharField(max_length=64)
    name = fields.CharField(max_length=64, default="")
    role = fields.CharEnumField(Role, max_length=16, default=Role.MEMBER)
    first_seen_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()

    class Meta:
        table = "employee"
        unique_together = (("tenant", "userid"),)
