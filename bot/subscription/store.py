"""Subscription rows in and out of ``Term`` values, and the audit log that records each change.

Writers lock the row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises transactions)
so two replicas applying changes to one tenant never interleave.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.subscription.catalog import Catalog
from bot.subscription.lifecycle import Term, trial_term
from bot.subscription.plan import Plan
from models.subscriptions import AuditLog, Subscription, SubscriptionStatus

SYSTEM = "system"


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "edition": plan.edition,
        "seats": plan.seats,
        "period": plan.period,
        "modules": sorted(plan.modules),
        "bundles": sorted(plan.bundles),
    }


def plan_from_json(data: dict[str, Any]) -> Plan:
    return Plan(
        edition=data["edition"],
        seats=int(data["seats"]),
        period=data["period"],
        modules=frozenset(data.get("modules", ())),
        bundles=frozenset(data.get("bundles", ())),
    )


class TermRow(Protocol):
    """What ``term_of`` reads: a ``Subscription`` row, or the same columns read raw."""

    @property
    def status(self) -> SubscriptionStatus: ...
    @property
    def is_trial(self) -> bool: ...
    @property
    def edition(self) -> str: ...
    @property
    def modules(self) -> list[str]: ...
    @property
    def bundles(self) -> list[str]: ...
    @property
    def seats(self) -> int: ...
    @property
    def period(self) -> str: ...
    @property
    def period_start(self) -> date: ...
    @property
    def period_end(self) -> date: ...
    @property
    def anchor_day(self) -> int | None: ...
    @property
    def prepaid_periods(self) -> int: ...
    @property
    def pending(self) -> dict[str, Any] | None: ...
    @property
    def highest_paid_seats(self) -> int: ...


def term_of(row: TermRow) -> Term:
    plan = Plan(
        edition=row.edition,
        seats=row.seats,
        period=row.period,
        modules=frozenset(row.modules),
        bundles=frozenset(row.bundles),
    )
    return Term(
        plan=plan,
        status=row.status,
        is_trial=row.is_trial,
        period_start=row.period_start,
        period_end=row.period_end,
        prepaid_periods=row.prepaid_periods,
        pending=plan_from_json(row.pending) if row.pending else None,
        highest_paid_seats=row.highest_paid_seats,
        anchor_day=row.anchor_day,
    )


def term_fields(term: Term) -> dict[str, Any]:
    """The row's columns for ``term``."""
    return {
        "status": term.status,
        "is_trial": term.is_trial,
        "edition": term.plan.edition,
        "modules": sorted(term.plan.modules),
        "bundles": sorted(term.plan.bundles),
        "seats": term.plan.seats,
        "period": term.plan.period,
        "period_start": term.period_start,
        "period_end": term.period_end,
        "anchor_day": term.anchor_day,
        "prepaid_periods": term.prepaid_periods,
        "pending": plan_json(term.pending) if term.pending else None,
        "highest_paid_seats": term.highest_paid_seats,
    }


def describe(term: Term) -> dict[str, Any]:
    """``term`` as JSON for the audit log."""
    return {key: _json_value(value) for key, value in term_fields(term).items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, SubscriptionStatus):
        return value.value
    return value


async def audit(
    tenant_id: int,
    actor: str,
    action: str,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await AuditLog.create(
        tenant_id=tenant_id, actor=actor, action=action, before=before, after=after, created_at=now
    )


async def locked(tenant_id: int) -> Subscription | None:
    """The tenant's subscription, locked until the caller's transaction ends."""
    return await Subscription.filter(tenant_id=tenant_id).select_for_update().first()


async def save_term(
    row: Subscription, term: Term, *, actor: str, action: str, now: datetime
) -> bool:
    """Store ``term`` on ``row`` and audit it; False (and nothing written) if nothing changed."""
    before = term_of(row)
    if before == term:
        return False
    fields = term_fields(term)
    await Subscription.filter(id=row.id).update(**fields, updated_at=now)
    for name, value in fields.items():
        setattr(row, name, value)
    await audit(row.tenant_id, actor, action, now, describe(before), describe(term))
    return True


async def start_trial(tenant_id: int, catalog: Catalog, today: date, now: datetime) -> bool:
    """Give a tenant without a subscription its trial; False if it already has one."""
    if await Subscription.exists(tenant_id=tenant_id):
        return False
    term = trial_term(catalog, today)
    try:
        # A savepoint of its own: a concurrent start for the same tenant loses on the unique
        # tenant column without aborting the caller's transaction.
        async with in_transaction():
            await Subscription.create(
                tenant_id=tenant_id, **term_fields(term), created_at=now, updated_at=now
            )
            await audit(tenant_id, SYSTEM, "trial_started", now, None, describe(term))
    except IntegrityError:
        return False
    return True
