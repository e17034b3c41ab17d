"""Satisfaction surveys: one per trigger (a resolved work order, a finished follow-up, an
ended 微信客服 session, or a manual send), answered once through a single-use token.

The reminder and expiry sweeps claim rows with conditional UPDATEs on ``status``,
``remind_at`` and ``reminded_at``, so two replicas never remind the same customer twice.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.tenants import Employee, Tenant


class SurveyKind(StrEnum):
    CSAT = "csat"  # 1 to 5
    NPS = "nps"  # 0 to 10


class SurveyStatus(StrEnum):
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class SurveyTrigger(StrEnum):
    TICKET_RESOLVED = "ticket_resolved"
    FOLLOWUP_DONE = "followup_done"
    KF_SESSION_END = "kf_session_end"
    INSTALL_COMPLETED = "install_completed"
    MANUAL = "manual"
    # The SCRM provider's quarterly NPS question to a client enterprise's admin
    # (bot.vendor_support.nps); a low score alerts the provider's operators, not the tenant.
    PROVIDER_NPS = "provider_nps"


class SurveyChannel(StrEnum):
    KF = "kf"  # asked in the 微信客服 chat (rating menu)
    PAGE = "page"  # a link to /s/{token}, forwarded by the employee
    APP = "app"


class Survey(Model):
    """One question put to one customer, answered at most once."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="surveys", on_delete=fields.CASCADE
    )
    customer_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="surveys", null=True, on_delete=fields.SET_NULL
    )
    employee_id: int | None
    employee: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="surveys", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharEnumField(SurveyKind, max_length=8, default=SurveyKind.CSAT)
    question = fields.CharField(max_length=255)
    trigger = fields.CharEnumField(SurveyTrigger, max_length=24)
    # A ticket number, a follow-up id, a kf session id, or a unique manual reference.
    trigger_ref = fields.CharField(max_length=128)
    channel = fields.CharEnumField(SurveyChannel, max_length=8)
    # Where the survey was asked: "<open_kfid>|<external_userid>" for kf, the forwarding
    # employee's userid for page links; reminders go to the same place.
    recipient = fields.CharField(max_length=255, default="")
    token = fields.CharField(max_length=64, unique=True)
    status = fields.CharEnumField(SurveyStatus, max_length=16, default=SurveyStatus.SENT)
    score = fields.SmallIntField(null=True)
    comment = fields.TextField(default="")
    sent_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField()
    remind_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "survey"
        unique_together = (("tenant", "trigger", "trigger_ref"),)
        indexes = (
            ("status", "remind_at"),
            ("status", "expires_at"),
            ("tenant_id", "answered_at"),
            ("tenant_id", "sent_at"),
        )

    @property
    def is_low(self) -> bool:
        """A score low enough that someone should call the customer back."""
        if self.score is None:
            return False
        return int(self.score) <= (2 if self.kind is SurveyKind.CSAT else 6)


__models__ = [Survey]
