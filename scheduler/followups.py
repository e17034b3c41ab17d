"""The follow-up module's scheduled work: the reminder sweep, the daily digest, and teaching
the segmenter the names of customers added since start-up."""

from __future__ import annotations

from datetime import timedelta

from bot.capability import Services
from bot.followups.digest import daily_digest
from bot.followups.reminders import ReminderPolicy, ReminderSweep
from bot.nlu.vocabulary import NameLearner
from models.tenants import Tenant
from scheduler.jobs import SweepJob

REMINDER_SECONDS = 20
DIGEST_SECONDS = 600
NAMES_SECONDS = 60


def followup_jobs(services: Services) -> list[SweepJob]:
    sender, clock = services.sender, services.clock
    hours = services.settings.followups.escalate_after_hours
    policy = ReminderPolicy(escalate_after=timedelta(hours=hours))
    sweep = ReminderSweep(services.tenants, sender, clock, policy)

    async def digest() -> int:
        sent = 0
        for row in await Tenant.all().only("id"):
            tenant = await services.tenants.get_by_id(row.id)
            if tenant is None:
                continue
            rows = await daily_digest(tenant, clock.now(), sender.policy.lease)
            await sender.send_rows(rows)
            sent += len(rows)
        return sent

    jobs = [
        SweepJob("followup-reminders", REMINDER_SECONDS, sweep.run),
        SweepJob("followup-digest", DIGEST_SECONDS, digest),
    ]
    if services.segmenter is not None:
        learner = NameLearner(services.segmenter, since=clock.now())

        async def learn_names() -> int:
            return await learner.learn(clock.now())

        jobs.append(SweepJob("nlu-new-names", NAMES_SECONDS, learn_names))
    return jobs
