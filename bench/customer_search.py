"""Customer search over 100,000 customers of one tenant: latency of ``search_customers``
(the query behind 查客户 / 查) on SQLite and PostgreSQL.

Usage (from the repository root):

    .venv/bin/python bench/customer_search.py sqlite
    .venv/bin/python bench/customer_search.py postgres --url postgres://postgres@127.0.0.1:5432/bench

The database is created fresh (a temporary SQLite file; for PostgreSQL the database named in
the URL is dropped and recreated), migrated, filled with ``--customers`` customers of the
measured tenant plus as many of a second tenant (so tenant scoping is part of the work), 5% of
them tagged. Then each query kind runs ``--rounds`` times with random queries, one at a time,
and the script prints p50/p99/max per kind and writes JSON to bench/results/.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

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

from bot.crm.search import search_customers
from models.crm.customers import Customer, CustomerKind
from models.crm.tags import CorpTag, CustomerTag
from models.tenants import Tenant

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红亮"
COMPANIES = ["华夏", "长城", "东方", "远航", "新锐", "恒通", "天成", "金桥", "瑞丰", "万象"]
SUFFIXES = ["科技", "贸易", "制造", "物流", "传媒", "咨询"]
BATCH = 5_000


def _customer(rng: random.Random, tenant_id: int, n: int, now: datetime) -> Customer:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if n % 2 else "")
    company = rng.choice(COMPANIES) + rng.choice(SUFFIXES) + f"{n % 500:03d}"
    return Customer(
        tenant_id=tenant_id,
        external_userid=f"wm{tenant_id}x{n:07d}",
        kind=CustomerKind.WECHAT,
        name=name,
        phone=f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
        company=company,
        created_at=now,
        updated_at=now,
    )


async def _tenant(key: str) -> Tenant:
    return await Tenant.create(
        key=key,
        corp_id=f"ww{key}",
        name=key,
        agent_id=1,
        secret="s",
        token="t",
        encoding_aes_key="x" * 43,
    )


async def fill(count: int, seed: int) -> int:
    rng, now = random.Random(seed), datetime.now(UTC)
    measured, other = await _tenant("bench"), await _tenant("noise")
    for tenant in (other, measured):
        for start in range(0, count, BATCH):
            rows = [
                _customer(rng, tenant.id, n, now) for n in range(start, min(count, start + BATCH))
            ]
            await Customer.bulk_create(rows)
    tag = await CorpTag.create(tenant_id=measured.id, tag_id="etVIP", name="重点客户")
    ids = await Customer.filter(tenant_id=measured.id).values_list("id", flat=True)
    tagged = [
        CustomerTag(tenant_id=measured.id, customer_id=i, tag_id=tag.id, created_at=now)
        for i in ids[::20]
    ]
    await CustomerTag.bulk_create(tagged, batch_size=BATCH)
    return measured.id


def _queries(rng: random.Random) -> dict[str, Callable[[], str]]:
    return {
        "name": lambda: rng.choice(SURNAMES) + rng.choice(GIVEN),
        "phone prefix": lambda: (
            "1" + rng.choice("3456789") + str(rng.randrange(10**4)).zfill(4)[: rng.randint(1, 4)]
        ),
        "company prefix": lambda: rng.choice(COMPANIES) + rng.choice(SUFFIXES)[: rng.randint(0, 2)],
        "tag": lambda: "重点客户",
        "miss": lambda: "不存在的客户" + str(rng.randrange(1000)),
    }


async def measure(tenant_id: int, rounds: int, seed: int) -> dict[str, dict[str, float]]:
    rng, results = random.Random(seed), {}
    for kind, make in _queries(rng).items():
        await search_customers(tenant_id, make())  # warm the cache and the plan
        queries = [make() for _ in range(rounds)]
        times = [await timed_ms(partial(search_customers, tenant_id, q)) for q in queries]
        results[kind] = latency(times)
    return results


async def run(backend: str, url: str, customers: int, rounds: int) -> dict[str, object]:
    async with fresh_database(backend, url):
        started = time.perf_counter()
        tenant_id = await fill(customers, seed=7)
        filled = time.perf_counter() - started
        if backend == "postgres":
            await Tortoise.get_connection("default").execute_script("ANALYZE")
        results = await measure(tenant_id, rounds, seed=11)
    return {
        "backend": backend,
        "customers_per_tenant": customers,
        "rounds": rounds,
        "fill_seconds": round(filled, 1),
        **machine(),
        "results": results,
    }


def main() -> None:
    parser = database_parser(__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    report = run_on_database(args, lambda url: run(args.backend, url, args.customers, args.rounds))
    print(f"{args.backend}: {args.customers:,} customers per tenant (2 tenants), ", end="")
    print(f"{args.rounds} searches per kind")
    print_latencies(report["results"])
    save("customer_search", args.backend, report)


if __name__ == "__main__":
    main()
