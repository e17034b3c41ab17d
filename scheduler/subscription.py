"""The subscription sweeps: lifecycle upkeep, and renewal and seat-usage notices."""

from __future__ import annotations

from bot.capability import Services
from bot.subscription.notices import NoticeSweep
from bot.subscription.upkeep import LifecycleSweep
from scheduler.jobs import SweepJob

# Notices go out by the day, so a few minutes' delay is fine; the lifecycle runs first in
# each round only by its shorter interval, and each sweep stands on its own if the other lags.
LIFECYCLE_SECONDS = 240
NOTICE_SECONDS = 300


def subscription_jobs(services: Services) -> list[SweepJob]:
    billing, sender = services.billing, services.sender
    return [
        SweepJob("subscription-lifecycle", LIFECYCLE_SECONDS, LifecycleSweep(billing, sender).run),
        SweepJob("subscription-notices", NOTICE_SECONDS, NoticeSweep(billing, sender).run),
    ]
