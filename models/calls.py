"""The call log (呼叫中心): one row per call, whichever way it came in.

A call arrives from WeCom 公费电话 (pulled), from a telephony platform's webhook (pushed,
in up to three events) or from a sentence in chat. ``dedup_key`` is unique per tenant: a
retried webhook, an overlapping pull or a second delivery of the same event finds the row
already there and updates it instead of writing a second one.

Times follow Asterisk's CDR: ``duration_secs`` is the whole call (start → end),
``talk_secs`` the answered part (answer → end, its ``billsec``), so 0 ≤ talk ≤ duration
and a call is answered exactly when talk > 0.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.crm.customers import Customer
from models.followups import Followup
from models.tenants import Employee, Tenant


class CallSource(StrEnum):
    WECOM_DIAL = "wecom_dial"
    WEBHOOK = "webhook"
    MANUAL = "manual"


class CallDirection(StrEnum):
    INBOUND = "in"
    OUTBOUND = "out"


class Disposition(StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"  # rang, nobody picked up (Asterisk's NO ANSWER)
    BUSY = "busy"
    FAILED = "failed"


class CallStage(StrEnum):
    """How far a webhook call has got; calls from chat and pulls arrive ended."""

    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class CallRecord(Model):
    """One call between an employee and an outside number."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="calls", on_delete=fields.CASCADE
    )
    dedup_key = fields.CharField(max_length=96)
    source = fields.CharEnumField(CallSource, max_length=16)
    external_id = fields.CharField(max_length=96, null=True)  # the platform's call id
    direction = fields.CharEnumField(CallDirection, max_length=8)
    number = fields.CharField(max_length=32, default="")  # the outside party, normalised
    line = fields.CharField(max_length=32, default="")  # the tenant's side, normalised
    employee_id: int | None
    employee: fields.ForeignKeyNullableRelation[Employee] = fields.ForeignKeyField(
        "models.Employee", related_name="calls", null=True, on_delete=fields.SET_NULL
    )
    customer_id: int | None
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "crm.Customer", related_name="calls", null=True, on_delete=fields.SET_NULL
    )
    started_at = fields.DatetimeField()  # ringing began (dialled, for outbound)
    answered_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    duration_secs = fields.IntField(default=0)
    talk_secs = fields.IntField(default=0)
    # Until the call ends: missed while ringing, answered once picked up.
    disposition = fields.CharEnumField(Disposition, max_length=16)
    stage = fields.CharEnumField(CallStage, max_length=16, default=CallStage.ENDED)
    note = fields.CharField(max_length=500, default="")
    recording_url = fields.CharField(max_length=512, default="")
    # Set once, by whoever wins the conditional update: the screen pop and the callback.
    popped = fields.BooleanField(default=False)
    noted = fields.BooleanField(default=False)  # on the customer's timeline
    callback_id: int | None
    callback: fields.ForeignKeyNullableRelation[Followup] = fields.ForeignKeyField(
        "followups.Followup", related_name="missed_calls", null=True, on_delete=fields.SET_NULL
    )
    callback_claimed = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "call_record"
        unique_together = (("tenant", "dedup_key"),)
        indexes = (
            ("tenant_id", "started_at"),
            ("tenant_id", "employee_id", "started_at"),
            ("tenant_id", "number", "started_at"),
        )


class CallSettings(Model):
    """What an admin set for a tenant's calls (the defaults without a row)."""

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.OneToOneRelation[Tenant] = fields.OneToOneField(
        "models.Tenant", related_name="call_settings", on_delete=fields.CASCADE
    )
    effective_secs = fields.IntField(default=60)  # 有效通话: answered and talk ≥ this
    callback_minutes = fields.IntField(default=120)  # a missed call is called back within
    own_numbers: fields.Field[list[str]] = fields.JSONField(default=list)
    # 通话日报 to the admins: on or off, and when (minutes after local midnight)
    report_on = fields.BooleanField(default=True)
    report_minute = fields.IntField(default=18 * 60)
    webhook_secret = fields.CharField(max_length=64, default="")
    updated_at = fields.DatetimeField()

    class Meta:
        table = "call_settings"


class CallDay(Model):
    """One employee's calls on one tenant-local day: a projection of ``call_record``.

    Written in the transaction that gives a call its final state (or corrects it), from the
    log itself, never by adding deltas: a redelivered ``ended`` event, a re-synced 公费电话
    record or a late correction rewrites the same figures, so nothing counts twice. Ended
    calls only; a call counts on the local date its ringing started. ``effective`` uses the
    tenant's threshold, and a new threshold rebuilds the tenant's rows in the same
    transaction (``bot.calls.days``). ``member_id`` is the employee's id, 0 for nobody's.
    """

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="call_days", on_delete=fields.CASCADE
    )
    member_id = fields.IntField(default=0)
    day = fields.DateField()
    calls = fields.IntField(default=0)
    connected = fields.IntField(default=0)
    talk_secs = fields.IntField(default=0)
    effective = fields.IntField(default=0)
    effective_secs = fields.IntField(default=0)
    first_at = fields.DatetimeField(null=True)
    last_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "call_day"
        unique_together = (("tenant", "member_id", "day"),)
        indexes = (("tenant_id", "day"),)


__models__ = [CallRecord, CallSettings, CallDay]
