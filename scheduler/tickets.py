"""The work-order module's scheduled work: the SLA sweep (warnings and breaches)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.tickets.sweep import SlaSweep
from scheduler.jobs import SweepJob

if TYPE_CHECKING:
    from bot.app import Runtime

SLA_SECONDS = 60


def ticket_jobs(runtime: Runtime) -> list[SweepJob]:
    sender = runtime.sender
    assert sender is not None, "jobs start after the services"
    sweep = SlaSweep(runtime.tenants, sender, runtime.options.clock, runtime.settings.tickets)
    return [SweepJob("ticket-sla", SLA_SECONDS, sweep.run)]
