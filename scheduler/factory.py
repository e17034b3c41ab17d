"""The scheduler is only a clock: jobs are short sweeps that claim their work in the database,
so nothing is lost if a run is skipped, and two replicas never do the same work twice."""

from __future__ import annotations

import logging
from datetime import UTC

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler

logger = logging.getLogger(__name__)

JOB_DEFAULTS = {
    "coalesce": True,  # after a stall, run once rather than once per missed tick
    "max_instances": 1,  # a slow sweep is never overlapped by the next tick
    "misfire_grace_time": 60,
}


def _log_job_error(event: JobExecutionEvent) -> None:
    logger.error(
        "scheduled job %s failed: %r",
        event.job_id,
        event.exception,
        exc_info=(type(event.exception), event.exception, event.exception.__traceback__),
    )


def build_scheduler() -> AsyncIOScheduler:
    """A scheduler on a UTC clock; jobs that care about a tenant's local time convert."""
    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
    scheduler.add_listener(_log_job_error, EVENT_JOB_ERROR)
    return scheduler
