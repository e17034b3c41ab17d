"""Syncing the address book of the app's visible range: at start-up, nightly, and on demand
(``scrm-bot sync members TENANT``, 同步通讯录).

Departments are walked in WeCom's order; each department's members are stored, and the sync
row's ``position`` moves past it, before the next one starts. A run that dies resumes after
the last stored department, with the same run number, so members already seen stay seen.
Only a run that reached the end marks the members it never saw as left. The lease on the
tenant's ``DirectorySync`` row keeps two replicas (or ``serve`` and the CLI) from syncing one
tenant at once; ``Pacer`` keeps the calls well under WeCom's 10,000 a minute per API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.people.leaving import member_left, release_stranger_seat
from bot.people.store import (
    MemberFacts,
    mark_left,
    upsert_department,
    upsert_member,
)
from bot.subscription import seats
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.directory import (
    NO_PRIVILEGE,
    STATUS_LEFT,
    USER_NOT_FOUND,
    department_ids,
    department_members,
    department_name,
    member_detail,
)
from models.outbox import OutboxMessage
from models.people import Department, DirectoryMember, DirectorySync, MemberStatus, SyncStatus

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
CALLS_PER_SECOND = 150.0  # 9,000 a minute: below WeCom's 10,000 a minute per API
DETAIL_CONCURRENCY = 4


@dataclass(frozen=True, slots=True)
class SyncReport:
    started: bool  # False when another process holds the tenant's sync
    resumed: bool = False
    departments: int = 0
    members: int = 0
    joined: int = 0  # new to the directory in this run
    left: int = 0
    notices: tuple[OutboxMessage, ...] = ()


class Pacer:
    """At most ``per_second`` calls started per second, across concurrent callers."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self._interval:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            delay = self._next - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = max(self._next, loop.time()) + self._interval


@dataclass(slots=True)
class _Run:
    client: WeComClient
    tenant: TenantInfo
    clock: Clock
    row: DirectorySync
    pacer: Pacer
    joined: int = 0


async def _claim(tenant_id: int, now: datetime) -> tuple[DirectorySync | None, bool]:
    """The tenant's sync row if we won it, and whether it resumes a run that died."""
    row, _ = await DirectorySync.get_or_create(tenant_id=tenant_id)
    won = await DirectorySync.filter(
        Q(status=SyncStatus.IDLE) | Q(lease_until__isnull=True) | Q(lease_until__lte=now),
        id=row.id,
    ).update(status=SyncStatus.RUNNING, lease_until=now + LEASE)
    if not won:
        return None, False
    crashed = row.status == SyncStatus.RUNNING and row.run > 0
    if not crashed:
        row.run, row.position = row.run + 1, 0
        await DirectorySync.filter(id=row.id).update(run=row.run, position=0, started_at=now)
    return row, crashed


async def sync_directory(
    client: WeComClient,
    tenant: TenantInfo,
    clock: Clock,
    *,
    pacer: Pacer | None = None,
    learn: Callable[[Iterable[str]], object] | None = None,
) -> SyncReport:
    """``learn`` is handed the members' names (the segmenter's vocabulary)."""
    row, resumed = await _claim(tenant.id, clock.now())
    if row is None:
        return SyncReport(started=False)
    run = _Run(client, tenant, clock, row, pacer or Pacer(CALLS_PER_SECOND))
    try:
        await run.pacer.wait()
        refs = await department_ids(client, tenant.credentials)
        done = await _done_departments(run) if resumed else set()
        for position, ref in enumerate(refs):
            if ref.dept_id not in done:
                await _sync_department(run, ref.dept_id, ref.parent_id, ref.order)
                await DirectorySync.filter(id=row.id).update(
                    position=position + 1, lease_until=clock.now() + LEASE
                )
        left, notices = await _finish(run)
    except WeComAPIError as exc:
        # A clean stop: the row stays "running" so the next attempt resumes it, and the
        # lease goes at once so that attempt need not wait. (A process that dies keeps it
        # until it runs out.) The errcode first: chat shows it, the operator reads the rest.
        await DirectorySync.filter(id=row.id).update(
            error=f"{exc.errcode} {exc}"[:255], lease_until=clock.now()
        )
        raise
    names = await DirectoryMember.filter(
        tenant_id=tenant.id, status=MemberStatus.ACTIVE
    ).values_list("name", flat=True)
    if learn is not None:
        learn(str(name) for name in names if name)
    return SyncReport(
        started=True,
        resumed=resumed,
        departments=len(refs),
        members=len(names),
        joined=run.joined,
        left=left,
        notices=tuple(notices),
    )


