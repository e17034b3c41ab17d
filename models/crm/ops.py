"""Long-running customer operations: handovers waiting for WeCom, and the resumable sync."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.tenants import Tenant


class TransferKind(StrEnum):
    ON_JOB = "on_job"  # 转交: the employee is still here
    RESIGNED = "resigned"  # 离职交接: the employee has left


class TransferStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class CustomerTransfer(Model):
    """A handover asked of WeCom, settled by the callbacks that follow it."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_transfers", on_delete=fields.CASCADE
    )
    customer_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="transfers", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(TransferKind, max_length=16)
    handover_userid = fields.CharField(max_length=64)
    takeover_userid = fields.CharField(max_length=64)
    initiator_userid = fields.CharField(max_length=64)
    status = fields.CharEnumField(TransferStatus, max_length=16, default=TransferStatus.PENDING)
    reason = fields.CharField(max_length=128, default="")
    created_at = fields.DatetimeField()
    settled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "crm_customer_transfer"
        indexes = (("tenant_id", "customer_id", "status"),)


class SyncStatus(StrEnum):
    IDLE = "idle"
    RUNNING = "running"


class CustomerSyncRun(Model):
    """One row per tenant: who is syncing (a lease) and how the last run went."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="customer_sync", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(SyncStatus, max_length=16, default=SyncStatus.IDLE)
    lease_until = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    pages = fields.IntField(default=0)
    customers = fields.IntField(default=0)

    class Meta:
        table = "crm_customer_sync_run"


class CustomerSyncChunk(Model):
    """Up to 100 members paged together through batch/get_by_user. ``cursor`` is saved after
    every page, so a crashed sync resumes where it stopped."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_sync_chunks", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    userids: fields.Field[list[str]] = fields.JSONField()
    cursor = fields.CharField(max_length=255, default="")
    done = fields.BooleanField(default=False)

    class Meta:
        table = "crm_customer_sync_chunk"
        unique_together = (("tenant", "position"),)


# Only these belong to the crm app; the imported Tenant and Employee stay in ``models``.
__models__ = [CustomerTransfer, CustomerSyncRun, CustomerSyncChunk]
