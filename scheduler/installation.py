"""The installation module's scheduled work: the installers' reminders (the day before and an
hour before each appointment)."""

from __future__ import annotations

from bot.capability import Services
from bot.installation.reminders import InstallReminderSweep
from scheduler.jobs import SweepJob

REMINDER_SECONDS = 300


def installation_jobs(services: Services) -> list[SweepJob]:
    sweep = InstallReminderSweep(services.tenants, services.sender, services.clock)
    return [SweepJob("installation-reminders", REMINDER_SECONDS, sweep.run)]
