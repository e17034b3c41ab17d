"""The provider's view of its clients: one row per handled command, and one roll-up per
tenant and local day.

``UsageEvent`` is written by the dispatcher in the transaction of the command it records (a
single INSERT, no lookups: the names are copied, not linked). ``TenantDailyUsage`` is derived
from those rows only, so any day can be rebuilt while its events are kept
(``[provider] usage_retention_days``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.tenants import Tenant


class Outcome(StrEnum):
    OK = "ok"
    REFUSED_MODULE = "refused_module"  # the plan lacks the command's module
    REFUSED_SEAT = "refused_seat"  # no seat was free for the member
    REFUSED = "refused"  # the speaker's role or chat, or a lapsed subscription
    ERROR = "error"  # bad input answered with a reason, or a failure


class UsageEvent(Model):
    """One command a member ran (or tried to run)."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="usage_events", on_delete=fields.CASCADE
    )
    userid = fields.CharField(max_length=64, default="")
    capability = fields.CharField(max_length=32)
    module = fields.CharField(max_length=32)  # the subscription module of the command
    intent = fields.CharField(max_length=96)
    outcome = fields.CharEnumField(Outcome, max_length=16)
    latency_ms = fields.IntField(default=0)
    at = fields.DatetimeField()

    class Meta:
        table = "usage_event"
        indexes = (Index(fields=["tenant_id", "at"]), Index(fields=["at"]))


class TenantDailyUsage(Model):
    """A tenant's usage on one day of its own calendar, summed from its usage events."""

    id = fields.BigIntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="daily_usage", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    active_members = fields.IntField(default=0)  # members with at least one command run
    commands = fields.IntField(default=0)  # commands that ran
    errors = fields.IntField(default=0)
    capabilities_used = fields.IntField(default=0)
    capabilities_owned = fields.IntField(default=0)
    by_capability: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    core_actions: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    # module → commands refused because the plan lacks it; seat refusals counted apart
    refused_modules: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    refused_seats = fields.IntField(default=0)
    built_at = fields.DatetimeField()

    class Meta:
        table = "tenant_daily_usage"
        unique_together = (("tenant", "day"),)
        indexes = (Index(fields=["day"]),)


class OfferStatus(StrEnum):
    PROPOSED = "proposed"  # sent to the tenant's admins, awaiting an answer
    ACCEPTED = "accepted"  # an admin accepted it: ``order_id`` is the order it became
    DECLINED = "declined"  # an admin said no
    EXPIRED = "expired"  # nobody accepted it by ``valid_until``
    WITHDRAWN = "withdrawn"  # the operator took it back


class ProviderOffer(Model):
    """An operator's discounted offer to one client enterprise, and what became of it.

    A plan change (an edition, seats or a module), the discount, and the list and offered prices
    on the day it was made.

    ``pending_key`` (tenant and change) is set while the offer is proposed and cleared when it
    closes: its unique index keeps one open offer per tenant and change, so a repeated command
    or a second replica handling it makes no second offer and sends no second card.
    """

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="provider_offers", on_delete=fields.CASCADE
    )
    operator = fields.CharField(max_length=100)  # "<tenant key>:<userid>"
    change: fields.Field[dict[str, Any]] = fields.JSONField()  # a plan change request
    summary = fields.CharField(max_length=200)  # 升级 售后服务版
    rate = fields.IntField(null=True)  # percent of the price paid: 8折 is 80
    off_fen = fields.IntField(null=True)  # or a fixed amount off
    list_fen = fields.BigIntField()
    offered_fen = fields.BigIntField()
    valid_until = fields.DateField()  # last day, in the tenant's timezone
    status = fields.CharEnumField(OfferStatus, max_length=16, default=OfferStatus.PROPOSED)
    pending_key = fields.CharField(max_length=200, null=True, unique=True)
    order_id = fields.IntField(null=True)
    answered_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "provider_offer"
        indexes = (Index(fields=["tenant_id", "status"]),)


class TenantUsageWindow(Model):
    """A client's last 30 days as of the end of one of its days (``as_of``, its yesterday when
    the nightly job built it): what the operators' lists read, one row per client, instead of
    counting members and modules across the raw events of every client on every request.

    Distinct members and modules over a window cannot be summed from daily roll-ups, hence this
    row; it is rebuilt from the events and roll-ups each night, like them.
    """

    id = fields.IntField(primary_key=True)
    tenant_id: int
    tenant: fields.ForeignKeyRelation[Tenant] = fields.ForeignKeyField(
        "models.Tenant", related_name="usage_window", on_delete=fields.CASCADE, unique=True
    )
    as_of = fields.DateField()
    active_7 = fields.IntField(default=0)  # members with a command run in the 7 days to as_of
    active_30 = fields.IntField(default=0)
    modules_used: fields.Field[list[str]] = fields.JSONField(default=list)  # paid ones, 30 days
    refused_modules: fields.Field[dict[str, int]] = fields.JSONField(default=dict)
    refused_seats = fields.IntField(default=0)
    commands_last_14 = fields.IntField(default=0)  # from the roll-ups
    commands_previous_14 = fields.IntField(default=0)
    capabilities_used = fields.IntField(default=0)  # distinct, 30 days
    capabilities_owned = fields.IntField(default=0)  # on the latest day rolled up
    built_at = fields.DatetimeField()

    class Meta:
        table = "tenant_usage_window"
        # One row per client: the FK's ``unique=True`` alone created no constraint, and the
        # nightly job's update_or_create relies on it when two replicas race.
        unique_together = (("tenant",),)
