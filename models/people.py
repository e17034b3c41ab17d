"""The address book (通讯录) as the app sees it: the departments and members of its visible
range, kept from WeCom by the people capability's sync and by change_contact callbacks.

A member who leaves is marked ``left`` and kept: their customers, tickets and follow-ups
point at their ``Employee`` row, which must keep its history for the handover flow.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class MemberStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"  # deleted in WeCom, or no longer in the app's visible range


class SyncStatus(StrEnum):
    IDLE = "idle"
    RUNNING = "running"


class Department(Model):
    """A department the app can see, ``removed`` once WeCom deleted or hid it."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="departments", on_delete=fields.CASCADE
    )
    dept_id = fields.BigIntField()
    name = fields.CharField(max_length=64, default="")
    parent_id = fields.BigIntField(default=0)
    order = fields.BigIntField(default=0)
    removed = fields.BooleanField(default=False)
    seen_run = fields.IntField(default=0)  # the sync run that last saw it
    updated_at = fields.DatetimeField()

    class Meta:
        table = "people_department"
        unique_together = (("tenant", "dept_id"),)


class DirectoryMember(Model):
    """A member of the address book, whether or not they ever talked to the bot."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="directory_members", on_delete=fields.CASCADE
    )
    userid = fields.CharField(max_length=64)
    name = fields.CharField(max_length=64, default="")
    alias = fields.CharField(max_length=64, default="")
    position = fields.CharField(max_length=128, default="")
    departments: fields.Field[list[int]] = fields.JSONField(default=list)
    status = fields.CharEnumField(MemberStatus, max_length=8, default=MemberStatus.ACTIVE)
    detailed = fields.BooleanField(default=False)  # user/get has filled alias and position
    seen_run = fields.IntField(default=0)
    joined_at = fields.DatetimeField()
    left_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "people_member"
        unique_together = (("tenant", "userid"),)


class DirectorySync(Model):
    """One row per tenant: the lease that keeps two replicas from syncing it at once, and
    where a run that died stopped (``position``: the departments already stored)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="directory_sync", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(SyncStatus, max_length=8, default=SyncStatus.IDLE)
    run = fields.IntField(default=0)
    position = fields.IntField(default=0)
    lease_until = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    members = fields.IntField(default=0)
    departments = fields.IntField(default=0)
    error = fields.CharField(max_length=255, default="")

    class Meta:
        table = "people_sync"
