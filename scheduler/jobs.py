"""The sweeps the foundation runs. Later modules add theirs in ``register_jobs``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.dispatch.state import purge_expired
from bot.inbox import Inbox
from bot.outbox import OutboxSender


@dataclass(frozen=True, slots=True)
class SweepJob:
    id: str
    seconds: int
    run: Callable[[], Awaitable[object]]


def core_jobs(inbox: Inbox, sender: OutboxSender, clock: Clock) -> list[SweepJob]:
    async def purge_conversations() -> int:
        return await purge_expired(clock.now())

    return [
        SweepJob("outbox-sweep", 10, sender.sweep_all),
        SweepJob("inbox-recover", 15, inbox.recover),
        SweepJob("conversation-purge", 3600, purge_conversations),
    ]


def register_jobs(scheduler: AsyncIOScheduler, jobs: list[SweepJob]) -> None:
    for job in jobs:
        # Stable ids with replace_existing: re-registering on restart updates, never doubles.
        scheduler.add_job(
            job.run,
            "interval",
            seconds=job.seconds,
            id=job.id,
            name=job.id,
            replace_existing=True,
        )
