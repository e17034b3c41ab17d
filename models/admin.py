"""Running a tenant: the audit log of admin commands and the settings admins change in chat."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class AuditResult(StrEnum):
    OK = "ok"
    REFUSED = "refused"  # not allowed here, or not for this person, or not in the plan
    ERROR = "error"  # bad input or a failure: nothing changed


class AuditEntry(Model):
    """One admin or dispatcher command, written in the same transaction as its effect.

    ``userid`` is who typed it, ``channel``/``chat_type``/``chat_id`` where, ``command`` the
    text as typed, ``summary`` the first line of the answer (or the refusal).
    """

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="audit_entries", on_delete=fields.CASCADE
    )
    userid = fields.CharField(max_length=64)
    channel = fields.CharField(max_length=16)
    chat_type = fields.CharField(max_length=16)
    chat_id = fields.CharField(max_length=128, default="")
    command = fields.CharField(max_length=500)
    result = fields.CharEnumField(AuditResult, max_length=16)
    summary = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "admin_audit_entry"
        indexes = (("tenant_id", "created_at"),)


class TenantPreferences(Model):
    """What a tenant's admins set in chat (设置 …), one row per tenant, absent until then."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="preferences", on_delete=fields.CASCADE
    )
    digest_minute = fields.SmallIntField(null=True)  # minutes after local midnight
    updated_by = fields.CharField(max_length=64, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "admin_tenant_preferences"


__models__ = [AuditEntry, TenantPreferences]
