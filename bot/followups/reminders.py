"""The reminder sweep: due follow-ups become reminder cards, each stage sent exactly once.

A sweep claims a batch with one conditional UPDATE (due, free or expired lease) that stamps
the rows with a lease end unique to this sweep, then reads back the rows carrying its stamp:
of two replicas reading the same rows each row goes to exactly one; a replica that dies
holding a claim loses it when the lease runs out. The claimed stages are written to the
outbox, under keys naming the follow-up, stage and due time, in one transaction that also
advances them; the outbox then delivers with per-member pacing and confirms each send.
Stages: 0 the reminder card, 1 the owner again ``escalate_after`` past due, 2 the admins
twice that. An occurrence of a recurring rule is reminded once and never escalated: the next
occurrence is its follow-up.

Each run first turns due recurring rules into follow-ups (bot.followups.occurrences).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.crm.book import employee_label
from bot.dispatch.types import Channel, Reply
from bot.followups import cards
from bot.followups.occurrences import make_due_occurrences
from bot.notices import notice_replies
from bot.outbox import OutboxSender, enqueue
from bot.tenants import TenantDirectory, TenantInfo
from models.followups import Followup, FollowupStatus, ReminderStatus
from models.outbox import OutboxMessage

LATE_AFTER = timedelta(minutes=10)
LAST_STAGE = 2


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    escalate_after: timedelta = timedelta(hours=4)
    lease: timedelta = timedelta(seconds=60)
    batch: int = 500


def _free(now: datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lte=now)


class ReminderSweep:
    def __init__(
        self,
        tenants: TenantDirectory,
        sender: OutboxSender,
        clock: Clock,
        policy: ReminderPolicy | None = None,
    ) -> None:
        self._tenants = tenants
        self._sender = sender
        self._clock = clock
        self.policy = policy or ReminderPolicy()

    async def run(self) -> int:
        """Claim and send due reminder stages until none is left; returns how many."""
        await make_due_occurrences(self._tenants, self._clock.now(), self.policy.batch)
        claimed = 0
        while True:
            seen, won = await self._once()
            claimed += won
            if seen < self.policy.batch:
                return claimed

    async def _once(self) -> tuple[int, int]:
        """One batch: how many due rows were seen, and how many this sweep claimed."""
        now = self._clock.now()
        due = Followup.filter(
            _free(now),
            status=FollowupStatus.OPEN,
            reminder_status__in=(ReminderStatus.PENDING, ReminderStatus.SENDING),
            remind_at__lte=now,
        )
        ids = (
            await due.order_by("remind_at", "id")
            .limit(self.policy.batch)
            .values_list("id", flat=True)
        )
        if not ids:
            return 0, 0
        claimed = await self._claim(due, cast(list[int], ids), now)
        rows: list[OutboxMessage] = []
        async with in_transaction():  # one commit for the batch, not one per reminder
            for followup in claimed:
                rows += await self._remind(followup, now)
        await self._sender.send_rows(rows)
        return len(ids), len(claimed)

    async def _claim(
        self, due: QuerySet[Followup], ids: list[int], now: datetime
    ) -> list[Followup]:
        """Stamp the rows still due and free with this sweep's own lease end, and return the
        ones that carry it: a concurrent sweep's stamp differs, so no row is claimed twice."""
        stamp = now + self.policy.lease + timedelta(microseconds=secrets.randbelow(1_000_000))
        await due.filter(id__in=ids).update(
            reminder_status=ReminderStatus.SENDING, lease_until=stamp
        )
        return (
            await Followup.filter(id__in=ids, lease_until=stamp)
            .order_by("remind_at", "id")
            .prefetch_related("owner", "customer")
        )

    async def _remind(self, followup: Followup, now: datetime) -> list[OutboxMessage]:
        tenant = await self._tenants.get_by_id(followup.tenant_id)
        if tenant is None:
            return []
        replies = await self._replies(followup, tenant, now)
        stamp = int(followup.remind_at.timestamp())
        rows = await enqueue(
            tenant.id,
            replies,
            default_user=followup.owner.userid,
            key_prefix=f"followup:{followup.id}:{followup.stage}:{stamp}",
            channel=Channel.APP.value,
            now=now,
            lease=self._sender.policy.lease,
        )
        await self._advance(followup, now)
        return rows

    async def _replies(self, followup: Followup, tenant: TenantInfo, now: datetime) -> list[Reply]:
        if followup.stage == 0:
            late = now - followup.due_at
            late_by = int(late.total_seconds() // 60) if late > LATE_AFTER else 0
            customer = followup.customer.display_name if followup.customer else ""
            task = f"followup-{followup.id}-{int(followup.remind_at.timestamp())}"
            return [cards.reminder_card(followup, tenant, customer, late_by, task)]
        if followup.stage == 1:
            return [Reply(cards.owner_again(followup, tenant))]
        owner = employee_label(followup.owner)
        text = cards.admin_notice(followup, tenant, owner, now)
        return await notice_replies(tenant, text)

    async def _advance(self, followup: Followup, now: datetime) -> None:
        stage = followup.stage
        changes: dict[str, object] = {"stage": stage + 1, "lease_until": None}
        if stage == 0:
            changes["sent_at"] = now
            changes["late"] = now - followup.due_at > LATE_AFTER
        if stage < LAST_STAGE and followup.rule_id is None:
            changes["reminder_status"] = ReminderStatus.PENDING
            changes["remind_at"] = followup.due_at + self.policy.escalate_after * (stage + 1)
        else:
            changes["reminder_status"] = ReminderStatus.SENT
        await Followup.filter(id=followup.id).update(**changes)
