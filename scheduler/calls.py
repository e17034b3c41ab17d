"""The call center's scheduled work: pulling WeCom 公费电话 records every few minutes, and
the admins' daily call report (a tick every few minutes; once per tenant and day, see
``bot.calls.ranking``)."""

from __future__ import annotations

from bot.calls.dial_sync import MODULE, DialSyncSweep
from bot.calls.ranking import daily_call_report
from bot.capability import Services
from models.tenants import Tenant
from scheduler.jobs import SweepJob

DIAL_SYNC_SECONDS = 300
REPORT_TICK_SECONDS = 600


def call_jobs(services: Services) -> list[SweepJob]:
    sweep = DialSyncSweep(services.tenants, services.client, services.billing, services.clock)

    async def report() -> int:
        return await send_daily_reports(services)

    return [
        SweepJob("calls-dial-sync", DIAL_SYNC_SECONDS, sweep.run),
        SweepJob("calls-daily-report", REPORT_TICK_SECONDS, report),
    ]


async def send_daily_reports(services: Services) -> int:
    sent = 0
    now = services.clock.now()
    for row in await Tenant.all().only("id"):
        tenant = await services.tenants.get_by_id(row.id)
        if tenant is None or not await services.billing.grants(tenant.id, tenant.timezone, MODULE):
            continue
        rows = await daily_call_report(tenant, now, services.sender.policy.lease)
        await services.sender.send_rows(rows)
        sent += len(rows)
    return sent
