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
