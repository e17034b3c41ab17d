"""The work-order module's scheduled work: the SLA sweep (warnings and breaches)."""

from __future__ import annotations

from bot.capability import Services
from bot.tickets.sweep import SlaSweep
from scheduler.jobs import SweepJob

SLA_SECONDS = 60


def ticket_jobs(services: Services) -> list[SweepJob]:
    sweep = SlaSweep(services.tenants, services.sender, services.clock, services.settings.tickets)
    return [SweepJob("ticket-sla", SLA_SECONDS, sweep.run)]
