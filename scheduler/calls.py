"""The call center's scheduled work: pulling WeCom 公费电话 records every few minutes."""

from __future__ import annotations

from bot.calls.dial_sync import DialSyncSweep
from bot.capability import Services
from scheduler.jobs import SweepJob

DIAL_SYNC_SECONDS = 300


def call_jobs(services: Services) -> list[SweepJob]:
    sweep = DialSyncSweep(services.tenants, services.client, services.billing, services.clock)
    return [SweepJob("calls-dial-sync", DIAL_SYNC_SECONDS, sweep.run)]
