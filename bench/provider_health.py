"""客户健康 over 2,000 client enterprises with 90 days of roll-ups: what the operator waits for.

    .venv/bin/python bench/provider_health.py sqlite [--tenants 2000]
    .venv/bin/python bench/provider_health.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

A fresh database gets ``--tenants`` tenants on their trial, each with 90 days of daily
roll-ups and 30 days of usage events (8 a day from 4 members, one in ten refused for a
module), then 50 runs, one at a time after a warm-up, of what 客户健康 does: every client's
facts, its health from the roll-ups, and the reply text. Prints p50/p99/max for
bench/README.md.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, date, datetime, timedelta
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

from bot.clock import FrozenClock
from bot.provider import views
from bot.provider.clients import clients_facts
from bot.provider.health import healths_of
from bot.subscription.service import Billing
from bot.subscription.settings import SubscriptionSettings
from bot.subscription.store import start_trial
from models.provider import Outcome, TenantDailyUsage, UsageEvent
from models.tenants import Tenant

ROLLED_UP_DAYS, EVENT_DAYS, EVENTS_A_DAY, RUNS, BATCH = 90, 30, 8, 50, 5_000
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
            )  # fmt: skip
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
        )  # fmt: skip
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
        )  # fmt: skip
        for tenant_id in ids
        for back in range(EVENT_DAYS)
        for n in range(EVENTS_A_DAY)
    ]
    for first in range(0, len(events), BATCH):
        await UsageEvent.bulk_create(events[first : first + BATCH])


def n_days(tenant_id: int) -> int:
    """Trials started over the last few weeks, so renewals fall on many days."""
    return tenant_id % 20


async def client_health(billing: Billing) -> str:
    clients = await clients_facts(billing, await Tenant.all().order_by("id"), NOW)
    return views.by_tier(list(zip(clients, await healths_of(clients), strict=True)))


async def run(url: str, backend: str, tenants: int) -> dict[str, Any]:
    async with fresh_database(backend, url):
        billing = Billing(SubscriptionSettings(), FrozenClock(NOW))
        await seed(billing, tenants)
        reply = await client_health(billing)
        times = [await timed_ms(lambda: client_health(billing)) for _ in range(RUNS)]
    results = {"客户健康": latency(times)}
    print(f"client health, {backend}: {tenants} tenants, {ROLLED_UP_DAYS} days of roll-ups")
    print(f"  reply: {len(reply)} characters, first line {reply.splitlines()[0]}")
    print_latencies(results)
    return {"tenants": tenants, "rolled_up_days": ROLLED_UP_DAYS, **results, **machine()}


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--tenants", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url if args.backend == "postgres" else f"sqlite://{folder}/bench.db"
        report = asyncio.run(run(url, args.backend, args.tenants))
    save("provider_health", args.backend, report)


if __name__ == "__main__":
    main()
