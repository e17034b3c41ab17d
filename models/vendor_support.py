"""Support requests (客服请求) a client enterprise's member sends to the SCRM provider.

The row belongs to the requesting tenant (its member asked, its member hears the replies);
``ticket_id`` points at the work order opened for it in the provider's own tenant when the
provider has the tickets module. ``escalated_at`` is the claim of the one SLA escalation:
set by a conditional UPDATE, so two replicas' sweeps escalate a request exactly once.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.tenants import Tenant


class RequestStatus(StrEnum):
    OPEN = "open"  # waiting for the provider's first answer
    ANSWERED = "answered"  # an operator replied; the requester may add more
    CLOSED = "closed"


class MessageAuthor(StrEnum):
    REQUESTER = "requester"
    OPERATOR = "operator"


class SupportRequest(Model):
    """One question to the provider, numbered ``KF`` + the id (KF0003)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="support_requests", on_delete=fields.CASCADE
    )
    requester_userid = fields.CharField(max_length=64)
    requester_name = fields.CharField(max_length=64, default="")
    text = fields.TextField()
    status = fields.CharEnumField(RequestStatus, max_length=16, default=RequestStatus.OPEN)
    # The work order in the provider's tenant, when it has the tickets module.
    ticket_id = fields.IntField(null=True)
    ticket_number = fields.CharField(max_length=24, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    response_due_at = fields.DatetimeField()
    first_responded_at = fields.DatetimeField(null=True)
    escalated_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    last_reply = fields.TextField(default="")
    last_reply_at = fields.DatetimeField(null=True)

    class Meta:
        table = "vendor_support_request"
        indexes = (("status", "escalated_at", "response_due_at"),)


class SupportMessage(Model):
    """What was said on a request, by the requester or an operator, in order."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[SupportRequest] = fields.ForeignKeyField(
        "vendor_support.SupportRequest", related_name="messages", on_delete=fields.CASCADE
    )
    author = fields.CharEnumField(MessageAuthor, max_length=16)
    userid = fields.CharField(max_length=64)
    text = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "vendor_support_message"


class ProviderSurvey(Model):
    """The provider's quarterly NPS question to one client admin: the survey capability's
    row (``surveys.Survey``, trigger ``provider_nps``) plus who asked, so a low score reaches
    the desk's operators at once from wherever the answer is recorded."""

    id = fields.IntField(primary_key=True)
    survey_id = fields.IntField(unique=True)
    tenant_id = fields.IntField()  # the client enterprise asked
    quarter = fields.CharField(max_length=8)  # 2026Q4, in the desk's timezone
    desk_tenant_id = fields.IntField()
    operators: fields.Field[list[str]] = fields.JSONField(default=list)  # desk userids
    created_at = fields.DatetimeField()

    class Meta:
        table = "vendor_support_survey"
        indexes = (("quarter", "tenant_id"),)