async def _done_departments(run: _Run) -> set[int]:
    """Departments this run stored before it died (by id: the list may have changed since)."""
    rows = await Department.filter(tenant_id=run.tenant.id, seen_run=run.row.run).only("dept_id")
    return {row.dept_id for row in rows}


async def _sync_department(run: _Run, dept_id: int, parent_id: int, order: int) -> None:
    creds, tenant_id, now = run.tenant.credentials, run.tenant.id, run.clock.now()
    await run.pacer.wait()
    name = await department_name(run.client, creds, dept_id)
    await run.pacer.wait()
    briefs = await department_members(run.client, creds, dept_id)
    fresh = []
    for brief in briefs:
        facts = MemberFacts(brief.userid, brief.name, brief.departments)
        if await upsert_member(tenant_id, facts, now, run=run.row.run):
            fresh.append(brief.userid)
    await upsert_department(
        tenant_id, dept_id, now, name=name, parent_id=parent_id, order=order, run=run.row.run
    )
    run.joined += len(fresh)
    slots = asyncio.Semaphore(DETAIL_CONCURRENCY)
    await asyncio.gather(*(_fill_details(run, userid, slots) for userid in fresh))


async def _fill_details(run: _Run, userid: str, slots: asyncio.Semaphore) -> None:
    """Alias and position come only from user/get; a member who vanished or left the visible
    range since the list was read is skipped (the next sync settles them)."""
    async with slots:
        await run.pacer.wait()
        try:
            detail = await member_detail(run.client, run.tenant.credentials, userid)
        except WeComAPIError as exc:
            if exc.errcode not in (NO_PRIVILEGE, USER_NOT_FOUND):
                raise
            logger.info("user/get %s for %s: %s", userid, run.tenant.key, exc)
            return
    facts = MemberFacts(userid, detail.name, None, detail.alias, detail.position)
    await upsert_member(run.tenant.id, facts, run.clock.now())


async def _finish(run: _Run) -> tuple[int, list[OutboxMessage]]:
    """Whoever this complete run never saw has left; departments it never saw are gone."""
    tenant_id, now, number = run.tenant.id, run.clock.now(), run.row.run
    await Department.filter(tenant_id=tenant_id, removed=False, seen_run__lt=number).update(
        removed=True, updated_at=now
    )
    gone = await DirectoryMember.filter(
        tenant_id=tenant_id, status=MemberStatus.ACTIVE, seen_run__lt=number
    ).values_list("userid", flat=True)
    left, notices = 0, list[OutboxMessage]()
    for userid in gone:
        if await _still_here(run, str(userid)):
            continue
        async with in_transaction():
            member = await mark_left(tenant_id, str(userid), now)
            if member is not None:
                left += 1
                notices += await member_left(run.tenant, member, now)
    notices += await _release_stranger_seats(run)
    await DirectorySync.filter(id=run.row.id).update(
        status=SyncStatus.IDLE,
        lease_until=None,
        finished_at=now,
        error="",
        members=await DirectoryMember.filter(
            tenant_id=tenant_id, status=MemberStatus.ACTIVE
        ).count(),
        departments=await Department.filter(tenant_id=tenant_id, removed=False).count(),
    )
    return left, notices


async def _release_stranger_seats(run: _Run) -> list[OutboxMessage]:
    """Only members of the address book hold seats once it is known."""
    tenant_id, now = run.tenant.id, run.clock.now()
    holders = [holder.userid for holder in await seats.holders(tenant_id)]
    members = await DirectoryMember.filter(
        tenant_id=tenant_id, status=MemberStatus.ACTIVE, userid__in=holders
    ).values_list("userid", flat=True)
    notices: list[OutboxMessage] = []
    for userid in set(holders) - {str(m) for m in members}:
        if not await _still_here(run, userid):
            async with in_transaction():
                notices += await release_stranger_seat(run.tenant, userid, run.row.run, now)
    return notices


async def _still_here(run: _Run, userid: str) -> bool:
    """A member the department walk missed may still be visible on their own (the visible
    range can name single members, whom no department list shows): user/get decides."""
    await run.pacer.wait()
    try:
        detail = await member_detail(run.client, run.tenant.credentials, userid)
    except WeComAPIError as exc:
        if exc.errcode in (NO_PRIVILEGE, USER_NOT_FOUND):
            return False
        raise
    if detail.status == STATUS_LEFT:
        return False
    facts = MemberFacts(userid, detail.name, detail.departments, detail.alias, detail.position)
    await upsert_member(run.tenant.id, facts, run.clock.now(), run=run.row.run)
    return True


async def last_finished(tenant_id: int) -> datetime | None:
    row = await DirectorySync.get_or_none(tenant_id=tenant_id)
    return row.finished_at if row is not None else None
