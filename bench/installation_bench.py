"""Installation: latency of 排期 (every installer's booked jobs on one day, the query and the
rendering behind it) with 200 installers booked over 30 days, on SQLite and PostgreSQL.

Usage (from the repository root):

    .venv/bin/python bench/installation_bench.py sqlite
    .venv/bin/python bench/installation_bench.py postgres --url postgres://postgres@127.0.0.1:5432/bench

The database is created fresh and migrated. The measured tenant gets ``--installers``
installers, each with ``--per-day`` jobs a day (two-hour windows from 9:00) for ``--days``
days, plus as many jobs again that are done, cancelled or still to schedule; a second tenant
gets the same, so tenant scoping is part of the work. 排期 then runs ``--rounds`` times for a
random day, one at a time; the script prints p50/p99/max and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from benchlib import (
    database_parser,
    fresh_database,
    latency,
    machine,
    print_latencies,
    run_on_database,
    save,
    timed_ms,
)
from tortoise import Tortoise

from bot.installation.numbers import format_number
from bot.installation.plan import day_plan_text
from models.crm.customers import Customer
from models.installation import InstallJob, JobState
from models.tenants import Employee, Tenant

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 11, 23)
BATCH = 5_000
OTHER_STATES = (JobState.COMPLETED, JobState.CANCELLED, JobState.PENDING, JobState.CONFIRMED)


async def _tenant(key: str) -> Tenant:
    return await Tenant.create(
        key=key, corp_id=f"ww{key}", name=key, agent_id=1, secret="s", token="t",
        encoding_aes_key="x" * 43,
    )  # fmt: skip


def _job(tenant_id: int, installer: int, customer: int, day: date, slot: int, seq: int,
         state: JobState) -> InstallJob:  # fmt: skip
    start = datetime(day.year, day.month, day.day, 9 + 2 * slot, tzinfo=TZ).astimezone(UTC)
    return InstallJob(
        tenant_id=tenant_id, number=format_number(FIRST_DAY, seq), day=FIRST_DAY, seq=seq,
        customer_id=customer, address="朝阳区建国路88号", items="打印机2台",
        window_start=start, window_end=start + timedelta(hours=2),
        installer_id=None if state is JobState.PENDING else installer, state=state,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


async def fill(installers: int, days: int, per_day: int, seed: int) -> int:
    rng = random.Random(seed)
    measured, other = await _tenant("bench"), await _tenant("noise")
    for tenant in (other, measured):
        await Employee.bulk_create(
            Employee(tenant_id=tenant.id, userid=f"u{i}", name=f"师傅{i:03d}",
                     first_seen_at=NOW, last_seen_at=NOW)
            for i in range(installers)
        )  # fmt: skip
        staff = [e.id for e in await Employee.filter(tenant_id=tenant.id).only("id")]
        await Customer.bulk_create(
            Customer(tenant_id=tenant.id, name=f"客户{i}", created_at=NOW, updated_at=NOW)
            for i in range(500)
        )
        customers = [c.id for c in await Customer.filter(tenant_id=tenant.id).only("id")]
        rows, seq = [], 0
        for offset in range(days):
            day = FIRST_DAY + timedelta(days=offset)
            for installer in staff:
                for slot in range(per_day * 2):
                    seq += 1
                    booked = slot < per_day
                    state = JobState.DISPATCHED if booked else rng.choice(OTHER_STATES)
                    rows.append(_job(tenant.id, installer, rng.choice(customers), day,
                                     slot % 4, seq, state))  # fmt: skip
        for start in range(0, len(rows), BATCH):
            await InstallJob.bulk_create(rows[start : start + BATCH])
    return measured.id


async def measure(tenant_id: int, days: int, rounds: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)

    async def plan() -> str:
        day = FIRST_DAY + timedelta(days=rng.randrange(days))
        return await day_plan_text(tenant_id, day, TZ)

    await plan()  # warm the cache and the plan
    return {"排期": latency([await timed_ms(plan) for _ in range(rounds)])}


async def run(backend: str, url: str, args: argparse.Namespace) -> dict[str, object]:
    async with fresh_database(backend, url):
        started = time.perf_counter()
        tenant_id = await fill(args.installers, args.days, args.per_day, seed=7)
        filled = time.perf_counter() - started
        analyze = "ANALYZE" if backend == "postgres" else "ANALYZE;"
        await Tortoise.get_connection("default").execute_script(analyze)
        results = await measure(tenant_id, args.days, args.rounds, seed=11)
    return {
        "backend": backend,
        "installers": args.installers,
        "days": args.days,
        "booked_per_installer_day": args.per_day,
        "rounds": args.rounds,
        "fill_seconds": round(filled, 1),
        **machine(),
        "results": results,
    }


def main() -> None:
    parser = database_parser(__doc__.splitlines()[0])
    parser.add_argument("--installers", type=int, default=200)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    report = run_on_database(args, lambda url: run(args.backend, url, args))
    print(f"{args.backend}: {args.installers} installers × {args.days} days, ", end="")
    print(f"{args.per_day} booked jobs each a day, {args.rounds} runs")
    print_latencies(report["results"], width=8)
    save("installation", args.backend, report)


if __name__ == "__main__":
    main()
