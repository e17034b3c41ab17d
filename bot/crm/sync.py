"""Bringing a tenant's existing customers in from WeCom (``scrm-bot sync customers`` and the
nightly job), so a tenant that installs the bot late still gets its customer book.

Members are paged in chunks of 100 through ``batch/get_by_user``. Each page is stored in one
transaction together with its chunk's next cursor, so a sync that dies resumes after the last
stored page, and storing a page twice changes nothing (upserts). A lease on the tenant's
``CustomerSyncRun`` row keeps two processes from syncing one tenant at once; a semaphore keeps
at most ``concurrency`` calls in flight because WeCom answers 45033 past its limit (the client
retries those after a backoff).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.crm.book import upsert_contact
from bot.crm.tags import sync_corp_tags
from bot.tenants import TenantInfo
from bot.wecom.client import WeComClient
from bot.wecom.contacts import MAX_BATCH_USERS, contacts_by_users, corp_tags, follow_user_list
from models.crm.ops import CustomerSyncChunk, CustomerSyncRun, SyncStatus

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 2
PAGE_LIMIT = 100
LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class SyncReport:
    started: bool  # False when another process holds the tenant's sync
    resumed: bool = False
    members: int = 0
    pages: int = 0
    relationships: int = 0  # (customer, member) pairs stored


@dataclass(slots=True)
class _Job:
    client: WeComClient
    tenant: TenantInfo
    clock: Clock
    run: CustomerSyncRun
    slots: asyncio.Semaphore


async def _claim(tenant_id: int, now: datetime) -> tuple[CustomerSyncRun | None, bool]:
    """The tenant's run row if we won it, and whether the last run died before finishing."""
    run, _ = await CustomerSyncRun.get_or_create(tenant_id=tenant_id)
    won = await CustomerSyncRun.filter(
        Q(status=SyncStatus.IDLE) | Q(lease_until__isnull=True) | Q(lease_until__lte=now),
        id=run.id,
    ).update(status=SyncStatus.RUNNING, lease_until=now + LEASE, started_at=now)
    return (run if won else None), run.status == SyncStatus.RUNNING


async def _chunks(job: _Job, crashed: bool) -> tuple[list[CustomerSyncChunk], bool]:
    tenant_id = job.tenant.id
    if crashed:
        left = await CustomerSyncChunk.filter(tenant_id=tenant_id, done=False).order_by("position")
        if left:
            return left, True
    await CustomerSyncChunk.filter(tenant_id=tenant_id).delete()
    userids = await follow_user_list(job.client, job.tenant.credentials)
    chunks = [
        await CustomerSyncChunk.create(
            tenant_id=tenant_id, position=i, userids=userids[start : start + MAX_BATCH_USERS]
        )
        for i, start in enumerate(range(0, len(userids), MAX_BATCH_USERS))
    ]
    return chunks, False


async def _store_page(job: _Job, chunk: CustomerSyncChunk, page_cursor: str) -> int:
    async with job.slots:
        page = await contacts_by_users(
            job.client, job.tenant.credentials, chunk.userids, page_cursor, PAGE_LIMIT
        )
    now = job.clock.now()
    for attempt in range(2):
        try:
            async with in_transaction():
                for detail in page.details:
                    await upsert_contact(job.tenant.id, detail, now)
                await CustomerSyncChunk.filter(id=chunk.id).update(
                    cursor=page.next_cursor, done=not page.next_cursor
                )
                await CustomerSyncRun.filter(id=job.run.id).update(lease_until=now + LEASE)
            break
        except IntegrityError:
            # Two chunks can meet the same new customer at once; the retry finds the row.
            if attempt:
                raise
    chunk.cursor, chunk.done = page.next_cursor, not page.next_cursor
    return len(page.details)


async def _page_through(job: _Job, chunk: CustomerSyncChunk) -> tuple[int, int]:
    pages = relationships = 0
    while not chunk.done:
        relationships += await _store_page(job, chunk, chunk.cursor)
        pages += 1
    return pages, relationships


async def _page_all(job: _Job, chunks: list[CustomerSyncChunk]) -> list[tuple[int, int]]:
    """Page every chunk; the first failure stops the others (their stored pages stay)."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_page_through(job, chunk)) for chunk in chunks]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]


async def sync_customers(
    client: WeComClient,
    tenant: TenantInfo,
    clock: Clock,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> SyncReport:
    run, crashed = await _claim(tenant.id, clock.now())
    if run is None:
        return SyncReport(started=False)
    job = _Job(client, tenant, clock, run, asyncio.Semaphore(max(concurrency, 1)))
    try:
        await sync_corp_tags(tenant.id, await corp_tags(client, tenant.credentials))
        chunks, resumed = await _chunks(job, crashed)
        counts = await _page_all(job, chunks)
    except BaseException:
        # Leave the run marked as crashed (RUNNING) but free its lease, so the next attempt
        # resumes at once instead of waiting for the lease to run out.
        await CustomerSyncRun.filter(id=run.id).update(lease_until=None)
        raise
    members = sum(len(chunk.userids) for chunk in chunks)
    report = SyncReport(
        True, resumed, members, sum(c[0] for c in counts), sum(c[1] for c in counts)
    )
    await _finish(run, report, clock.now())
    logger.info("synced %d relationships for %s", report.relationships, tenant.key)
    return report


async def _finish(run: CustomerSyncRun, report: SyncReport, now: datetime) -> None:
    await CustomerSyncRun.filter(id=run.id).update(
        status=SyncStatus.IDLE,
        lease_until=None,
        finished_at=now,
        pages=report.pages,
        customers=report.relationships,
    )


async def last_finished(tenant_id: int) -> datetime | None:
    run = await CustomerSyncRun.get_or_none(tenant_id=tenant_id)
    return run.finished_at if run else None
