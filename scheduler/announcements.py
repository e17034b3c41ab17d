"""Announcements' scheduled work: publishing what came due and delivering the cards."""

from __future__ import annotations

from bot.announcements.delivery import AnnouncementSweep
from bot.capability import Services
from scheduler.jobs import SweepJob

SWEEP_SECONDS = 60


def announcement_jobs(services: Services) -> list[SweepJob]:
    providers = (op.tenant_key for op in services.settings.subscription.operators)
    sweep = AnnouncementSweep(
        services.tenants, services.sender, services.billing, services.clock, providers
    )
    return [SweepJob("announcements-deliver", SWEEP_SECONDS, sweep.run)]
