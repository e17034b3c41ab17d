"""The weekly satisfaction report: a tick every few minutes decides per tenant, in its own
timezone, whether this week's report is due (Monday from 09:00) and not yet queued."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.outbox import OutboxSender
from bot.surveys.weekly import weekly_report
from bot.tenants import TenantDirectory
from bot.wecom.client import WeComClient
from models.tenants import Tenant
from scheduler.jobs import SweepJob

if TYPE_CHECKING:
    from bot.app import Runtime

TICK_SECONDS = 600


def survey_weekly_jobs(runtime: Runtime) -> list[SweepJob]:
    client, sender = runtime.client, runtime.sender
    assert client is not None and sender is not None, "jobs start after the services"
    tenants, clock = runtime.tenants, runtime.options.clock

    async def run() -> int:
        return await send_weekly_reports(tenants, client, sender, clock)

    return [SweepJob("survey-weekly-report", TICK_SECONDS, run)]


async def send_weekly_reports(
    tenants: TenantDirectory, client: WeComClient, sender: OutboxSender, clock: Clock
) -> int:
    sent = 0
    for row in await Tenant.all().only("id"):
        tenant = await tenants.get_by_id(row.id)
        if tenant is None:
            continue
        rows = await weekly_report(tenant, client, clock.now(), sender.policy.lease)
        await sender.send_rows(rows)
        sent += len(rows)
    return sent
