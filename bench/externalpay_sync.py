"""A 对外收款 sync of 10,000 bills through the simulator: the wall time of ``sync_bills``
(``externalpay/get_bill_list`` paged 1,000 at a time in ≤ 30-day windows, every bill matched
and stored), then of a second run over the same days (everything already stored: nothing
written). Target: none set by the issue; the figure shows what a first sync of a busy tenant
costs.

Usage (from the repository root):

    .venv/bin/python bench/externalpay_sync.py sqlite
    .venv/bin/python bench/externalpay_sync.py postgres --url postgres://postgres@127.0.0.1:5432/bench

The database is created fresh and migrated; the bot and the simulator run in this process on
loopback (``bot.embedded``), without the scheduler. The tenant gets ``--bills`` × 0.8
customers with a WeCom external_userid, each with one confirmed order of ¥100–¥5,000. The
bills, paid over the last 55 days (two windows): 70 % pay a customer's order exactly (matched
by amount), 10 % pay part of one and name it in the remark (matched by remark), 20 % come from
payers who are no customers (left waiting, the admins told). Every twentieth bill gets a
refund. JSON goes to bench/results/.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta
from typing import Any

import aiohttp
from benchlib import database_parser, fresh_database, machine, run_on_database, save

from bot.app import Options
from bot.config import parse_settings
from bot.demo.tour import DEMO_TENANT
from bot.embedded import run_embedded
from bot.orders.externalpay import sync_bills
from bot.orders.numbers import format_number
from bot.wecom_sim.control_externalpay import ExternalPaySimControl
from models.crm.customers import Customer
from models.orders import Collection, Order, OrderState, PaymentInstallment, PendingBill, Refund
from models.tenants import Tenant

BATCH = 5_000
CONCURRENT = 50  # control requests in flight while seeding the simulator


async def _orders(tenant_id: int, count: int, rng: random.Random, now: Any) -> list[Order]:
    day = (now - timedelta(days=60)).date()
    await Customer.bulk_create(
        [
            Customer(tenant_id=tenant_id, name=f"客户{i}", external_userid=f"wmBench{i:06d}",
                     created_at=now, updated_at=now)
            for i in range(count)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    customers = await Customer.filter(tenant_id=tenant_id).order_by("id")
    await Order.bulk_create(
        [
            Order(tenant_id=tenant_id, number=format_number(day, n + 1), day=day, seq=n + 1,
                  customer_id=c.id, state=OrderState.CONFIRMED,
                  subtotal_fen=(fen := rng.randrange(10_000, 500_000)), total_fen=fen,
                  created_at=now, updated_at=now, confirmed_at=now - timedelta(days=60))
            for n, c in enumerate(customers)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    orders = await Order.filter(tenant_id=tenant_id).order_by("id")
    await PaymentInstallment.bulk_create(
        [
            PaymentInstallment(tenant_id=tenant_id, order_id=o.id, period=1,
                               due_date=day + timedelta(days=90), amount_fen=o.total_fen)
            for o in orders
        ],
        batch_size=BATCH,
    )  # fmt: skip
    return orders


async def _bills(
    pay: ExternalPaySimControl, orders: list[Order], payers: dict[int, str], count: int,
    rng: random.Random, now_seconds: int,
) -> None:  # fmt: skip
    bodies: list[tuple[int, dict[str, Any]]] = []
    for n in range(count):
        at = now_seconds - rng.randrange(60, 55 * 86400)
        kind = n % 10
        if kind < 7 and n < len(orders):
            order = orders[n]
            bodies.append((order.total_fen, {"external_userid": payers[order.customer_id]}))
        elif kind < 8 and n < len(orders):
            order = orders[n]
            body = {"external_userid": payers[order.customer_id], "remark": f"订单{order.number}"}
            bodies.append((order.total_fen // 2, body))
        else:
            bodies.append((rng.randrange(100, 100_000), {"external_userid": f"wmStranger{n}"}))
        bodies[-1][1]["pay_time"] = at
    semaphore = asyncio.Semaphore(CONCURRENT)

    async def add(n: int, fee: int, body: dict[str, Any]) -> None:
        async with semaphore:
            bill = await pay.add_bill("demo", fee, **body)
            if n % 20 == 0:
                await pay.add_bill_refund("demo", bill["transaction_id"], max(1, fee // 10))

    await asyncio.gather(*(add(n, fee, body) for n, (fee, body) in enumerate(bodies)))


async def run(url: str, backend: str, bills: int, seed: int) -> dict[str, Any]:
    settings = parse_settings({"database": {"url": url}, "tenants": [DEMO_TENANT]})
    options = Options(manage_database=False, run_scheduler=False)
    rng = random.Random(seed)
    async with fresh_database(backend, url), run_embedded(settings, options) as embedded:
        runtime = embedded.runtime
        clock = runtime.options.clock
        tenant = await runtime.tenants.get("demo")
        assert tenant is not None and runtime.client is not None
        tenant_row = await Tenant.get(key="demo")
        started = time.perf_counter()
        orders = await _orders(tenant_row.id, bills * 8 // 10, rng, clock.now())
        payers = {
            c.id: c.external_userid or ""
            for c in await Customer.filter(tenant_id=tenant_row.id).only("id", "external_userid")
        }
        async with aiohttp.ClientSession() as session:
            pay = ExternalPaySimControl(session, embedded.simulator_url)
            await _bills(pay, orders, payers, bills, rng, int(clock.now().timestamp()))
        print(f"seeded {len(orders)} orders and {bills} bills in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        timings: dict[str, float] = {}
        reports: dict[str, dict[str, int]] = {}
        for label in ("first", "again"):
            started = time.perf_counter()
            report = await sync_bills(
                runtime.client, tenant, clock, since=clock.now() - timedelta(days=56)
            )
            timings[label] = round(time.perf_counter() - started, 2)
            reports[label] = {
                "windows": report.windows,
                "pages": report.pages,
                "bills": report.bills,
                "collected": report.collected,
                "queued": report.queued,
                "refunds": report.refunds,
            }
            print(f"{label}: {timings[label]} s, {reports[label]}")
        stored = {
            "collections": await Collection.all().count(),
            "refunds": await Refund.all().count(),
            "pending": await PendingBill.all().count(),
        }
        print(f"stored: {stored}")
    return {
        "bills": bills,
        "seconds": timings,
        "runs": reports,
        "stored": stored,
        "machine": machine(),
    }


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--bills", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    report = run_on_database(args, lambda url: run(url, args.backend, args.bills, args.seed))
    print(save("externalpay_sync", args.backend, report))


if __name__ == "__main__":
    main()
