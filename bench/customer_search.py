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

import argparse
import asyncio
import json
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise

from bot.crm.search import search_customers
from bot.db import apply_migrations, tortoise_config
from models.customer_tags import CorpTag, CustomerTag
from models.customers import Customer, CustomerKind
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
        await _timed(search_customers, tenant_id, make())  # warm the cache and the plan
        times = [await _timed(search_customers, tenant_id, make()) for _ in range(rounds)]
        times.sort()
        results[kind] = {
            "p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)], 2),
            "max_ms": round(times[-1], 2),
        }
    return results


async def _timed(
    search: Callable[[int, str], Awaitable[object]], tenant_id: int, query: str
) -> float:
    started = time.perf_counter()
    await search(tenant_id, query)
    return (time.perf_counter() - started) * 1000


async def _fresh_postgres(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def run(backend: str, url: str, customers: int, rounds: int) -> dict[str, object]:
    if backend == "postgres":
        await _fresh_postgres(url)
    await apply_migrations(url)
    await Tortoise.init(config=tortoise_config(url))
    try:
        started = time.perf_counter()
        tenant_id = await fill(customers, seed=7)
        filled = time.perf_counter() - started
        if backend == "postgres":
            await Tortoise.get_connection("default").execute_script("ANALYZE")
        results = await measure(tenant_id, rounds, seed=11)
    finally:
        await Tortoise.close_connections()
    return {
        "backend": backend,
        "customers_per_tenant": customers,
        "rounds": rounds,
        "fill_seconds": round(filled, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=["sqlite", "postgres"])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/scrm_bench")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/bench.db" if args.backend == "sqlite" else args.url
        report = asyncio.run(run(args.backend, url, args.customers, args.rounds))
    print(f"{args.backend}: {args.customers:,} customers per tenant (2 tenants), ", end="")
    print(f"{args.rounds} searches per kind")
    for kind, numbers in report["results"].items():  # type: ignore[attr-defined]
        p50, p99, worst = numbers["p50_ms"], numbers["p99_ms"], numbers["max_ms"]
        print(f"  {kind:15} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   max {worst:7.2f} ms")
    out = (
        Path("bench/results")
        / f"customer_search-{args.backend}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"  written to {out}")


if __name__ == "__main__":
    main()
