"""The customer module's scheduled work: the daily churn summary, the nightly value
recompute, the nightly WeCom sync and settling handovers the callbacks missed. Each runs
every few minutes and decides per tenant, in the tenant's timezone, whether there is
anything to do, so a missed tick costs nothing."""

from __future__ import annotations

import logging

from bot.capability import Services
from bot.clock import Clock
from bot.crm.churn import summarise_churn
from bot.crm.sync import last_finished, sync_customers
from bot.crm.transfer_poll import settle_pending_transfers
from bot.crm.valuation import local_midnight, nightly_pass
from bot.outbox import OutboxSender
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.tenants import Tenant
from scheduler.jobs import SweepJob

logger = logging.getLogger(__name__)

TICK_SECONDS = 600
SYNC_HOUR = 3  # local time: customers added in WeCom while the bot was down come in nightly


async def _tenants(directory: TenantDirectory) -> list[TenantInfo]:
    infos = [await directory.get_by_id(row.id) for row in await Tenant.all().only("id")]
    return [info for info in infos if info is not None]


def customer_jobs(services: Services) -> list[SweepJob]:
    client, sender = services.client, services.sender
    tenants, clock = services.tenants, services.clock
    return [
        SweepJob("crm-churn-summary", TICK_SECONDS, lambda: send_churn(tenants, sender, clock)),
        SweepJob("crm-value-nightly", TICK_SECONDS, lambda: revalue(tenants, clock)),
        SweepJob("crm-sync-nightly", TICK_SECONDS, lambda: nightly_sync(tenants, client, clock)),
        SweepJob(
            "crm-transfer-results",
            TICK_SECONDS,
            lambda: settle_transfers(tenants, client, sender, clock),
        ),
    ]


async def send_churn(tenants: TenantDirectory, sender: OutboxSender, clock: Clock) -> int:
    rows = []
    for tenant in await _tenants(tenants):
        rows += await summarise_churn(tenant, clock.now(), sender.policy.lease)
    await sender.send_rows(rows)
    return len(rows)


async def settle_transfers(
    tenants: TenantDirectory, client: WeComClient, sender: OutboxSender, clock: Clock
) -> int:
    """Handovers the callbacks left pending, settled from transfer_result."""
    rows = []
    for tenant in await _tenants(tenants):
        rows += await settle_pending_transfers(client, tenant, clock.now(), sender.policy.lease)
    await sender.send_rows(rows)
    return len(rows)


async def revalue(tenants: TenantDirectory, clock: Clock) -> int:
    return sum([await nightly_pass(t.id, t.timezone, clock.now()) for t in await _tenants(tenants)])


async def nightly_sync(tenants: TenantDirectory, client: WeComClient, clock: Clock) -> int:
    synced = 0
    for tenant in await _tenants(tenants):
        now = clock.now()
        finished = await last_finished(tenant.id)
        if now.astimezone(tenant.timezone).hour != SYNC_HOUR:
            continue
        if finished is not None and finished >= local_midnight(now, tenant.timezone):
            continue
        try:
            report = await sync_customers(client, tenant, clock)
        except WeComAPIError as exc:
            logger.error(
                "nightly customer sync for %s stopped (it resumes next time): %s", tenant.key, exc
            )
            continue
        synced += report.relationships
    return synced
