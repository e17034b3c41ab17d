"""The survey module's scheduled work: reminders and expiry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.surveys.sweep import sweep_surveys
from scheduler.jobs import SweepJob

if TYPE_CHECKING:
    from bot.app import Runtime

SWEEP_SECONDS = 60


def survey_jobs(runtime: Runtime) -> list[SweepJob]:
    clock = runtime.options.clock
    base_url = runtime.settings.server.public_base_url

    async def sweep() -> int:
        return await sweep_surveys(clock.now(), base_url)

    return [SweepJob("survey-sweep", SWEEP_SECONDS, sweep)]
