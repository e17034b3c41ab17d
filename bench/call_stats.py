"""通话统计 over 1,000,000 calls: the grouped query behind 我的通话 and 通话统计.

    .venv/bin/python bench/call_stats.py sqlite [--calls 1000000]
    .venv/bin/python bench/call_stats.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

A fresh database gets ``--calls`` ended calls of one tenant, spread evenly over the 30 days
before now and over 50 employees (a third unanswered). Then 100 runs each of: the team's
figures for one day (通话统计 今天) and one week (通话统计 本周), and one employee's day
(我的通话 今天), one at a time after a warm-up. Prints p50/p99/max for bench/README.md.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from typing import Any

from benchlib import (
    database_parser,
    fresh_database,
    latency,
    machine,
    print_latencies,
    save,
    timed_ms,
)

from bot.calls.stats import figures_by_employee
from models.calls import CallDirection, CallRecord, CallSource, CallStage, Disposition
from models.tenants import Employee, Tenant

EMPLOYEES, DAYS, RUNS, BATCH = 50, 30, 100, 10_000
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def seed(calls: int) -> tuple[int, list[int]]:
    tenant = await Tenant.create(key="acme", corp_id="wwacme", name="acme", agent_id=1,
                                 secret="s", token="t", encoding_aes_key="x" * 43)  # fmt: skip
    staff = [
        await Employee.create(
            tenant_id=tenant.id,
            userid=f"e{n}",
            name=f"员工{n}",
            first_seen_at=NOW,
            last_seen_at=NOW,
        )  # fmt: skip
        for n in range(EMPLOYEES)
    ]
    step = timedelta(days=DAYS) / calls
    for first in range(0, calls, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, calls)):
            started = NOW - step * n
            talk = 0 if n % 3 == 0 else 20 + n % 300
            rows.append(
                CallRecord(
                    tenant_id=tenant.id, dedup_key=f"b{n}", source=CallSource.WEBHOOK,
                    direction=CallDirection.OUTBOUND, number=f"138{n % 10**8:08d}",
                    employee_id=staff[n % EMPLOYEES].id, started_at=started,
                    answered_at=started if talk else None,
                    ended_at=started + timedelta(seconds=talk + 5), duration_secs=talk + 5,
                    talk_secs=talk,
                    disposition=Disposition.ANSWERED if talk else Disposition.MISSED,
                    stage=CallStage.ENDED, created_at=NOW, updated_at=NOW,
                )
            )  # fmt: skip
        await CallRecord.bulk_create(rows)
    return tenant.id, [e.id for e in staff]


async def run(url: str, backend: str, calls: int) -> dict[str, Any]:
    async with fresh_database(backend, url):
        tenant_id, staff = await seed(calls)
        day, week = (NOW - timedelta(days=1), NOW), (NOW - timedelta(days=7), NOW)
        kinds = {
            "team day": lambda: figures_by_employee(tenant_id, *day, 60),
            "team week": lambda: figures_by_employee(tenant_id, *week, 60),
            "one day": lambda: figures_by_employee(tenant_id, *day, 60, staff[7]),
        }
        results = {}
        for kind, call in kinds.items():
            await call()
            results[kind] = latency([await timed_ms(call) for _ in range(RUNS)])
    print(f"call statistics, {backend}: {calls} calls, {EMPLOYEES} employees")
    print_latencies(results)
    return {"calls": calls, **results, **machine()}


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--calls", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url if args.backend == "postgres" else f"sqlite://{folder}/bench.db"
        report = asyncio.run(run(url, args.backend, args.calls))
    save("call_stats", args.backend, report)


if __name__ == "__main__":
    main()
