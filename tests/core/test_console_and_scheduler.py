"""The terminal console against a running bot, and the scheduler factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.cli import console
from bot.embedded import Embedded
from scheduler.factory import JOB_DEFAULTS, build_scheduler
from scheduler.jobs import SweepJob, register_jobs


def scripted_input(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    feed: Iterator[str] = iter(lines)

    async def read_line(prompt: str) -> str | None:
        return next(feed, None)

    monkeypatch.setattr(console, "_read_line", read_line)


async def test_console_chats_through_the_simulator(
    embedded: Embedded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scripted_input(monkeypatch, ["帮助", "   ", "你是谁", "exit"])
    assert await console.run_console(embedded.simulator_url, "acme", "lisi") == 0
    out = capsys.readouterr().out
    assert "以 lisi 的身份和机器人聊天" in out
    assert "机器人 > 我能帮你做这些" in out
    assert "机器人 > 我能帮你管客户、记跟进提醒、处理工单、查知识库" in out


async def test_console_explains_an_unknown_tenant(
    embedded: Embedded, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await console.run_console(embedded.simulator_url, "nobody", "lisi") == 2
    assert "可用：acme, other" in capsys.readouterr().err


async def test_console_explains_a_missing_simulator(capsys: pytest.CaptureFixture[str]) -> None:
    assert await console.run_console("http://127.0.0.1:9", "acme", "lisi") == 1
    assert "先运行 scrm-bot simulate" in capsys.readouterr().err


async def test_scheduler_runs_jobs_once_and_logs_failures(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []
    failed = asyncio.Event()

    async def sweep() -> None:
        ran.append("sweep")

    async def broken() -> None:
        failed.set()
        raise RuntimeError("database went away")

    scheduler = build_scheduler()
    jobs = [SweepJob("sweep", 3600, sweep), SweepJob("broken", 3600, broken)]
    with caplog.at_level(logging.ERROR, logger="scheduler.factory"):
        scheduler.start()
        try:
            register_jobs(scheduler, jobs)
            register_jobs(scheduler, jobs)  # registering again replaces, never doubles
            assert sorted(job.id for job in scheduler.get_jobs()) == ["broken", "sweep"]
            for job in scheduler.get_jobs():
                job.modify(next_run_time=datetime.now(UTC))
            await asyncio.wait_for(failed.wait(), 5)
            await asyncio.sleep(0.05)
        finally:
            scheduler.shutdown(wait=False)
    assert ran == ["sweep"]
    assert "scheduled job broken failed" in caplog.text
    assert "database went away" in caplog.text
    job_defaults = {"coalesce": True, "max_instances": 1}
    assert job_defaults.items() <= JOB_DEFAULTS.items()
