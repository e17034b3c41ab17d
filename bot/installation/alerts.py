"""The installation sweep's alerts and the installers' morning list, each exactly once across
replicas:

- **Overdue**: a dispatched or started job not completed ``OVERDUE_AFTER`` past its window's
  end tells the installer, the booker and the dispatchers (the admins when there are none).
  Claimed as an ``InstallReminder`` of kind ``overdue`` for the appointment's version, so a
  moved job can be overdue again at its new time.
- **Unconfirmed**: a job completed ``UNCONFIRMED_AFTER`` ago and not confirmed by the customer
  tells the booker and the dispatchers once (kind ``unconfirmed``).
- **Morning list**: from ``MORNING`` tenant-local time, each installer with booked jobs that
  day gets the day's list once, claimed by an ``InstallDigest`` row per installer and day.

Each claim is a unique row inserted in the transaction that writes the message: of two
replicas sweeping at once, one inserts it and the other gets an IntegrityError and says
nothing. Jobs are looked at within ``LOOKBACK`` only, so the sweep's reads stay small.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.dispatch.types import Channel, Reply
from bot.installation.deciders import deciders
from bot.installation.numbers import tail
from bot.installation.wording import hours_words, window_words
from bot.outbox import OutboxSender, enqueue
from bot.tenants import TenantDirectory, TenantInfo
from models.crm.customers import Customer
from models.installation import (
    BOOKED_STATES,
    InstallDigest,
    InstallJob,
    InstallReminder,
    JobState,
)
from models.outbox import OutboxMessage
from models.tenants import Employee

OVERDUE, UNCONFIRMED = "overdue", "unconfirmed"
OVERDUE_AFTER = timedelta(minutes=30)
UNCONFIRMED_AFTER = timedelta(days=2)
LOOKBACK = timedelta(days=7)
MORNING = time(7, 30)

OVERDUE_TEXT = (
    "【安装超时】安装单 {number}（{when}，{customer}）已过约定时间还没有完工，现在：{state}。"
    "完工发送「完工 {tail} 说明」，改时间发送「改约 {tail} 新时间」。"
)
UNCONFIRMED_TEXT = (
    "【客户未确认】安装单 {number}（{customer}）完工 {days} 天了，客户还没有确认。"
    "请联系客户；客户当面确认的，发送「确认安装 {tail}」。"
)
MORNING_HEAD = "早上好，今天的安装（{count} 单）："
MORNING_LINE = "{hours} {number} {customer}{address}"
MORNING_TAIL = "到场后发送位置签到，完工前发送现场照片。"
STATE_NOW = {JobState.DISPATCHED: "已派工，还没签到", JobState.STARTED: "已签到，还没完工"}


class InstallAlertSweep:
    def __init__(self, tenants: TenantDirectory, sender: OutboxSender, clock: Clock) -> None:
        self._tenants = tenants
        self._sender = sender
        self._clock = clock

    async def run(self) -> int:
        now = self._clock.now().astimezone(UTC)
        rows: list[OutboxMessage] = []
        rows += await self._overdue(now)
        rows += await self._unconfirmed(now)
        rows += await self._mornings(now)
        await self._sender.send_rows(rows)
        return len(rows)

    async def _overdue(self, now: datetime) -> list[OutboxMessage]:
        jobs = await InstallJob.filter(
            state__in=BOOKED_STATES,
            window_end__lt=now - OVERDUE_AFTER,
            window_end__gte=now - LOOKBACK,
        ).order_by("id")
        rows = []
        for job in await _unclaimed(jobs, OVERDUE):
            rows += await self._claim(job, OVERDUE, now)
        return rows

    async def _unconfirmed(self, now: datetime) -> list[OutboxMessage]:
        jobs = await InstallJob.filter(
            state=JobState.COMPLETED,
            ended_at__lt=now - UNCONFIRMED_AFTER,
            ended_at__gte=now - UNCONFIRMED_AFTER - LOOKBACK,
        ).order_by("id")
        # A job the customer asked to come back for waits on its follow-up visit instead.
        revisited: set[int] = set(
            await InstallJob.filter(revisit_of_id__in=[j.id for j in jobs]).values_list(
                "revisit_of_id", flat=True
            )  # type: ignore[arg-type]
        )
        jobs = [j for j in jobs if j.id not in revisited]
        rows = []
        for job in await _unclaimed(jobs, UNCONFIRMED):
            rows += await self._claim(job, UNCONFIRMED, now)
        return rows

    async def _claim(self, job: InstallJob, kind: str, now: datetime) -> list[OutboxMessage]:
        tenant = await self._tenants.get_by_id(job.tenant_id)
        if tenant is None:
            return []
        try:
            async with in_transaction():
                await InstallReminder.create(
                    job_id=job.id, kind=kind, version=job.version, sent_at=now
                )
                replies = await _alert(tenant, job, kind, now)
                return await self._enqueue(tenant, replies, f"install:{job.id}:{kind}", now, job)
        except IntegrityError:
            return []  # another replica (or an earlier run) has it

    async def _mornings(self, now: datetime) -> list[OutboxMessage]:
        jobs = await InstallJob.filter(
            state__in=BOOKED_STATES,
            installer_id__not_isnull=True,
            window_start__gte=now - timedelta(hours=14),  # today's, in any time zone
            window_start__lt=now + timedelta(hours=38),
        ).order_by("window_start", "id")
        days: dict[tuple[int, int], list[InstallJob]] = defaultdict(list)
        tenants: dict[int, TenantInfo | None] = {}
        for job in jobs:
            if job.tenant_id not in tenants:
                tenants[job.tenant_id] = await self._tenants.get_by_id(job.tenant_id)
            tenant = tenants[job.tenant_id]
            if tenant is None:
                continue
            local_now = now.astimezone(tenant.timezone)
            start = job.window_start.astimezone(tenant.timezone)  # type: ignore[union-attr]
            if local_now.time() >= MORNING and start.date() == local_now.date():
                days[(job.tenant_id, job.installer_id or 0)].append(job)
        rows = []
        for (tenant_id, installer_id), own in days.items():
            tenant = tenants[tenant_id]
            assert tenant is not None
            rows += await self._morning(tenant, installer_id, own, now)
        return rows

    async def _morning(
        self, tenant: TenantInfo, installer_id: int, jobs: list[InstallJob], now: datetime
    ) -> list[OutboxMessage]:
        day = now.astimezone(tenant.timezone).date()
        if await InstallDigest.exists(tenant_id=tenant.id, employee_id=installer_id, day=day):
            return []
        installer = await Employee.get_or_none(id=installer_id)
        if installer is None:
            return []
        names = dict(
            await Customer.filter(id__in={j.customer_id for j in jobs}).values_list("id", "name")
        )
        lines = [MORNING_HEAD.format(count=len(jobs))]
        lines += [
            MORNING_LINE.format(
                hours=hours_words(j, tenant.timezone),
                number=j.number,
                customer=names.get(j.customer_id) or "未命名客户",
                address=f" {j.address}" if j.address else "",
            )
            for j in jobs
        ]
        lines.append(MORNING_TAIL)
        reply = Reply("\n".join(lines), to_user=installer.userid, channel=Channel.APP.value)
        try:
            async with in_transaction():
                await InstallDigest.create(
                    tenant_id=tenant.id, employee_id=installer_id, day=day, sent_at=now
                )
                key = f"install-morning:{installer_id}:{day.isoformat()}"
                return await self._enqueue(tenant, [reply], key, now)
        except IntegrityError:
            return []

    async def _enqueue(
        self,
        tenant: TenantInfo,
        replies: list[Reply],
        key: str,
        now: datetime,
        job: InstallJob | None = None,
    ) -> list[OutboxMessage]:
        if job is not None:
            key = f"{key}:{job.version}"
        return await enqueue(
            tenant.id,
            replies,
            default_user=None,
            key_prefix=key,
            channel=Channel.APP.value,
            now=now,
            lease=self._sender.policy.lease,
        )


async def _unclaimed(jobs: list[InstallJob], kind: str) -> list[InstallJob]:
    claimed = set(
        await InstallReminder.filter(job_id__in=[j.id for j in jobs], kind=kind).values_list(
            "job_id", "version"
        )
    )
    return [j for j in jobs if (j.id, j.version) not in claimed]


async def _alert(tenant: TenantInfo, job: InstallJob, kind: str, now: datetime) -> list[Reply]:
    customer = await Customer.get(id=job.customer_id)
    if kind == OVERDUE:
        text = OVERDUE_TEXT.format(
            number=job.number,
            when=window_words(job, tenant.timezone),
            customer=customer.display_name,
            state=STATE_NOW.get(job.state, ""),
            tail=tail(job),
        )
    else:
        ended = job.ended_at or now
        text = UNCONFIRMED_TEXT.format(
            number=job.number,
            customer=customer.display_name,
            days=max(1, (now - ended).days),
            tail=tail(job),
        )
    people = list(await deciders(tenant, job))
    if kind == OVERDUE and job.installer_id:
        installer = await Employee.get_or_none(id=job.installer_id)
        if installer is not None and installer.userid not in people:
            people.insert(0, installer.userid)
    return [Reply(text, to_user=userid, channel=Channel.APP.value) for userid in people]
