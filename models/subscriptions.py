"""Billing: what each tenant pays for, who holds its seats, its orders, notices and audit log.

Plans are stored as catalog codes (``edition``, ``modules``, ...), never as names or prices:
prices live in the catalog and an order keeps the lines it was quoted with. Dates of a period
are calendar days in the tenant's timezone, half-open: [period_start, period_end).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.tenants import Employee, Tenant


class SubscriptionStatus(StrEnum):
    TRIAL = "trial"
    ACTIVE = "active"
    GRACE = "grace"  # the period ended unpaid; everything still works for a few days
    SUSPENDED = "suspended"  # only 帮助, 套餐 and renewal work; data is kept
    CANCELLED = "cancelled"  # the bot only explains how to renew; data is kept


class Subscription(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="subscription", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(SubscriptionStatus, max_length=16)
    is_trial = fields.BooleanField(default=True)  # until the first paid period starts
    edition = fields.CharField(max_length=32)
    modules: fields.Field[list[str]] = fields.JSONField(default=list)  # extras on the edition
    bundles: fields.Field[list[str]] = fields.JSONField(default=list)
    seats = fields.IntField()
    period = fields.CharField(max_length=32)  # billing period code: month, year, ...
    period_start = fields.DateField()
    period_end = fields.DateField()  # exclusive
    anchor_day = fields.IntField(null=True)  # keeps monthly periods on the 31st
    prepaid_periods = fields.IntField(default=0)  # paid billing periods after period_end
    # The plan from the next period on (decreases wait for it), or None.
    pending: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    highest_paid_seats = fields.IntField()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "subscription"


class SeatAssignment(Model):
    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="seat_assignments", on_delete=fields.CASCADE
    )
    employee_id: int
    employee: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="seat_assignments", on_delete=fields.CASCADE
    )
    assigned_by = fields.CharField(max_length=80)  # a userid, or "auto" for first use
    assigned_at = fields.DatetimeField()

    class Meta:
        table = "seat_assignment"
        unique_together = (("tenant", "employee"),)


class OrderStatus(StrEnum):
    QUOTE = "quote"  # shown to an admin, not yet confirmed
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    APPLIED = "applied"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class OrderKind(StrEnum):
    RENEWAL = "renewal"
    CHANGE = "change"
    SERVICE = "service"  # one-off service items: paid, then arranged by the vendor


class Order(Model):
    """Everything a payment needs: who, what, the quoted lines and total, the plan it was
    priced against (``basis``: a changed plan makes the price stale), and its history."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="orders", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(OrderKind, max_length=16)
    status = fields.CharEnumField(OrderStatus, max_length=16, default=OrderStatus.QUOTE)
    summary = fields.CharField(max_length=200)
    request: fields.Field[dict[str, Any]] = fields.JSONField()
    basis: fields.Field[dict[str, Any]] = fields.JSONField()
    total = fields.DecimalField(max_digits=12, decimal_places=2)
    notes: fields.Field[list[str]] = fields.JSONField(default=list)
    effective_on = fields.DateField()
    ends_on = fields.DateField(null=True)
    created_by = fields.CharField(max_length=80)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    paid_by = fields.CharField(max_length=100, default="")
    paid_at = fields.DatetimeField(null=True)
    applied_at = fields.DatetimeField(null=True)

    lines: fields.ReverseRelation[OrderLine]

    class Meta:
        table = "billing_order"  # "order" is an SQL keyword
        indexes = (("tenant_id", "status"),)


class OrderLine(Model):
    id = fields.IntField(primary_key=True)
    order_id: int
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "billing.Order", related_name="lines", on_delete=fields.CASCADE
    )
    position = fields.IntField()
    description = fields.CharField(max_length=300)
    quantity = fields.IntField()
    unit_price = fields.DecimalField(max_digits=12, decimal_places=2)
    amount = fields.DecimalField(max_digits=12, decimal_places=2)
    code = fields.CharField(max_length=64, default="")

    class Meta:
        table = "billing_order_line"
        unique_together = (("order", "position"),)


class AuditLog(Model):
    """Every change to a subscription, its seats or its orders: who, when, before, after."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="billing_audit", on_delete=fields.CASCADE
    )
    actor = fields.CharField(max_length=100)  # userid, "operator:vendor:wf", "cli", "system"
    action = fields.CharField(max_length=64)
    before: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    after: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "billing_audit_log"
        indexes = (("tenant_id", "created_at"),)


class Notice(Model):
    """One notice milestone, claimed by inserting its unique key.

    The insert and the notice's outbox rows commit together, so of two sweeps (or replicas)
    reaching the same milestone exactly one sends it, and an undelivered one is retried by
    the outbox after a restart. Keys look like ``renewal:7:2026-12-08:3`` (subscription,
    period end, days before) or ``upgrade:tickets:2026-11-23`` (module, day).
    """

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="notices", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=191)
    kind = fields.CharField(max_length=32)
    recipients: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField()

    class Meta:
        table = "billing_notice"
        unique_together = (("tenant", "key"),)
        indexes = (("kind", "created_at"),)
