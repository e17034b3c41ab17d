"""The installer's reminders: the day before an appointment and an hour before it.

Each is sent once per version of the appointment: the sweep claims it by inserting an
``InstallReminder`` row, unique per (job, kind, version), in the transaction that writes the
message. Two replicas never both send one; a moved job (a new version) gets its own, and a
cancelled or finished job none. A reminder whose moment passed unseen (the job was booked
late, or the sweep was down) is claimed without a word when the next one is due.

The day before, the customer is reminded too, with the link to confirm the time or ask for
another (``bot.installation.customer``), in the same claim: once per version.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.dispatch.types import Channel, Reply
from bot.installation.customer import customer_replies
from bot.installation.numbers import tail
from bot.installation.wording import window_words
from bot.outbox import OutboxSender, enqueue
from bot.tenants import TenantDirectory
from models.crm.customers import Customer
from models.installation import InstallJob, InstallReminder, JobState, LinkPurpose
from models.outbox import OutboxMessage
from models.tenants import Employee

DAY_BEFORE, HOUR_BEFORE = "day_before", "hour_before"
LEADS = ((HOUR_BEFORE, timedelta(hours=1)), (DAY_BEFORE, timedelta(days=1)))
TEXT = {
    DAY_BEFORE: "【明天安装】安装单 {number}：{when}，{customer}，{items}，地址：{address}。",
    HOUR_BEFORE: (
        "【1小时后安装】安装单 {number}：{when}，{customer}，地址：{address}。到场后发送位置签到。"
    ),
}


def due_kinds(start: datetime, now: datetime) -> list[tuple[str, bool]]:
    """(kind, say it) for each reminder that has come: only the latest one is said."""
    come = [kind for kind, lead in LEADS if start - lead <= now < start]
    return [(kind, i == 0) for i, kind in enumerate(come)]


class InstallReminderSweep:
    def __init__(
        self, tenants: TenantDirectory, sender: OutboxSender, clock: Clock, base_url: str = ""
    ) -> None:
        self._tenants = tenants
        self._sender = sender
        self._clock = clock
        self._base_url = base_url  # the customer's link (the day before); none without it

    async def run(self) -> int:
        now = self._clock.now().astimezone(UTC)
        jobs = await InstallJob.filter(
            state=JobState.DISPATCHED,
            window_start__gt=now,
            window_start__lte=now + timedelta(days=1),
        ).order_by("id")
        sent, rows = 0, []
        for job in jobs:
            for kind, say in due_kinds(job.window_start, now):  # type: ignore[arg-type]
                told = await self._claim(job, kind, say, now)
                if told is not None:
                    sent += 1 if say else 0
                    rows += told
        await self._sender.send_rows(rows)
        return sent

    async def _claim(
        self, job: InstallJob, kind: str, say: bool, now: datetime
    ) -> list[OutboxMessage] | None:
        try:
            async with in_transaction():
                await InstallReminder.create(
                    job_id=job.id, kind=kind, version=job.version, sent_at=now
                )
                return await self._tell(job, kind, now) if say else []
        except IntegrityError:
            return None  # another replica (or an earlier run) has it

    async def _tell(self, job: InstallJob, kind: str, now: datetime) -> list[OutboxMessage]:
        tenant = await self._tenants.get_by_id(job.tenant_id)
        installer = await Employee.get_or_none(id=job.installer_id) if job.installer_id else None
        if tenant is None or installer is None:
            return []
        customer = await Customer.get(id=job.customer_id)
        text = TEXT[kind].format(
            number=job.number,
            when=window_words(job, tenant.timezone),
            customer=customer.display_name,
            items=job.items or "—",
            address=job.address or "未填",
            tail=tail(job),
        )
        replies = [Reply(text, to_user=installer.userid, channel=Channel.APP.value)]
        if kind == DAY_BEFORE and self._base_url:
            # The customer too: the time, with a link to confirm it or ask for another.
            purpose = LinkPurpose.APPOINTMENT
            replies += await customer_replies(tenant, job, purpose, self._base_url, now)
        return await enqueue(
            tenant.id,
            replies,
            default_user=None,
            key_prefix=f"install:{job.id}:{kind}:{job.version}",
            channel=Channel.APP.value,
            now=now,
            lease=self._sender.policy.lease,
        )
