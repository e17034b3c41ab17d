"""The installation module's scheduled work: the installers' reminders (the day before and an
hour before each appointment), and fetching site photos whose download failed before WeCom
drops them (three days); overdue and unconfirmed jobs, and each installer's morning list
(``bot.installation.alerts``). Every message is claimed once across replicas by a unique row."""

from __future__ import annotations

from bot.capability import Services
from bot.installation.alerts import InstallAlertSweep
from bot.installation.media import MediaKeeper
from bot.installation.photo_store import photo_store
from bot.installation.photos import PhotoSweep
from bot.installation.reminders import InstallReminderSweep
from scheduler.jobs import SweepJob

REMINDER_SECONDS = 300
PHOTO_SECONDS = 600
ALERT_SECONDS = 300


def installation_jobs(services: Services) -> list[SweepJob]:
    base_url = services.settings.server.public_base_url
    reminders = InstallReminderSweep(services.tenants, services.sender, services.clock, base_url)
    keeper = MediaKeeper(services.client, photo_store(services.settings, services.clock))
    photos = PhotoSweep(services.tenants, keeper, services.sender, services.clock)
    alerts = InstallAlertSweep(services.tenants, services.sender, services.clock)
    return [
        SweepJob("installation-reminders", REMINDER_SECONDS, reminders.run),
        SweepJob("installation-photos", PHOTO_SECONDS, photos.run),
        SweepJob("installation-alerts", ALERT_SECONDS, alerts.run),
    ]
