"""The SLA sweep: a warning to the assignee at 80% of a target, the breach to the admins.

Four milestones per ticket (first response and resolution, each warned and breached), each
sent once: a sweep claims a milestone with one conditional UPDATE of its ``*_at`` column
(still NULL → now), and writes the message in the same transaction, under a key naming the
ticket, the milestone and the due time. Two replicas never send one twice, and a due time
that moves (a paused clock resumed, a reopen) makes a new milestone. A ticket waiting for
the customer has its resolution clock paused, so it is skipped for resolution milestones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.dispatch.types import Channel, Reply
from bot.notices import notify_admins
from bot.outbox import OutboxSender, enqueue
from bot.tenants import TenantDirectory, TenantInfo
from bot.tickets.hours import working_between
from bot.tickets.settings import TicketSettings
from bot.tickets.store import label
from bot.tickets.wording import duration_words, headline, time_words
from models.outbox import OutboxMessage
from models.tickets import OPEN_STATUSES, Ticket, TicketStatus

BATCH = 200
WORKING = [s for s in OPEN_STATUSES if s is not TicketStatus.PENDING_CUSTOMER]
WARN = "【工单即将超时】{headline}的{clock}将在 {due} 到期（还剩 {left}）。{hint}"
BREACH = (
    "【工单超时】{headline}的{clock}已超时（应在 {due} 前），负责人：{assignee}。"
    "发送「工单 {tail}」看详情。"
)
HINTS = {
    "response": "发送「回复 {tail} 内容」回复客户。",
    "resolution": "处理完发送「解决 {tail} 解决办法」。",
}
CLOCK_WORDS = {"response": "首次响应", "resolution": "解决"}


@dataclass(frozen=True, slots=True)
class Milestone:
    clock: str  # response | resolution
    breach: bool

    @property
    def name(self) -> str:
        return f"{self.clock}_{'breach' if self.breach else 'warn'}"

    @property
    def stamp_field(self) -> str:
        return f"{self.clock}_{'breached' if self.breach else 'warned'}_at"

    @property
    def due_field(self) -> str:
        return f"{self.clock}_due_at"

    def due_filter(self, now: datetime) -> dict[str, Any]:
        """Rows whose milestone has come and not been claimed. A warning whose target has
        already passed is left to the breach."""
        statuses = list(OPEN_STATUSES) if self.clock == "response" else WORKING
        found: dict[str, Any] = {"status__in": statuses, f"{self.stamp_field}__isnull": True}
        if self.clock == "response":
            found["first_responded_at__isnull"] = True
        if self.breach:
            found[f"{self.due_field}__lte"] = now
        else:
            found[f"{self.clock}_warn_at__lte"] = now
            found[f"{self.due_field}__gt"] = now
        return found


MILESTONES = tuple(Milestone(clock, breach) for clock in CLOCK_WORDS for breach in (True, False))


class SlaSweep:
    def __init__(
        self,
        tenants: TenantDirectory,
        sender: OutboxSender,
        clock: Clock,
        settings: TicketSettings | None = None,
    ) -> None:
        self._tenants = tenants
        self._sender = sender
        self._clock = clock
        self._settings = settings or TicketSettings()

    async def run(self) -> int:
        """Claim and send every milestone that has come; returns how many."""
        now = self._clock.now()
        sent = 0
        for milestone in MILESTONES:
            while True:
                batch = await self._once(milestone, now)
                sent += batch
                if batch < BATCH:
                    break
        if sent:
            await self._sender.sweep()  # the admins' notices are anyone's to send
        return sent

    async def _once(self, milestone: Milestone, now: datetime) -> int:
        due = (
            await Ticket.filter(**milestone.due_filter(now))
            .order_by(milestone.due_field, "id")
            .limit(BATCH)
            .prefetch_related("assignee", "creator")
        )
        claimed = 0
        rows: list[OutboxMessage] = []
        for ticket in due:
            async with in_transaction():
                if not await self._claim(ticket, milestone, now):
                    continue
                claimed += 1
                rows += await self._tell(ticket, milestone, now)
        await self._sender.send_rows(rows)
        return claimed

    def _left(self, tenant: TenantInfo, now: datetime, due: datetime) -> timedelta:
        """SLA time to go: in business hours, a Friday evening warning is not "2 days left"."""
        return working_between(now, due, self._settings.working_time(tenant.timezone))

    async def _claim(self, ticket: Ticket, milestone: Milestone, now: datetime) -> bool:
        won = await Ticket.filter(
            id=ticket.id, **{f"{milestone.stamp_field}__isnull": True}
        ).update(**{milestone.stamp_field: now})
        return won == 1

    async def _tell(
        self, ticket: Ticket, milestone: Milestone, now: datetime
    ) -> list[OutboxMessage]:
        tenant = await self._tenants.get_by_id(ticket.tenant_id)
        if tenant is None:
            return []
        due: datetime = getattr(ticket, milestone.due_field)
        key = f"ticket:{ticket.id}:{milestone.name}:{int(due.timestamp())}"
        person = ticket.assignee or ticket.creator
        if milestone.breach or person is None:
            # Breaches go to the admins; so does a warning nobody else would get.
            text = (
                _breach(ticket, milestone, tenant, due)
                if milestone.breach
                else _warning(ticket, milestone, tenant, due, self._left(tenant, now, due))
            )
            await notify_admins(tenant, text, key=key, now=now)
            return []
        text = _warning(ticket, milestone, tenant, due, self._left(tenant, now, due))
        return await enqueue(
            tenant.id,
            [Reply(text, to_user=person.userid)],
            default_user=None,
            key_prefix=key,
            channel=Channel.APP.value,
            now=now,
            lease=self._sender.policy.lease,
        )


def _warning(
    ticket: Ticket, milestone: Milestone, tenant: TenantInfo, due: datetime, left: timedelta
) -> str:
    tail = f"{ticket.seq:04d}"
    return WARN.format(
        headline=headline(ticket),
        clock=CLOCK_WORDS[milestone.clock],
        due=time_words(due, tenant.timezone),
        left=duration_words(left.total_seconds()),
        hint=HINTS[milestone.clock].format(tail=tail),
    )


def _breach(ticket: Ticket, milestone: Milestone, tenant: TenantInfo, due: datetime) -> str:
    return BREACH.format(
        headline=headline(ticket),
        clock=CLOCK_WORDS[milestone.clock],
        due=time_words(due, tenant.timezone),
        assignee=label(ticket.assignee) if ticket.assignee else "未派单",
        tail=f"{ticket.seq:04d}",
    )
