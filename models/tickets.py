"""Work orders (工单): the ticket, its comments and its full history.

A ticket's number reads ``GD-20261123-0001``: the tenant-local day it was opened and a
sequence that restarts every day, so people can say just the tail (``0001``). The SLA columns
hold the due times and, once known, what was measured and whether the target was met, so the
statistics aggregate in SQL without recomputing business hours per row.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.tenants import Employee, Tenant


class TicketStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    PENDING_CUSTOMER = "pending_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.ASSIGNED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.PENDING_CUSTOMER,
)


class TicketPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Ticket(Model):
    """One work order of one tenant, optionally about a customer (internal ones have none)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="tickets", on_delete=fields.CASCADE
    )
    number = fields.CharField(max_length=24)  # GD-20261123-0001
    day = fields.DateField()  # the tenant-local day of the number
    seq = fields.IntField()  # the number's tail: counts per tenant and day from 1
    customer_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    title = fields.CharField(max_length=100)
    description = fields.TextField(default="")
    priority = fields.CharEnumField(TicketPriority, max_length=16, default=TicketPriority.NORMAL)
    category = fields.CharField(max_length=32, default="")
    status = fields.CharEnumField(TicketStatus, max_length=20, default=TicketStatus.NEW)
    assignee_id: int | None
    assignee: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="assigned_tickets", null=True, on_delete=fields.SET_NULL
    )
    creator_id: int | None
    creator: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="created_tickets", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    first_responded_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    # SLA: due and 80%-warning times; the resolution ones move while the clock is paused.
    response_due_at = fields.DatetimeField()
    response_warn_at = fields.DatetimeField()
    resolution_due_at = fields.DatetimeField()
    resolution_warn_at = fields.DatetimeField()
    paused_at = fields.DatetimeField(null=True)  # set while waiting for the customer
    paused_seconds = fields.IntField(default=0)  # SLA time spent waiting, in total
    # Each set once by the SLA sweep's conditional UPDATE: the claim that sends the notice.
    response_warned_at = fields.DatetimeField(null=True)
    response_breached_at = fields.DatetimeField(null=True)
    resolution_warned_at = fields.DatetimeField(null=True)
    resolution_breached_at = fields.DatetimeField(null=True)
    # Measured in SLA time (business hours when configured, pauses left out).
    response_seconds = fields.IntField(null=True)
    resolution_seconds = fields.IntField(null=True)
    response_met = fields.BooleanField(null=True)
    resolution_met = fields.BooleanField(null=True)

    class Meta:
        table = "ticket"
        unique_together = (("tenant", "number"), ("tenant", "day", "seq"))
        indexes = (
            ("tenant_id", "assignee_id", "status"),  # 我的工单
            ("tenant_id", "status", "assignee_id"),  # the backlog in 工单统计
            ("tenant_id", "seq", "day"),  # a tail (0001): the most recent day first
            # 工单统计 over a window: covering, so averages and hit rates never read the rows.
            ("tenant_id", "created_at", "response_seconds", "response_met"),
            ("tenant_id", "resolved_at", "assignee_id", "resolution_seconds", "resolution_met"),
            ("status", "response_warn_at"),  # the SLA sweep, across tenants
            ("status", "resolution_warn_at"),
        )


class TicketComment(Model):
    """A reply the customer may see (``internal`` False) or an internal note."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="ticket_comments", on_delete=fields.CASCADE
    )
    ticket_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="comments", on_delete=fields.CASCADE
    )
    author_id: int | None
    author: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="ticket_comments", null=True, on_delete=fields.SET_NULL
    )
    internal = fields.BooleanField(default=False)
    text = fields.TextField()
    attachments: fields.Field[list[str]] = fields.JSONField(default=list)  # WeCom media ids
    created_at = fields.DatetimeField()

    class Meta:
        table = "ticket_comment"
        indexes = (("ticket_id", "created_at"),)


class TicketEvent(Model):
    """One line of a ticket's history: who did what when, and the status it moved between."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="ticket_events", on_delete=fields.CASCADE
    )
    ticket_id: int
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="events", on_delete=fields.CASCADE
    )
    actor_id: int | None
    actor: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="ticket_events", null=True, on_delete=fields.SET_NULL
    )
    action = fields.CharField(max_length=16)  # create, assign, accept, reply, resolve, ...
    from_status = fields.CharField(max_length=20, default="")
    to_status = fields.CharField(max_length=20, default="")
    detail = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "ticket_event"
        indexes = (("ticket_id", "created_at"),)


__models__ = [Ticket, TicketComment, TicketEvent]
