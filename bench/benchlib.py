"""What the database benchmarks share: a fresh database with the migrations applied, query
timing and its summary, the command line, and the JSON result under bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise

from bot.db import apply_migrations, tortoise_config

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/scrm_bench"


def database_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("backend", choices=["sqlite", "postgres"])
    parser.add_argument("--url", default=POSTGRES_URL)
    return parser


def run_on_database(
    args: argparse.Namespace, run: Callable[[str], Coroutine[Any, Any, dict[str, Any]]]
) -> dict[str, Any]:
    """``run(url)`` against a temporary SQLite file, or the PostgreSQL database in ``--url``."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/bench.db" if args.backend == "sqlite" else args.url
        return asyncio.run(run(url))


@asynccontextmanager
async def fresh_database(backend: str, url: str) -> AsyncIterator[None]:
    """An empty database (PostgreSQL's is dropped and created again) with every migration."""
    if backend == "postgres":
        await recreate_postgres(url)
    await apply_migrations(url)
    await Tortoise.init(config=tortoise_config(url))
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def recreate_postgres(url: str) -> None:
    """Drop and create the database ``url`` names."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def timed_ms(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def timed_cpu_ms(call: Callable[[], Awaitable[object]]) -> float:
    """The process's CPU time for ``call`` (its own threads included): what a request costs
    whatever else the machine is doing, where wall time also counts waiting for a CPU."""
    started = time.process_time()
    await call()
    return (time.process_time() - started) * 1000


def latency(times_ms: list[float]) -> dict[str, float]:
    times = sorted(times_ms)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)], 2),
        "max_ms": round(times[-1], 2),
    }


def machine() -> dict[str, str]:
    return {"python": platform.python_version(), "machine": platform.machine()}


def print_latencies(results: dict[str, dict[str, float]], width: int = 15) -> None:
    for kind, numbers in results.items():
        p50, p99, worst = numbers["p50_ms"], numbers["p99_ms"], numbers["max_ms"]
        print(f"  {kind:{width}} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   max {worst:7.2f} ms")


def save(name: str, backend: str, report: dict[str, Any]) -> Path:
    out = Path("bench/results") / f"{name}-{backend}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"  written to {out}")
    return out
