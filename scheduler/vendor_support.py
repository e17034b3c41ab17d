"""Support requests' scheduled work: escalating requests past their first-response time."""

from __future__ import annotations

from bot.capability import Services
from bot.vendor_support.sweep import EscalationSweep
from scheduler.jobs import SweepJob

ESCALATION_SECONDS = 300


def support_jobs(services: Services) -> list[SweepJob]:
    sweep = EscalationSweep(services.settings.subscription.operators, services.clock)
    return [SweepJob("vendor-support-escalation", ESCALATION_SECONDS, sweep.run)]
