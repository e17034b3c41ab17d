"""The provider side's scheduled work: escalating support requests past their first-response
time, and asking client admins the quarter's NPS question (once per admin and quarter)."""

from __future__ import annotations

from bot.capability import Services
from bot.vendor_support.nps import NpsSweep
from bot.vendor_support.sweep import EscalationSweep
from scheduler.jobs import SweepJob

ESCALATION_SECONDS = 300
NPS_SECONDS = 6 * 3600  # the claim makes reruns free; a new quarter is noticed within hours


def support_jobs(services: Services) -> list[SweepJob]:
    operators = services.settings.subscription.operators
    escalation = EscalationSweep(operators, services.clock)
    base_url = services.settings.server.public_base_url
    nps = NpsSweep(operators, services.clock, base_url)
    return [
        SweepJob("vendor-support-escalation", ESCALATION_SECONDS, escalation.run),
        SweepJob("vendor-support-nps", NPS_SECONDS, nps.run),
    ]
