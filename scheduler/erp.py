"""ERP-lite's scheduled work: the morning stock note, the monthly 进销存汇总 and the nightly
ledger check (``bot.erp.notes``). Each ticks every few minutes and decides per tenant, in the
tenant's timezone, whether its period is due and unclaimed; tenants without the ``erp``
module are skipped."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.capability import Services
from bot.clock import Clock
from bot.erp.notes import monthly_summary, morning_note, nightly_check
from bot.outbox import OutboxSender
from bot.subscription.service import Billing
from bot.tenants import TenantDirectory, TenantInfo
from models.outbox import OutboxMessage
from models.tenants import Tenant
from scheduler.jobs import SweepJob

logger = logging.getLogger(__name__)

TICK_SECONDS = 600
MODULE = "erp"

Notice = Callable[[TenantInfo, datetime, timedelta], Awaitable[list[OutboxMessage]]]


async def erp_tenants(tenants: TenantDirectory, billing: Billing) -> list[TenantInfo]:
    found = []
    for row in await Tenant.all().only("id"):
        tenant = await tenants.get_by_id(row.id)
        if tenant is not None and await billing.grants(tenant.id, tenant.timezone, MODULE):
            found.append(tenant)
    return found


async def checked(tenant: TenantInfo, now: datetime, lease: timedelta) -> list[OutboxMessage]:
    """The nightly check as a notice: rows only on a mismatch."""
    report, rows = await nightly_check(tenant, now, lease)
    if report is not None and not report.ok:
        logger.error("nightly stock check for %s found a mismatch", tenant.key)
    return rows


async def send_notices(
    notice: Notice,
    tenants: TenantDirectory,
    billing: Billing,
    sender: OutboxSender,
    clock: Clock,
) -> int:
    """One tick of ``notice`` over the tenants with ERP-lite; how many rows went out."""
    sent = 0
    for tenant in await erp_tenants(tenants, billing):
        rows = await notice(tenant, clock.now(), sender.policy.lease)
        await sender.send_rows(rows)
        sent += len(rows)
    return sent


def erp_jobs(services: Services) -> list[SweepJob]:
    def tick(notice: Notice) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            return await send_notices(
                notice, services.tenants, services.billing, services.sender, services.clock
            )

        return run

    return [
        SweepJob("erp-morning-note", TICK_SECONDS, tick(morning_note)),
        SweepJob("erp-monthly-summary", TICK_SECONDS, tick(monthly_summary)),
        SweepJob("erp-nightly-check", TICK_SECONDS, tick(checked)),
    ]
