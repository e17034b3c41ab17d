"""客户健康 over 2,000 client enterprises with 90 days of roll-ups: what the operator waits for.

    .venv/bin/python bench/provider_health.py sqlite [--tenants 2000] [--serving-heap]
    .venv/bin/python bench/provider_health.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

A fresh database gets ``--tenants`` tenants on their trial, each with 90 days of daily
roll-ups and 30 days of usage events (8 a day from 4 members, one in ten refused for a
module), then runs one at a time after a warm-up (10 counting live, 50 stored) of what
客户健康 does: every client's facts, its health, and the reply text; first counting the
events live, then (after the nightly job has stored each client's window) as 客户健康 reads
them, timed by the clock and by the process's CPU (the figure a busy machine does not
inflate). ``--serving-heap`` first loads what a serving bot holds (the segmenter, every
route) and freezes it as ``scrm-bot serve`` does. Prints p50/p99/max for bench/README.md.
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from benchlib import (
    database_parser,
    fresh_database,
    latency,
    machine,
    print_latencies,
    run_on_database,
    save,
    timed_cpu_ms,
    timed_ms,
)

from bot.capabilities import all_routers
from bot.clock import FrozenClock
from bot.nlu.segment import load_segmenter
from bot.provider import views
from bot.provider.clients import Client, clients_facts
from bot.provider.health import healths_of
from bot.provider.rollup import owned_counter, roll_up_missing
from bot.provider.roster import every_client_facts
from bot.subscription.service import Billing
from bot.subscription.settings import SubscriptionSettings
from bot.subscription.store import start_trial
from models.provider import Outcome, TenantDailyUsage, UsageEvent
from models.tenants import Tenant

ROLLED_UP_DAYS, EVENT_DAYS, EVENTS_A_DAY, RUNS, BATCH = 90, 30, 8, 50, 5_000
LIVE_RUNS = 10  # the old way, for comparison: seconds each at 2,000 clients
NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
TODAY = date(2026, 12, 6)


async def seed(billing: Billing, tenants: int) -> None:
    await Tenant.bulk_create(
        [
            Tenant(
                key=f"t{n}",
                corp_id=f"ww{n:016d}",
                name=f"客户{n}",
                agent_id=1,
                secret="s",
                token="t",
                encoding_aes_key="x" * 43,
            )
            for n in range(tenants)
        ]
    )
    ids = [t.id for t in await Tenant.all().order_by("id")]
    for tenant_id in ids:
        await start_trial(
            tenant_id, billing.catalog, TODAY - timedelta(days=n_days(tenant_id)), NOW
        )
    rollups = [
        TenantDailyUsage(
            tenant_id=tenant_id,
            day=TODAY - timedelta(days=back),
            active_members=3,
            commands=(tenant_id * 7 + back) % 40,
            capabilities_used=2,
            capabilities_owned=8,
            by_capability={"crm": 3, "followups": 2},
            core_actions={},
            refused_modules={},
            built_at=NOW,
        )
        for tenant_id in ids
        for back in range(1, ROLLED_UP_DAYS + 1)
    ]
    for first in range(0, len(rollups), BATCH):
        await TenantDailyUsage.bulk_create(rollups[first : first + BATCH])
    events = [
        UsageEvent(
            tenant_id=tenant_id,
            userid=f"u{n % 4}",
            capability="crm",
            module="crm",
            intent="crm.find_customer",
            outcome=Outcome.REFUSED_MODULE if n % 10 == 0 else Outcome.OK,
            latency_ms=12,
            at=NOW - timedelta(days=back, minutes=n),
        )
        for tenant_id in ids
        for back in range(EVENT_DAYS)
        for n in range(EVENTS_A_DAY)
    ]
    for first in range(0, len(events), BATCH):
        await UsageEvent.bulk_create(events[first : first + BATCH])


def n_days(tenant_id: int) -> int:
    """Trials started over the last few weeks, so renewals fall on many days."""
    return tenant_id % 20


async def client_health(billing: Billing, nightly: bool) -> str:
    if nightly:
        clients = await every_client_facts(billing, NOW)
    else:
        tenants = await Tenant.all().order_by("id")
        clients = await clients_facts(billing, [Client.of(t) for t in tenants], NOW)
    return views.by_tier(list(zip(clients, await healths_of(clients), strict=True)))


async def run(url: str, backend: str, tenants: int) -> dict[str, Any]:
    async with fresh_database(backend, url):
        billing = Billing(SubscriptionSettings(), FrozenClock(NOW))
        await seed(billing, tenants)
        live = await client_health(billing, nightly=False)
        counted = [await timed_ms(lambda: client_health(billing, False)) for _ in range(LIVE_RUNS)]
        started = time.perf_counter()
        await roll_up_missing(owned_counter(billing, all_routers()), NOW)
        job_s = round(time.perf_counter() - started, 1)
        reply = await client_health(billing, nightly=True)
        stored = [await timed_ms(lambda: client_health(billing, True)) for _ in range(RUNS)]
        cpu = [await timed_cpu_ms(lambda: client_health(billing, True)) for _ in range(RUNS)]
    results = {
        "counted live": latency(counted),
        "nightly window": latency(stored),
        "nightly window, CPU": latency(cpu),
    }
    print(f"  the nightly job (every client's window) took {job_s} s; live reply {len(live)} chars")
    print(f"client health, {backend}: {tenants} tenants, {ROLLED_UP_DAYS} days of roll-ups")
    print(f"  reply: {len(reply)} characters, first line {reply.splitlines()[0]}")
    print_latencies(results)
    return {
        "tenants": tenants,
        "serving_heap": gc.get_freeze_count() > 0,
        "rolled_up_days": ROLLED_UP_DAYS,
        "nightly_job_s": job_s,
        **results,
        **machine(),
    }


def serving_heap() -> None:
    """What ``scrm-bot serve`` holds when it answers: the segmenter and every route loaded,
    then frozen out of the collector's reach (``bot.heap``)."""
    all_routers()
    load_segmenter()
    gc.collect()
    gc.freeze()


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--tenants", type=int, default=2_000)
    parser.add_argument(
        "--serving-heap", action="store_true", help="load and freeze what a serving bot holds"
    )
    args = parser.parse_args()
    if args.serving_heap:
        serving_heap()
    report = run_on_database(args, lambda url: run(url, args.backend, args.tenants))
    save("provider_health", args.backend, report)


if __name__ == "__main__":
    main()
