"""What operators poll: ``GET /readyz`` for a load balancer, ``GET /metrics`` for Prometheus
(the metrics themselves are in ``bot.metrics``), and the middleware that counts callbacks."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum

from aiohttp import web

from bot import metrics
from bot.db import migrations_applied, migrations_on_disk
from models.inbox import InboxStatus, InboxUpdate

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SchedulerState(StrEnum):
    RUNNING = "ok"
    STOPPED = "not running"
    OFF = "off"  # this process was started without one (tests, the demo)


def readiness(scheduler: Callable[[], SchedulerState]) -> Handler:
    """Whether this replica should get traffic: its database answers, every migration the
    code ships is applied, and its scheduler runs (when it is meant to). 503 otherwise, with
    what is wrong; ``/healthz`` says only that the process lives."""

    async def ready(request: web.Request) -> web.StreamResponse:
        checks: dict[str, str] = {}
        try:
            missing = migrations_on_disk() - await migrations_applied()
        except Exception as exc:  # any failure to ask is "not ready", never a 500
            checks["database"] = f"unreachable ({type(exc).__name__})"
            checks["migrations"] = "unknown"
        else:
            checks["database"] = "ok"
            pending = ", ".join(sorted(f"{app}.{name}" for app, name in missing))
            checks["migrations"] = f"pending: {pending}" if missing else "ok"
        checks["scheduler"] = scheduler().value
        ready = all(value in ("ok", "off") for value in checks.values())
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return web.json_response(body, status=200 if ready else 503)

    return ready


async def metrics_page(request: web.Request) -> web.Response:
    try:
        backlog = await InboxUpdate.filter(status=InboxStatus.PENDING).count()
    except Exception:  # the database is down: the other metrics still help
        logger.warning("inbox backlog unavailable for /metrics", exc_info=True)
    else:
        metrics.INBOX_BACKLOG.set(backlog)
    return web.Response(body=metrics.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})


@web.middleware
async def count_callbacks(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Counts WeCom callbacks by endpoint and answer, and times their acknowledgement."""
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else ""
    if not canonical.startswith("/wecom/{tenant_key}/"):
        return await handler(request)
    endpoint = canonical.rsplit("/", 1)[-1]
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    finally:
        metrics.ACK_SECONDS.labels(endpoint).observe(time.perf_counter() - started)
        metrics.CALLBACKS.labels(endpoint, request.method, str(status)).inc()
