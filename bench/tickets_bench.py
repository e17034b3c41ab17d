"""Work orders at 100,000 tickets per tenant: latency of 我的工单 and 工单统计 (the queries and
the rendering behind them) on SQLite and PostgreSQL.

Usage (from the repository root):

    .venv/bin/python bench/tickets_bench.py sqlite
    .venv/bin/python bench/tickets_bench.py postgres --url postgres://postgres@127.0.0.1:5432/bench

The database is created fresh (a temporary SQLite file; for PostgreSQL the database named in
the URL is dropped and recreated) and migrated. The measured tenant gets ``--tickets`` tickets
spread over the last year among ``--assignees`` employees, most of them resolved or closed
with their SLA measurements, the last weeks' partly open; a second tenant gets ``--noise``
more, so tenant scoping is part of the work. Each command then runs ``--rounds`` times (我的工单
for a random assignee), one at a time; the script prints p50/p99/max and writes JSON to
bench/results/.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Awaitable, Callable
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

from bot.tickets import listing
from bot.tickets.numbers import format_number
from bot.tickets.stats import ticket_stats
from handlers.tickets.reports import render_stats
from models.tenants import Employee, Tenant
from models.tickets import Ticket, TicketPriority, TicketStatus

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
BATCH = 5_000
OPEN = (
    TicketStatus.NEW,
    TicketStatus.ASSIGNED,
    TicketStatus.IN_PROGRESS,
    TicketStatus.PENDING_CUSTOMER,
)


async def _tenant(key: str) -> Tenant:
    return await Tenant.create(
        key=key, corp_id=f"ww{key}", name=key, agent_id=1, secret="s", token="t",
        encoding_aes_key="x" * 43,
    )  # fmt: skip


def _status(rng: random.Random, age_days: float) -> TicketStatus:
    """Old tickets are done; about a third of the last two weeks' are still open."""
    if age_days < 14 and rng.random() < 0.35:
        return rng.choice(OPEN)
    return TicketStatus.CLOSED if rng.random() < 0.7 else TicketStatus.RESOLVED


def _ticket(
    rng: random.Random, tenant_id: int, n: int, count: int, staff: list[int], seqs: dict[date, int]
) -> Ticket:
    age = 365 * (count - n) / count  # spread evenly over a year, the newest last
    created = NOW - timedelta(days=age, minutes=rng.randrange(60))
    day = created.astimezone(TZ).date()
    seqs[day] = seqs.get(day, 0) + 1
    status = _status(rng, age)
    done = status in (TicketStatus.RESOLVED, TicketStatus.CLOSED)
    response = rng.randrange(60, 6 * 3600)
    resolution = rng.randrange(1800, 3 * 86400)
    ticket = Ticket(
        tenant_id=tenant_id,
        number=format_number(day, seqs[day]),
        day=day,
        seq=seqs[day],
        title=f"故障 {n}",
        priority=rng.choice(list(TicketPriority)),
        status=status,
        assignee_id=None if status is TicketStatus.NEW else rng.choice(staff),
        created_at=created,
        updated_at=created,
        response_due_at=created + timedelta(hours=4),
        response_warn_at=created + timedelta(hours=3, minutes=12),
        resolution_due_at=created + timedelta(hours=24),
        resolution_warn_at=created + timedelta(hours=19, minutes=12),
    )
    if done or rng.random() < 0.6:
        ticket.first_responded_at = created + timedelta(seconds=response)
        ticket.response_seconds = response
        ticket.response_met = response <= 4 * 3600
    if done:
        ticket.resolved_at = created + timedelta(seconds=resolution)
        ticket.resolution_seconds = resolution
        ticket.resolution_met = resolution <= 86400
    return ticket


async def fill(count: int, noise: int, assignees: int, seed: int) -> tuple[int, list[int]]:
    rng = random.Random(seed)
    measured, other = await _tenant("bench"), await _tenant("noise")
    staff_of: dict[int, list[int]] = {}
    for tenant in (other, measured):
        rows = [
            Employee(tenant_id=tenant.id, userid=f"u{i}", name=f"员工{i}", first_seen_at=NOW,
                     last_seen_at=NOW)
            for i in range(assignees)
        ]  # fmt: skip
        await Employee.bulk_create(rows)
        staff_of[tenant.id] = list(
            await Employee.filter(tenant_id=tenant.id).values_list("id", flat=True)
        )
    for tenant, total in ((other, noise), (measured, count)):
        seqs: dict[date, int] = {}
        staff = staff_of[tenant.id]
        for start in range(0, total, BATCH):
            batch = range(start, min(total, start + BATCH))
            await Ticket.bulk_create(
                [_ticket(rng, tenant.id, n, total, staff, seqs) for n in batch]
            )
    return measured.id, staff_of[measured.id]


async def measure(tenant_id: int, staff: list[int], rounds: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)

    async def my_tickets() -> str:
        query = listing.mine(tenant_id, rng.choice(staff))
        return await listing.render_list(query, listing.MINE_HEADER, listing.MINE_EMPTY, TZ, NOW)

    async def stats(days: int) -> str:
        return render_stats(await ticket_stats(tenant_id, NOW, days))

    async def overdue() -> str:
        query = listing.overdue(tenant_id, NOW)
        return await listing.render_list(query, listing.OVERDUE_HEADER, "", TZ, NOW)

    kinds: dict[str, Callable[[], Awaitable[object]]] = {
        "我的工单": my_tickets,
        "工单统计 (30 天)": lambda: stats(30),
        "工单统计 365": lambda: stats(365),
        "超时工单": overdue,
    }
    results: dict[str, object] = {}
    for kind, call in kinds.items():
        await call()  # warm the cache and the plan
        results[kind] = latency([await timed_ms(call) for _ in range(rounds)])
    return results


async def run(backend: str, url: str, args: argparse.Namespace) -> dict[str, object]:
    async with fresh_database(backend, url):
        started = time.perf_counter()
        tenant_id, staff = await fill(args.tickets, args.noise, args.assignees, seed=7)
        filled = time.perf_counter() - started
        analyze = "ANALYZE" if backend == "postgres" else "ANALYZE;"
        await Tortoise.get_connection("default").execute_script(analyze)
        results = await measure(tenant_id, staff, args.rounds, seed=11)
    return {
        "backend": backend,
        "tickets_per_tenant": args.tickets,
        "noise_tickets": args.noise,
        "assignees": args.assignees,
        "rounds": args.rounds,
        "fill_seconds": round(filled, 1),
        **machine(),
        "results": results,
    }


def main() -> None:
    parser = database_parser(__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--noise", type=int, default=100_000)
    parser.add_argument("--assignees", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    report = run_on_database(args, lambda url: run(args.backend, url, args))
    print(f"{args.backend}: {args.tickets:,} tickets (+{args.noise:,} of another tenant), ", end="")
    print(f"{args.assignees} assignees, {args.rounds} runs per command")
    print_latencies(report["results"], width=14)
    save("tickets", args.backend, report)


if __name__ == "__main__":
    main()
