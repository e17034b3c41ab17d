"""Follow-ups: what an employee promised to do for a customer, and when to remind them.

The reminder columns let a sweep claim a due reminder with one conditional UPDATE (status and
lease), so two replicas never send the same reminder and a crashed replica's claim expires.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.tenants import Employee, Tenant


class FollowupStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ReminderStatus(StrEnum):
    PENDING = "pending"  # waits for due_at (or for the next escalation stage)
    SENDING = "sending"  # claimed by a sweep, until its lease runs out
    SENT = "sent"  # every stage sent, or the follow-up was closed


class Followup(Model):
    """One follow-up of one employee, optionally about a customer."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="followups", on_delete=fields.CASCADE
    )
    number = fields.IntField()  # what people type (完成 3): counts per tenant from 1
    customer_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="followups", null=True, on_delete=fields.SET_NULL
    )
    owner_id: int
    owner: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="followups", on_delete=fields.CASCADE
    )
    content = fields.CharField(max_length=255)
    due_at = fields.DatetimeField()
    status = fields.CharEnumField(FollowupStatus, max_length=16, default=FollowupStatus.OPEN)
    priority = fields.SmallIntField(default=0)
    source_text = fields.CharField(max_length=500, default="")
    result_note = fields.CharField(max_length=500, default="")
    completed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    remind_at = fields.DatetimeField()  # the next reminder or escalation stage
    reminder_status = fields.CharEnumField(
        ReminderStatus, max_length=16, default=ReminderStatus.PENDING
    )
    lease_until = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    late = fields.BooleanField(default=False)
    stage = fields.SmallIntField(default=0)  # 0 reminder, 1 owner again, 2 an admin told

    class Meta:
        table = "followup"
        unique_together = (("tenant", "number"),)
        indexes = (
            ("reminder_status", "remind_at"),
            ("tenant_id", "owner_id", "status", "due_at"),
            ("tenant_id", "status", "due_at"),
        )


__models__ = [Followup]
