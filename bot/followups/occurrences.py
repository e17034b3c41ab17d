"""Recurring rules become follow-ups, one per occurrence, when the occurrence is due.

A rule's ``next_at`` moves forward with a compare-and-set (``WHERE next_at = <what this
sweep read>``) in the same transaction that creates the occurrence: of two replicas racing
for a rule exactly one moves it and creates the follow-up; the other's UPDATE matches no row
and it creates nothing. (rule, due_at) is unique too, as a last guard. The new follow-up is
due at once, so the reminder sweep sends it in the same run, under its usual lease.

After downtime only the latest missed occurrence is made: a week of 每天看日报 missed while
the bot was down is one reminder, not seven.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from tortoise.transactions import in_transaction

from bot.followups.rules import recurrence_of
from bot.followups.store import next_number
from bot.tenants import TenantDirectory
from models.followups import Followup, FollowupStatus, RecurringRule, ReminderStatus

SUPERSEDED = "下一次周期提醒已到，这一次自动关闭"


async def make_due_occurrences(tenants: TenantDirectory, now: datetime, batch: int) -> int:
    """Turn every due rule's occurrence into a follow-up; returns how many this sweep made."""
    rules = (
        await RecurringRule.filter(active=True, next_at__lte=now)
        .order_by("next_at", "id")
        .limit(batch)
    )
    made = 0
    for rule in rules:
        tenant = await tenants.get_by_id(rule.tenant_id)
        if tenant is not None:
            made += await _occur(rule, now, tenant.timezone)
    return made


def _latest_due(rule: RecurringRule, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The latest occurrence at or before ``now`` and the one after it."""
    recurrence = recurrence_of(rule)
    due = rule.next_at
    following = recurrence.next_after(due, tz)
    while following <= now:
        due, following = following, recurrence.next_after(following, tz)
    # Stored in UTC: SQLite compares the stored text, so one offset for every row.
    return due.astimezone(UTC), following.astimezone(UTC)


async def _occur(rule: RecurringRule, now: datetime, tz: tzinfo) -> int:
    due, following = _latest_due(rule, now, tz)
    async with in_transaction():
        moved = await RecurringRule.filter(id=rule.id, active=True, next_at=rule.next_at).update(
            next_at=following
        )
        if not moved:
            return 0  # another sweep made this occurrence
        await _close_previous(rule, now)
        await Followup.create(
            tenant_id=rule.tenant_id,
            number=await next_number(rule.tenant_id),
            customer_id=rule.customer_id,
            owner_id=rule.owner_id,
            rule_id=rule.id,
            content=rule.content,
            due_at=due,
            remind_at=due,
            source_text=rule.source_text,
            created_at=now,
        )
    return 1


async def _close_previous(rule: RecurringRule, now: datetime) -> None:
    """Yesterday's 看日报 left open is replaced by today's, so lists do not pile up."""
    await Followup.filter(rule_id=rule.id, status=FollowupStatus.OPEN).update(
        status=FollowupStatus.CANCELLED,
        result_note=SUPERSEDED,
        completed_at=now,
        reminder_status=ReminderStatus.SENT,
        lease_until=None,
    )
