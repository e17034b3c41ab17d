"""The follow-up module's scheduled work: the reminder sweep, the daily digest, and teaching
the segmenter the names of customers added since start-up."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.followups.digest import daily_digest
from bot.followups.reminders import ReminderPolicy, ReminderSweep
from bot.nlu.vocabulary import NameLearner
from models.tenants import Tenant
from scheduler.jobs import SweepJob

if TYPE_CHECKING:
    from bot.app import Runtime

REMINDER_SECONDS = 20
DIGEST_SECONDS = 600
NAMES_SECONDS = 60


def followup_jobs(runtime: Runtime) -> list[SweepJob]:
    sender = runtime.sender
    assert sender is not None, "jobs start after the services"
    hours = runtime.settings.followups.escalate_after_hours
    policy = ReminderPolicy(escalate_after=timedelta(hours=hours))
    sweep = ReminderSweep(runtime.tenants, sender, runtime.options.clock, policy)

    async def digest() -> int:
        sent = 0
        for row in await Tenant.all().only("id"):
            tenant = await runtime.tenants.get_by_id(row.id)
            if tenant is None:
                continue
            rows = await daily_digest(tenant, runtime.options.clock.now(), sender.policy.lease)
            await sender.send_rows(rows)
            sent += len(rows)
        return sent

    jobs = [
        SweepJob("followup-reminders", REMINDER_SECONDS, sweep.run),
        SweepJob("followup-digest", DIGEST_SECONDS, digest),
    ]
    if runtime.segmenter is not None:
        clock = runtime.options.clock
        learner = NameLearner(runtime.segmenter, since=clock.now())
        jobs.append(SweepJob("nlu-new-names", NAMES_SECONDS, lambda: learner.learn(clock.now())))
    return jobs
