"""Recurring-rule rows: creating, listing and stopping them."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from bot.followups.recurrence import Recurrence
from models.crm.customers import Customer
from models.followups import RecurringRule
from models.tenants import Employee


def recurrence_of(rule: RecurringRule) -> Recurrence:
    return Recurrence(rule.kind, rule.minute_of_day, rule.weekday, rule.day_of_month)


async def next_rule_number(tenant_id: int) -> int:
    last = await RecurringRule.filter(tenant_id=tenant_id).order_by("-number").first()
    return last.number + 1 if last else 1


async def create_rule(
    owner: Employee,
    recurrence: Recurrence,
    content: str,
    source_text: str,
    now: datetime,
    tz: tzinfo,
    customer: Customer | None,
) -> RecurringRule:
    return await RecurringRule.create(
        tenant_id=owner.tenant_id,
        number=await next_rule_number(owner.tenant_id),
        owner_id=owner.id,
        customer_id=customer.id if customer else None,
        content=content[:255],
        kind=recurrence.kind,
        weekday=recurrence.weekday,
        day_of_month=recurrence.day_of_month,
        minute_of_day=recurrence.minute_of_day,
        next_at=recurrence.next_after(now, tz).astimezone(UTC),
        source_text=source_text[:500],
        created_at=now,
    )


async def active_rules(tenant_id: int, owner_id: int) -> list[RecurringRule]:
    return (
        await RecurringRule.filter(tenant_id=tenant_id, owner_id=owner_id, active=True)
        .order_by("number")
        .limit(50)
    )


async def stop_rule(rule: RecurringRule, now: datetime) -> None:
    """No more occurrences; the ones already made stay on the owner's list."""
    rule.active = False
    rule.stopped_at = now
    await rule.save(update_fields=["active", "stopped_at"])
