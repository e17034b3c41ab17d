"""The survey module's scheduled work: reminders and expiry, and the weekly satisfaction
report (a tick every few minutes decides per tenant, in its own timezone, whether this
week's report is due — Monday from 09:00 — and not yet queued)."""

from __future__ import annotations

from bot.capability import Services
from bot.clock import Clock
from bot.outbox import OutboxSender
from bot.surveys.sweep import sweep_surveys
from bot.surveys.weekly import weekly_report
from bot.tenants import TenantDirectory
from bot.wecom.client import WeComClient
from models.tenants import Tenant
from scheduler.jobs import SweepJob

SWEEP_SECONDS = 60
WEEKLY_TICK_SECONDS = 600


def survey_jobs(services: Services) -> list[SweepJob]:
    clock = services.clock
    base_url = services.settings.server.public_base_url

    async def sweep() -> int:
        return await sweep_surveys(clock.now(), base_url)

    async def weekly() -> int:
        return await send_weekly_reports(services.tenants, services.client, services.sender, clock)

    return [
        SweepJob("survey-sweep", SWEEP_SECONDS, sweep),
        SweepJob("survey-weekly-report", WEEKLY_TICK_SECONDS, weekly),
    ]


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
