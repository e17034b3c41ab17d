"""Due reminders through the simulator: total time, none lost, none duplicated, memory.

    .venv/bin/python bench/reminders_bench.py [--reminders 100000] [--members 1000]

A fresh SQLite database gets ``--members`` employees and ``--reminders`` follow-ups spread
evenly over them, all due a minute ago (as after an outage). Then the reminder sweep and the
outbox sweep run in a loop, as the scheduler would, until every reminder card has reached the
simulator. WeCom's limit of 30 messages a minute per member applies, so more than 30
reminders per member take minutes by design: the outbox holds the excess back instead of
losing it. Prints the time, cards received, duplicates (by task id), peak RSS, and jieba's
cost per message; the result is meant for bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from tortoise import Tortoise

from bot.app import Options
from bot.clock import SystemClock
from bot.config import parse_settings
from bot.db import open_database
from bot.embedded import run_embedded
from bot.followups.reminders import ReminderSweep
from bot.nlu.segment import load_segmenter
from bot.wecom_sim.control import SimulatorControl
from models.followups import Followup
from models.outbox import OutboxMessage, OutboxStatus
from models.tenants import Employee, Role, Tenant

CONFIG = {
    "tenants": [
        {
            "key": "acme",
            "corp_id": "wx49f0ab532d5d035a",
            "name": "艾克米科技",
            "app": {
                "agent_id": 1000002,
                "secret": "acme-secret",
                "token": "123456",
                "encoding_aes_key": "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
            },
        }
    ]
}
BATCH = 5_000


async def seed(members: int, reminders: int) -> None:
    tenant = await Tenant.get(key="acme")
    now = datetime.now(UTC)
    await Employee.bulk_create(
        [
            Employee(tenant_id=tenant.id, userid=f"u{m:04d}", role=Role.MEMBER,
                     first_seen_at=now, last_seen_at=now)
            for m in range(members)
        ]
    )  # fmt: skip
    ids = [e.id for e in await Employee.filter(tenant_id=tenant.id).order_by("id")]
    due = now - timedelta(minutes=1)
    for start in range(0, reminders, BATCH):
        rows = [
            Followup(tenant_id=tenant.id, number=n + 1, owner_id=ids[n % members],
                     content=f"回访客户{n}", due_at=due, remind_at=due, created_at=now)
            for n in range(start, min(start + BATCH, reminders))
        ]  # fmt: skip
        await Followup.bulk_create(rows)


async def run(members: int, reminders: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{Path(tmp) / 'bench.db'}"
        settings = parse_settings(dict(CONFIG, database={"url": url}))
        await open_database(url)
        options = Options(clock=SystemClock(), manage_database=False, run_scheduler=False)
        async with run_embedded(settings, options) as embedded, aiohttp.ClientSession() as http:
            await seed(members, reminders)
            runtime = embedded.runtime
            assert runtime.sender is not None
            sweep = ReminderSweep(runtime.tenants, runtime.sender, SystemClock())
            sim = SimulatorControl(http, embedded.simulator_url)
            started = time.perf_counter()
            cards = CardTally()
            reading = asyncio.create_task(cards.follow(sim, reminders))
            while not reading.done():
                claimed = await sweep.run() + await runtime.sender.sweep(limit=2_000)
                if not claimed:
                    await asyncio.sleep(1)
            await reading
            elapsed = time.perf_counter() - started
            unsent = await Followup.filter(sent_at__isnull=True).count()
            pending = await OutboxMessage.exclude(status=OutboxStatus.SENT).count()
        # aiosqlite's worker thread keeps the process alive until the connection closes.
        await Tortoise.close_connections()
    return {
        "reminders": reminders,
        "members": members,
        "seconds": round(elapsed, 1),
        "cards": cards.received,
        "distinct_cards": len(cards.tasks),
        "dropped": cards.dropped,
        "duplicates": sum(c - 1 for c in cards.tasks.values() if c > 1),
        "followups_without_sent_at": unsent,
        "outbox_rows_not_sent": pending,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


class CardTally:
    """Every card the simulator recorded, read as it arrives: the simulator keeps only its
    last 10,000 records, so reading once at the end would miss most of a large run."""

    def __init__(self) -> None:
        self.tasks: Counter[str] = Counter()
        self.dropped = 0
        self.next_seq = 0

    @property
    def received(self) -> int:
        return sum(self.tasks.values())

    async def follow(self, sim: SimulatorControl, expected: int) -> None:
        """Read the log as it grows (often enough that nothing falls off) until ``expected``
        cards have arrived."""
        while self.received < expected:
            self.add(await sim.sent(since=self.next_seq))
            await asyncio.sleep(0.2)

    def add(self, records: list[dict[str, object]]) -> None:
        if records and records[0]["seq"] != self.next_seq:
            raise RuntimeError(f"records {self.next_seq}..{records[0]['seq']} fell off the log")
        for record in records:
            self.next_seq = int(str(record["seq"])) + 1
            body = record["body"]
            assert isinstance(body, dict)
            if body.get("msgtype") == "template_card":
                self.tasks[body["template_card"]["task_id"]] += 1
                self.dropped += bool(record.get("dropped"))


def jieba_cost(rounds: int = 20_000) -> float:
    segmenter = load_segmenter()
    text = "明天下午3点提醒我回访张总，顺便问一下续费和席位的事"
    started = time.perf_counter()
    for _ in range(rounds):
        segmenter.words(text)
    return (time.perf_counter() - started) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=1_000)
    args = parser.parse_args()
    result = asyncio.run(run(args.members, args.reminders))
    print(f"python {platform.python_version()} on {platform.machine()}")  # noqa: T201
    print(result)  # noqa: T201
    print(f"jieba: {jieba_cost():.0f} µs per message")  # noqa: T201


if __name__ == "__main__":
    main()
