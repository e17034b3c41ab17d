"""通话统计 over 1,000,000 calls: 我的通话 and 通话统计 read from the daily table.

    .venv/bin/python bench/call_stats.py sqlite [--calls 1000000]
    .venv/bin/python bench/call_stats.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

A fresh database gets ``--calls`` ended calls of one tenant, spread evenly over the 30 days
before now and over 50 employees (a third unanswered), and the daily table is rebuilt from
them (timed). Then 100 runs each of what the commands read from the daily table: the team's
figures for one day (通话统计 今天) and one week (通话统计 本周), and one employee's day
(我的通话 今天), one at a time after a warm-up; the same three summed from the log instead
(20 runs each, the way the commands read before the table); and 100 calls ending through
``save_call`` (the row plus its day row, in one transaction). Prints p50/p99/max for
bench/README.md.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from benchlib import (
    database_parser,
    fresh_database,
    latency,
    machine,
    print_latencies,
    save,
    timed_ms,
)

from bot.calls.days import figures_from_days, rebuild
from bot.calls.stats import Period, figures_by_employee
from bot.calls.store import CallIn, save_call
from models.calls import CallDirection, CallRecord, CallSource, CallStage, Disposition
from models.tenants import Employee, Tenant

EMPLOYEES, DAYS, RUNS, LOG_RUNS, BATCH = 50, 30, 100, 20, 10_000
SHANGHAI = ZoneInfo("Asia/Shanghai")
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
        started = time.perf_counter()
        day_rows = await rebuild(tenant_id, NOW)
        rebuild_s = round(time.perf_counter() - started, 2)
        today = NOW.astimezone(SHANGHAI).date()
        monday = today - timedelta(days=today.weekday())
        day = Period("今天", today, today + timedelta(days=1))
        week = Period("本周", monday, monday + timedelta(days=7))
        kinds = {
            "one day": lambda: figures_from_days(tenant_id, day, staff[7]),
            "team day": lambda: figures_from_days(tenant_id, day),
            "team week": lambda: figures_from_days(tenant_id, week),
        }
        results = {}
        for kind, call in kinds.items():
            await call()
            results[kind] = latency([await timed_ms(call) for _ in range(RUNS)])
        day_utc, week_utc = day.bounds(SHANGHAI), week.bounds(SHANGHAI)
        from_log = {
            "log one day": lambda: figures_by_employee(tenant_id, *day_utc, 60, staff[7]),
            "log team day": lambda: figures_by_employee(tenant_id, *day_utc, 60),
            "log team week": lambda: figures_by_employee(tenant_id, *week_utc, 60),
        }
        for kind, call in from_log.items():
            await call()
            results[kind] = latency([await timed_ms(call) for _ in range(LOG_RUNS)])
        ends = []
        for n in range(RUNS):
            ring = NOW - timedelta(minutes=n)
            one = CallIn(
                tenant_id=tenant_id, dedup_key=f"end{n}", source=CallSource.WEBHOOK,
                direction=CallDirection.INBOUND, started_at=ring, number="13900000000",
                employee_id=staff[7], answered_at=ring + timedelta(seconds=5),
                ended_at=ring + timedelta(seconds=95),
            )  # fmt: skip
            ends.append(await timed_ms(lambda one=one: save_call(one, NOW, SHANGHAI)))
        results["call ends"] = latency(ends)
    print(f"call statistics, {backend}: {calls} calls, {EMPLOYEES} employees")
    print(f"  daily table rebuilt from the log: {day_rows} rows in {rebuild_s} s")
    print_latencies(results)
    return {"calls": calls, "day_rows": day_rows, "rebuild_s": rebuild_s, **results, **machine()}


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
