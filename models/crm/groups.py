"""Customer groups (WeCom external group chats) and who joined or left them when."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class GroupStatus(StrEnum):
    ACTIVE = "active"
    DISMISSED = "dismissed"


class MemberChange(StrEnum):
    JOIN = "join"
    QUIT = "quit"


class CustomerGroup(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_groups", on_delete=fields.CASCADE
    )
    chat_id = fields.CharField(max_length=64)
    name = fields.CharField(max_length=128, default="")
    owner_userid = fields.CharField(max_length=64, default="")
    notice = fields.TextField(default="")
    member_count = fields.IntField(default=0)
    status = fields.CharEnumField(GroupStatus, max_length=16, default=GroupStatus.ACTIVE)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "crm_customer_group"
        unique_together = (("tenant", "chat_id"),)


class CustomerGroupEvent(Model):
    """One member joining or leaving, with WeCom's JoinScene or QuitScene as ``scene``."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_group_events", on_delete=fields.CASCADE
    )
    group_id: int
    group: fields.ForeignKeyRelation[CustomerGroup] = fields.ForeignKeyField(
        "crm.CustomerGroup", related_name="events", on_delete=fields.CASCADE
    )
    member_id = fields.CharField(max_length=64)
    change = fields.CharEnumField(MemberChange, max_length=8)
    scene = fields.SmallIntField(default=0)
    happened_at = fields.DatetimeField()

    class Meta:
        table = "crm_customer_group_event"
        indexes = (("group_id", "happened_at"),)


# Only these belong to the crm app; the imported Tenant and Employee stay in ``models``.
__models__ = [CustomerGroup, CustomerGroupEvent]
