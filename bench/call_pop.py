"""Ringing to card: how long a signed ``ringing`` webhook takes to put the caller's card on
the agent's screen, at a steady rate of ringing calls.

    .venv/bin/python bench/call_pop.py sqlite [--rate 20] [--seconds 30]
    .venv/bin/python bench/call_pop.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

The bot and the simulator run in one process on a fresh database with 1,000 customers, each
with a phone and three timeline lines. ``--rate`` ringing calls a second (each a new call id
from a known customer's number, to one of 50 agents) are posted for ``--seconds``. The
webhook sends the card before it answers (message/send to the simulator is part of the
request), so the request's time is the ringing-to-card time; every card is counted at the
simulator afterwards. Prints p50/p99/max; the result is meant for bench/README.md.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from datetime import date
from typing import Any

import aiohttp
from benchlib import database_parser, fresh_database, latency, machine, print_latencies, save

from bot.app import Options
from bot.calls.webhook import SIGNATURE, TIMESTAMP, sign
from bot.clock import SystemClock
from bot.config import parse_settings
from bot.embedded import run_embedded
from bot.subscription.lifecycle import Term
from bot.subscription.plan import Plan
from bot.subscription.store import term_fields
from models.calls import CallSettings
from models.crm.customers import Customer, CustomerNote, NoteKind
from models.subscriptions import Subscription
from models.subscriptions import SubscriptionStatus as Status
from models.tenants import Employee, Tenant

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
SECRET = "bench-secret"
CUSTOMERS, AGENTS = 1_000, 50


async def seed(tenant_id: int) -> None:
    now = SystemClock().now()
    agents = [
        Employee(tenant_id=tenant_id, userid=f"agent{n}", name=f"坐席{n}", first_seen_at=now,
                 last_seen_at=now)
        for n in range(AGENTS)
    ]  # fmt: skip
    await Employee.bulk_create(agents)
    customers = [
        Customer(tenant_id=tenant_id, name=f"客户{n}", phone=f"138{n:08d}", company="星辰科技",
                 created_at=now, updated_at=now)
        for n in range(CUSTOMERS)
    ]  # fmt: skip
    await Customer.bulk_create(customers, batch_size=500)
    ids = await Customer.filter(tenant_id=tenant_id).values_list("id", flat=True)
    notes = [
        CustomerNote(tenant_id=tenant_id, customer_id=i, kind=NoteKind.NOTE, text=f"备注{k}",
                     created_at=now)
        for i in ids for k in range(3)
    ]  # fmt: skip
    await CustomerNote.bulk_create(notes, batch_size=1000)
    plan = Plan("standard", AGENTS, "month", modules=frozenset({"callcenter"}))
    term = Term(plan, Status.ACTIVE, False, date(2000, 1, 1), date(2100, 1, 1), plan.seats)
    await Subscription.filter(tenant_id=tenant_id).delete()  # the trial start-up made
    await Subscription.create(
        tenant_id=tenant_id, **term_fields(term), created_at=now, updated_at=now
    )
    await CallSettings.create(tenant_id=tenant_id, webhook_secret=SECRET, updated_at=now)


async def ring(http: aiohttp.ClientSession, url: str, n: int) -> float:
    body = {"call_id": f"bench-{n}", "event": "ringing", "direction": "in",
            "from": f"138{n % CUSTOMERS:08d}", "to": "4008001234", "agent": f"agent{n % AGENTS}",
            "ring_at": int(time.time())}  # fmt: skip
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    headers = {TIMESTAMP: stamp, SIGNATURE: sign(SECRET, stamp, raw)}
    started = time.perf_counter()
    async with http.post(url, data=raw, headers=headers) as answer:
        assert answer.status == 200, await answer.text()
    return (time.perf_counter() - started) * 1000


async def run(url: str, backend: str, rate: int, seconds: int) -> dict[str, Any]:
    settings = parse_settings(dict(CONFIG, database={"url": url}))
    async with fresh_database(backend, url):
        options = Options(clock=SystemClock(), manage_database=False, run_scheduler=False)
        async with run_embedded(settings, options) as embedded, aiohttp.ClientSession() as http:
            tenant = await Tenant.get(key="acme")
            await seed(tenant.id)
            assert embedded.runtime.billing is not None
            embedded.runtime.billing.cache.invalidate(tenant.id)
            hook = f"{embedded.bot_url}/calls/acme"
            tasks = []
            for n in range(rate * seconds):
                tasks.append(asyncio.create_task(ring(http, hook, n)))
                await asyncio.sleep(1 / rate)
            times = await asyncio.gather(*tasks)
            async with http.get(f"{embedded.simulator_url}/_sim/sent/count") as answer:
                cards = (await answer.json())["count"]
    result = {"ringing_to_card": latency(list(times))}
    print(f"call pop, {backend}: {len(times)} ringing calls at {rate}/s, {cards} cards sent")
    print_latencies(result)
    return {"calls": len(times), "rate": rate, "cards": cards, **result, **machine()}


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url if args.backend == "postgres" else f"sqlite://{folder}/bench.db"
        report = asyncio.run(run(url, args.backend, args.rate, args.seconds))
    save("call_pop", args.backend, report)


if __name__ == "__main__":
    main()
