"""Follow-ups: what an employee promised to do for a customer, and when to remind them.

The reminder columns let a sweep claim a due reminder with one conditional UPDATE (status and
lease), so two replicas never send the same reminder and a crashed replica's claim expires.
A recurring rule (每周一早上9点 …) makes one follow-up per occurrence; (rule, due_at) is
unique, so an occurrence exists at most once whatever the sweeps do.
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


class RecurrenceKind(StrEnum):
    DAILY = "daily"
    WORKDAYS = "workdays"  # China's working days: holidays off, make-up Saturdays on
    WEEKLY = "weekly"
    MONTHLY = "monthly"  # on day_of_month, or the month's last day when it is shorter
    MONTH_END = "month_end"


class RecurringRule(Model):
    """A recurring reminder (每天 / 每个工作日 / 每周一 / 每月1号 / 每月最后一天).

    It fires at a wall-clock time in the tenant's timezone; ``next_at`` is the next
    occurrence not yet made into a follow-up."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="followup_rules", on_delete=fields.CASCADE
    )
    number = fields.IntField()  # what people type (停止周期提醒 2): counts per tenant from 1
    owner_id: int
    owner: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="followup_rules", on_delete=fields.CASCADE
    )
    customer_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="followup_rules", null=True, on_delete=fields.SET_NULL
    )
    content = fields.CharField(max_length=255)
    kind = fields.CharEnumField(RecurrenceKind, max_length=16)
    weekday = fields.SmallIntField(default=0)  # ISO, 1 = Monday (WEEKLY)
    day_of_month = fields.SmallIntField(default=0)  # 1-31 (MONTHLY)
    minute_of_day = fields.SmallIntField()  # local wall clock, 9:30 → 570
    next_at = fields.DatetimeField()
    active = fields.BooleanField(default=True)
    source_text = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()
    stopped_at = fields.DatetimeField(null=True)

    class Meta:
        table = "followup_rule"
        unique_together = (("tenant", "number"),)
        indexes = (("active", "next_at"), ("tenant_id", "owner_id", "active"))


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
    rule_id: int | None
    rule: fields.ForeignKeyNullableRelation[RecurringRule] = fields.ForeignKeyField(
        "followups.RecurringRule", related_name="occurrences", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "followup"
        unique_together = (("tenant", "number"), ("rule", "due_at"))
        indexes = (
            ("reminder_status", "remind_at"),
            ("tenant_id", "owner_id", "status", "due_at"),
            ("tenant_id", "status", "due_at"),
        )


__models__ = [RecurringRule, Followup]
