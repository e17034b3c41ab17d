"""``GET /readyz`` and ``GET /metrics``: what an operator's load balancer and Prometheus see."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from support.crm import Chat, open_chat

from bot import metrics
from bot.clock import FrozenClock
from bot.db import migrations_on_disk
from bot.dispatch.types import Reply
from bot.embedded import Embedded
from bot.outbox import OutboxSender, Transport, enqueue
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.outbox import OutboxMessage
from scheduler.jobs import SweepJob, as_coroutine_function


def value(name: str, **labels: str) -> float:
    """A sample of the process's metrics as /metrics would show it (0 when absent)."""
    text = metrics.exposition().decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def get(embedded: Embedded, path: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(embedded.bot_url + path) as response,
    ):
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def test_ready_when_the_database_answers_and_every_migration_is_applied(
    embedded: Embedded,
) -> None:
    assert await get(embedded, "/readyz") == (
        200,
        {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "scheduler": "off"}},
    )


async def test_not_ready_while_a_migration_is_pending(
    embedded: Embedded, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Code newer than its database: a replica started before `migrate` ran elsewhere.
    shipped = migrations_on_disk() | {("models", "0099_newer")}
    monkeypatch.setattr("bot.observability.migrations_on_disk", lambda: shipped)
    status, body = await get(embedded, "/readyz")
    assert status == 503
    assert body["checks"]["migrations"] == "pending: models.0099_newer"


async def test_metrics_count_a_callback_its_handling_and_its_reply(
    embedded: Embedded, chat: Chat
) -> None:
    callbacks = {"endpoint": "app", "method": "POST", "status": "200"}
    before = (
        value("scrm_callbacks_total", **callbacks),
        value("scrm_callback_ack_seconds_count", endpoint="app"),
        value("scrm_update_handling_seconds_count", outcome="done"),
        value("scrm_outbox_messages_total", channel="app", outcome="sent", errcode="0"),
    )
    assert await chat.say("lisi", "帮助")
    status, text = await get(embedded, "/metrics")
    assert status == 200
    assert "# TYPE scrm_callbacks_total counter" in text
    after = (
        value("scrm_callbacks_total", **callbacks),
        value("scrm_callback_ack_seconds_count", endpoint="app"),
        value("scrm_update_handling_seconds_count", outcome="done"),
        value("scrm_outbox_messages_total", channel="app", outcome="sent", errcode="0"),
    )
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1, 1]
    assert value("scrm_inbox_backlog") == 0


async def test_metrics_count_refused_callbacks_by_status(embedded: Embedded) -> None:
    before = value("scrm_callbacks_total", endpoint="app", method="POST", status="400")
    async with (
        aiohttp.ClientSession() as http,
        http.post(embedded.bot_url + "/wecom/acme/app", data=b"<xml>") as response,
    ):
        assert response.status == 400
    after = value("scrm_callbacks_total", endpoint="app", method="POST", status="400")
    assert after - before == 1


async def test_outbox_retries_and_deaths_are_counted_by_errcode(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    calls: list[str] = []

    async def busy_then_rejected(tenant: TenantInfo, row: OutboxMessage) -> object:
        calls.append(row.idempotency_key)
        errcode = -1 if len(calls) == 1 else 40008
        raise WeComAPIError("webhook/send", errcode, "no")

    transport = Transport(busy_then_rejected, per_minute=1)
    sender = OutboxSender(None, TenantDirectory(), clock, transports={"webhook": transport})  # type: ignore[arg-type]
    labels = {"channel": "webhook"}
    before = (
        value("scrm_outbox_messages_total", **labels, outcome="retried", errcode="-1"),
        value("scrm_outbox_messages_total", **labels, outcome="dead", errcode="40008"),
    )
    rows = await enqueue(
        tenant.id,
        [Reply("一", to_user="robot"), Reply("二", to_user="robot")],
        default_user=None,
        key_prefix="m",
        channel="webhook",
        now=clock.now(),
        lease=timedelta(seconds=60),
    )
    await sender.send_rows(rows)  # the first is busy; the second waits behind it
    clock.advance(timedelta(seconds=61))  # the retry, and the robot's minute is over
    await sender.sweep()  # rejected for good; the second waits for the next minute
    after = (
        value("scrm_outbox_messages_total", **labels, outcome="retried", errcode="-1"),
        value("scrm_outbox_messages_total", **labels, outcome="dead", errcode="40008"),
    )
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1]


async def test_pacer_waits_are_counted(tenant: TenantInfo, clock: FrozenClock) -> None:
    async def accept(tenant: TenantInfo, row: OutboxMessage) -> object:
        return {}

    transport = Transport(accept, per_minute=1)
    sender = OutboxSender(None, TenantDirectory(), clock, transports={"webhook": transport})  # type: ignore[arg-type]
    before = value("scrm_pacer_waits_total", channel="webhook", limit="member")
    rows = await enqueue(
        tenant.id,
        [Reply("一", to_user="robot"), Reply("二", to_user="robot")],
        default_user=None,
        key_prefix="p",
        channel="webhook",
        now=clock.now(),
        lease=timedelta(seconds=60),
    )
    await sender.send_rows(rows)
    assert value("scrm_pacer_waits_total", channel="webhook", limit="member") - before == 1


async def test_scheduler_job_runs_and_failures_are_counted() -> None:
    async def fails() -> None:
        raise RuntimeError("boom")

    async def works() -> int:
        return 3

    before = (
        value("scrm_scheduler_job_runs_total", job="t-ok", outcome="ok"),
        value("scrm_scheduler_job_runs_total", job="t-bad", outcome="failed"),
    )
    await as_coroutine_function(SweepJob("t-ok", 10, works))()
    with pytest.raises(RuntimeError):
        await as_coroutine_function(SweepJob("t-bad", 10, fails))()
    after = (
        value("scrm_scheduler_job_runs_total", job="t-ok", outcome="ok"),
        value("scrm_scheduler_job_runs_total", job="t-bad", outcome="failed"),
    )
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1]


async def test_wecom_api_errors_are_counted_by_errcode(clock: FrozenClock) -> None:
    before = value("scrm_wecom_api_errors_total", api="webhook/send", errcode="-1")
    async with aiohttp.ClientSession() as session:
        client = WeComClient(
            session, "http://127.0.0.1:9", clock=clock, max_attempts=2, backoff_base=0
        )
        with pytest.raises(WeComAPIError):
            await client.send_webhook("k", {"msgtype": "text", "text": {"content": "x"}})
    after = value("scrm_wecom_api_errors_total", api="webhook/send", errcode="-1")
    assert after - before == 2  # both attempts
