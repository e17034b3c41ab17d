"""What ``GET /metrics`` shows, in Prometheus's text format: callbacks and how fast they were
acknowledged, the inbox backlog and how long handling takes, what the outbox sent, retried
and gave up on, waits for WeCom's rate limits, scheduler jobs and WeCom API errors.

One registry per process (one process is one instance); each replica is scraped on its own.
Labels are few and bounded: endpoints, channels, job ids, API names and errcodes, never a
tenant, user or message.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry()
CONTENT_TYPE = CONTENT_TYPE_LATEST

CALLBACKS = Counter(
    "scrm_callbacks_total",
    "WeCom callbacks answered, by endpoint (app, aibot) and HTTP status",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "scrm_callback_ack_seconds",
    "Time from a callback's arrival to its answer (WeCom retries after 5 s)",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
INBOX_BACKLOG = Gauge(
    "scrm_inbox_backlog",
    "Updates stored and not yet handled (all instances: it is read from the database)",
    registry=REGISTRY,
)
HANDLING_SECONDS = Histogram(
    "scrm_update_handling_seconds",
    "Time to handle one stored update, from its handler's start to its commit",
    ["outcome"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
OUTBOX = Counter(
    "scrm_outbox_messages_total",
    "Outbox sends by channel and outcome (sent, retried, dead) and WeCom errcode",
    ["channel", "outcome", "errcode"],
    registry=REGISTRY,
)
PACER_WAITS = Counter(
    "scrm_pacer_waits_total",
    "Messages held back to stay under a WeCom rate limit (member: per recipient, corp: per API)",
    ["channel", "limit"],
    registry=REGISTRY,
)
JOB_RUNS = Counter(
    "scrm_scheduler_job_runs_total",
    "Scheduler job runs by job and outcome (ok, failed)",
    ["job", "outcome"],
    registry=REGISTRY,
)
WECOM_ERRORS = Counter(
    "scrm_wecom_api_errors_total",
    "WeCom API calls that failed, by API and errcode (-1: transport or HTTP error)",
    ["api", "errcode"],
    registry=REGISTRY,
)


def exposition() -> bytes:
    return generate_latest(REGISTRY)
