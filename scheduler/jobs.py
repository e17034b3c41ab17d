"""Sweep jobs: what a capability schedules, and the foundation's own sweeps."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import metrics
from bot.clock import Clock
from bot.dispatch.state import purge_expired
from bot.inbox import Inbox
from bot.outbox import OutboxSender
from bot.pacing import purge_sends


@dataclass(frozen=True, slots=True)
class SweepJob:
    id: str
    seconds: int
    run: Callable[[], Awaitable[object]]


def core_jobs(inbox: Inbox, sender: OutboxSender, clock: Clock) -> list[SweepJob]:
    async def purge_conversations() -> int:
        return await purge_expired(clock.now())

    async def purge_pacer_log() -> int:
        return await purge_sends(clock.now())

    return [
        SweepJob("outbox-sweep", 10, sender.sweep_all),
        SweepJob("inbox-recover", 15, inbox.recover),
        SweepJob("conversation-purge", 3600, purge_conversations),
        SweepJob("pacer-purge", 600, purge_pacer_log),
    ]


def as_coroutine_function(job: SweepJob) -> Callable[[], Awaitable[object]]:
    """APScheduler awaits a job only when it is a coroutine function; anything else (a
    lambda or a bound method returning a coroutine) runs in a worker thread, and the
    coroutine it returns is dropped unawaited. Every job goes through this wrapper, so how
    a capability spells ``run`` cannot silently stop it from running."""

    async def run() -> object:
        try:
            result = job.run()
            done = await result if inspect.isawaitable(result) else result
        except Exception:
            metrics.JOB_RUNS.labels(job.id, "failed").inc()
            raise
        metrics.JOB_RUNS.labels(job.id, "ok").inc()
        return done

    run.__name__ = run.__qualname__ = job.id
    return run


def register_jobs(scheduler: AsyncIOScheduler, jobs: Iterable[SweepJob]) -> None:
    for job in jobs:
        # Stable ids with replace_existing: re-registering on restart updates, never doubles.
        scheduler.add_job(
            as_coroutine_function(job),
            "interval",
            seconds=job.seconds,
            id=job.id,
            name=job.id,
            replace_existing=True,
        )
