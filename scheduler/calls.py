"""The call center's scheduled work: pulling WeCom 公费电话 records every few minutes, the
admins' daily call report (a tick every few minutes; once per tenant and day, see
``bot.calls.ranking``) and their weekly chart (once per tenant and week, ``bot.calls.weekly``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from bot.calls.dial_sync import MODULE, DialSyncSweep
from bot.calls.ranking import daily_call_report
from bot.calls.weekly import weekly_call_report
from bot.capability import Services
from bot.tenants import TenantInfo
from models.tenants import Tenant
from scheduler.jobs import SweepJob

DIAL_SYNC_SECONDS = 300
REPORT_TICK_SECONDS = 600


def call_jobs(services: Services) -> list[SweepJob]:
    sweep = DialSyncSweep(services.tenants, services.client, services.billing, services.clock)

    async def report() -> int:
        return await send_daily_reports(services)

    async def weekly() -> int:
        return await send_weekly_charts(services)

    return [
        SweepJob("calls-dial-sync", DIAL_SYNC_SECONDS, sweep.run),
        SweepJob("calls-daily-report", REPORT_TICK_SECONDS, report),
        SweepJob("calls-weekly-chart", REPORT_TICK_SECONDS, weekly),
    ]


async def _callcenter_tenants(services: Services) -> AsyncIterator[TenantInfo]:
    for row in await Tenant.all().only("id"):
        tenant = await services.tenants.get_by_id(row.id)
        if tenant is not None and await services.billing.grants(tenant.id, tenant.timezone, MODULE):
            yield tenant


async def send_daily_reports(services: Services) -> int:
    sent = 0
    now = services.clock.now()
    async for tenant in _callcenter_tenants(services):
        rows = await daily_call_report(tenant, now, services.sender.policy.lease)
        await services.sender.send_rows(rows)
        sent += len(rows)
    return sent


async def send_weekly_charts(services: Services) -> int:
    sent = 0
    now = services.clock.now()
    async for tenant in _callcenter_tenants(services):
        rows = await weekly_call_report(tenant, services.client, now, services.sender.policy.lease)
        await services.sender.send_rows(rows)
        sent += len(rows)
    return sent
