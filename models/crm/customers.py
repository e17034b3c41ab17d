"""The customer book: customers, the employees who follow them, and their timeline.

Every row carries its tenant, and every index used by search starts with the tenant, so a
query for one tenant never reads another's rows.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Employee, Tenant


class CustomerKind(IntEnum):
    """WeCom's external contact ``type`` (1 WeChat, 2 WeCom), plus customers typed in by hand."""

    OFFLINE = 0
    WECHAT = 1
    WECOM = 2


class FollowerStatus(StrEnum):
    ACTIVE = "active"
    LOST = "lost"  # the customer deleted the employee (del_follow_user)
    REMOVED = "removed"  # the employee deleted the customer (del_external_contact)
    TRANSFERRED = "transferred"  # handed over to someone else (DELETE_BY_TRANSFER)


class NoteKind(StrEnum):
    CREATED = "created"
    ADDED = "added"
    NOTE = "note"
    FOLLOWUP = "followup"
    WELCOME = "welcome"
    TAG = "tag"
    UNTAG = "untag"
    LOST = "lost"
    REMOVED = "removed"
    TRANSFER = "transfer"
    GROUP_JOIN = "group_join"
    GROUP_QUIT = "group_quit"
    ARCHIVE = "archive"  # agreed to chat archiving (会话存档)
    EDIT = "edit"  # a field changed by hand: "电话：old → new"
    DELETE = "delete"  # removed from the book (kept, archived)
    MERGE = "merge"  # merged into another customer, or another merged into this one
    ORDER = "order"  # one of their orders confirmed, paid, refunded, shipped or cancelled


# What counts as an interaction for the "last interaction" line and the value score.
INTERACTION_KINDS = (NoteKind.ADDED, NoteKind.NOTE, NoteKind.FOLLOWUP, NoteKind.ORDER)


class Customer(Model):
    """One customer of one tenant: a WeChat/WeCom external contact or someone typed in."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customers", on_delete=fields.CASCADE
    )
    # Null for customers typed in by hand; unique per tenant otherwise.
    external_userid = fields.CharField(max_length=64, null=True)
    kind = fields.IntEnumField(CustomerKind, default=CustomerKind.OFFLINE)
    name = fields.CharField(max_length=64)
    phone = fields.CharField(max_length=32, default="")
    company = fields.CharField(max_length=128, default="")
    source = fields.CharField(max_length=64, default="")
    gender = fields.SmallIntField(default=0)
    avatar = fields.CharField(max_length=512, default="")
    owner_id: int | None
    owner: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="owned_customers", null=True, on_delete=fields.SET_NULL
    )
    value_tier = fields.CharField(max_length=1, default="D")
    value_score = fields.SmallIntField(default=0)
    value_reasons: fields.Field[list[str]] = fields.JSONField(default=list)
    value_computed_at = fields.DatetimeField(null=True)
    last_interaction_at = fields.DatetimeField(null=True)
    next_followup_at = fields.DatetimeField(null=True)  # set by the follow-up capability
    # Deleted or merged away: hidden from search and lists, its history kept.
    archived_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "crm_customer"
        unique_together = (("tenant", "external_userid"),)
        indexes = (
            ("tenant_id", "name"),
            ("tenant_id", "phone"),
            ("tenant_id", "company"),
            ("tenant_id", "owner_id"),
            ("tenant_id", "value_computed_at"),
        )

    @property
    def display_name(self) -> str:
        return self.name or "未命名客户"


class CustomerFollower(Model):
    """An employee's relationship with a customer, as WeCom's follow_user describes it."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_followers", on_delete=fields.CASCADE
    )
    customer_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="followers", on_delete=fields.CASCADE
    )
    employee_id: int
    employee: fields.ForeignKeyRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="followed_customers", on_delete=fields.CASCADE
    )
    remark = fields.CharField(max_length=64, default="")
    description = fields.CharField(max_length=255, default="")
    add_way = fields.SmallIntField(default=0)
    state = fields.CharField(max_length=64, default="")
    status = fields.CharEnumField(FollowerStatus, max_length=16, default=FollowerStatus.ACTIVE)
    added_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    churn_reported_at = fields.DatetimeField(null=True)  # when admins heard of the loss
    # msg_audit_approved: the customer agreed that chats with this employee are archived.
    archive_agreed_at = fields.DatetimeField(null=True)
    # WeCom's remark_mobiles in national digits, ",13800000000,13900000000,": calls match them.
    remark_numbers = fields.CharField(max_length=255, default="")

    class Meta:
        table = "crm_customer_follower"
        unique_together = (("customer", "employee"),)
        indexes = (
            ("tenant_id", "employee_id", "status"),
            ("tenant_id", "status", "churn_reported_at"),
        )


class CustomerNote(Model):
    """One line of a customer's timeline: notes people write and things that happened."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="customer_notes", on_delete=fields.CASCADE
    )
    customer_id: int
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="notes", on_delete=fields.CASCADE
    )
    employee_id: int | None
    employee: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="customer_notes", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharEnumField(NoteKind, max_length=16)
    text = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "crm_customer_note"
        indexes = (("customer_id", "created_at"),)


# Only these belong to the crm app; the imported Tenant and Employee stay in ``models``.
__models__ = [Customer, CustomerFollower, CustomerNote]
