"""ERP-lite at size: 库存 over 10,000 products × 5 warehouses, the ledger check over 1,000,000
moves, and concurrent stock-outs of one product.

    .venv/bin/python bench/erp_bench.py sqlite [--products 10000] [--moves-each 20]
    .venv/bin/python bench/erp_bench.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

A fresh database gets one tenant with ``--products`` products in 5 warehouses (a balance for
each pair) and ``--moves-each`` stock-ins per balance in the ledger, each with its running
``balance_after`` (20 × 50,000 = 1,000,000 moves), written with raw multi-row INSERTs. Then:

- **库存 <product>**: what the command reads and says (``product_levels`` and its lines) for
  200 random products, one at a time; p50/p99/max.
- **erp check**: the ledger check (``check_stock``: sums, last balance-after, running sums)
  over every move, 3 runs; it must find the ledger balanced.
- **200 concurrent stock-outs**: 200 stock-outs of 1 of one product at once, through the
  guarded decrement (``bot.erp.stock.post``), against 150 on hand: exactly 150 must succeed
  and the balance end at 0; throughput and each call's latency.

Prints the figures for bench/README.md.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime
from typing import Any

from benchlib import (
    database_parser,
    fresh_database,
    latency,
    machine,
    print_latencies,
    run_on_database,
    save,
)
from tortoise import connections

from bot.erp.check import check_stock
from bot.erp.inquiry import product_levels
from bot.erp.stock import Move, Shortage, post
from bot.erp.wording import level_lines
from models.erp import MoveKind, StockBalance, Warehouse
from models.products import Product
from models.tenants import Tenant

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
WAREHOUSES = 5
INQUIRIES = 200
CHECK_RUNS = 3
RACERS, ON_HAND = 200, 150
ROWS_PER_INSERT = 500


async def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERTs of ``ROWS_PER_INSERT`` rows (each row ``len(columns)`` values)."""
    db = connections.get("default")
    postgres = db.capabilities.dialect == "postgres"
    names = ", ".join(f'"{c}"' for c in columns)
    for first in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[first : first + ROWS_PER_INSERT]
        values: list[Any] = [v for row in chunk for v in row]
        if postgres:
            n = iter(range(1, len(values) + 1))
            groups = ", ".join("(" + ", ".join(f"${next(n)}" for _ in columns) + ")" for _ in chunk)
        else:
            groups = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in chunk)
        await db.execute_query(f'INSERT INTO "{table}" ({names}) VALUES {groups}', values)


async def seed(products: int, moves_each: int) -> tuple[int, list[Product], Warehouse]:
    tenant = await Tenant.create(
        key="erp", corp_id="ww-erp", name="进销存压测", agent_id=1, secret="s", token="t",
        encoding_aes_key="k" * 43,
    )  # fmt: skip
    warehouses = [
        await Warehouse.create(tenant=tenant, name=f"仓{n}", is_default=n == 0, created_at=NOW)
        for n in range(WAREHOUSES)
    ]
    await _insert(
        "product",
        ("tenant_id", "name", "unit", "sale_price_fen", "purchase_price_fen", "min_qty",
         "avg_cost_fen", "allow_negative", "active", "created_at", "updated_at"),
        [(tenant.id, f"商品{n:05d}", "箱", 2500, 1800, 10, 1800, False, True, NOW, NOW)
         for n in range(products)],
    )  # fmt: skip
    made = await Product.filter(tenant_id=tenant.id).order_by("id")
    balances = []
    moves = []
    for product in made:
        for warehouse in warehouses:
            running = 0
            for _ in range(moves_each):
                running += 5
                moves.append(
                    (tenant.id, product.id, warehouse.id, MoveKind.STOCK_IN.value, 5, running,
                     5 * 1800, "", "", "", NOW)
                )  # fmt: skip
            balances.append((tenant.id, product.id, warehouse.id, running, 0, NOW))
        if len(moves) >= 100_000:
            await _move_rows(moves)
            moves = []
    await _move_rows(moves)
    await _insert(
        "erp_stock_balance",
        ("tenant_id", "product_id", "warehouse_id", "on_hand", "reserved", "updated_at"),
        balances,
    )
    return tenant.id, made, warehouses[0]


async def _move_rows(moves: list[tuple[Any, ...]]) -> None:
    await _insert(
        "erp_stock_move",
        ("tenant_id", "product_id", "warehouse_id", "kind", "qty_delta", "balance_after",
         "value_fen", "reference", "member", "note", "at"),
        moves,
    )  # fmt: skip


async def inquiry(tenant_id: int, product: Product) -> float:
    started = time.perf_counter()
    levels = await product_levels(tenant_id, product)
    reply = "\n".join(level_lines(product, levels))  # the wording is part of the answer's cost
    assert reply
    return (time.perf_counter() - started) * 1000


async def race(tenant_id: int, product: Product, warehouse: Warehouse) -> dict[str, Any]:
    balance = await StockBalance.get(product_id=product.id, warehouse_id=warehouse.id)
    await StockBalance.filter(id=balance.id).update(on_hand=ON_HAND)
    times: list[float] = []
    won = 0

    async def one() -> None:
        nonlocal won
        started = time.perf_counter()
        try:
            await post(tenant_id, [Move(product, warehouse, -1, MoveKind.STOCK_OUT)], None, NOW)
            won += 1
        except Shortage:  # the 50 that find nothing left: refused, as they must be
            pass
        times.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(RACERS)))
    seconds = time.perf_counter() - started
    left = (await StockBalance.get(id=balance.id)).on_hand
    assert (won, left) == (ON_HAND, 0), (won, left)
    return {
        "racers": RACERS,
        "on_hand": ON_HAND,
        "succeeded": won,
        "left": left,
        "seconds": round(seconds, 3),
        "per_second": round(RACERS / seconds, 1),
        **{f"call_{k}": v for k, v in latency(times).items()},
    }


async def run(url: str, backend: str, products: int, moves_each: int) -> dict[str, Any]:
    async with fresh_database(backend, url):
        started = time.perf_counter()
        tenant_id, made, warehouse = await seed(products, moves_each)
        seeded_s = round(time.perf_counter() - started, 1)
        picked = random.Random(7).sample(made, min(INQUIRIES, len(made)))
        for product in picked[:10]:
            await inquiry(tenant_id, product)  # warm-up
        asked = [await inquiry(tenant_id, p) for p in picked]
        checks = []
        for _ in range(CHECK_RUNS):
            started = time.perf_counter()
            report = await check_stock(tenant_id)
            checks.append((time.perf_counter() - started) * 1000)
            assert not report.mismatches and not report.broken_moves, report
        moves = report.moves
        raced = await race(tenant_id, made[0], warehouse)
    results = {"库存 <product>": latency(asked), "erp check": latency(checks)}
    print(f"erp, {backend}: {len(made)} products × {WAREHOUSES} warehouses, {moves} moves")
    print(f"  seeded in {seeded_s} s")
    print_latencies(results)
    print(
        f"  {RACERS} concurrent stock-outs against {ON_HAND}: {raced['succeeded']} succeeded, "
        f"{raced['left']} left, {raced['per_second']}/s, call p50 {raced['call_p50_ms']} ms, "
        f"p99 {raced['call_p99_ms']} ms"
    )
    return {
        "products": len(made),
        "warehouses": WAREHOUSES,
        "moves": moves,
        "seeded_s": seeded_s,
        **results,
        "stock_outs": raced,
        **machine(),
    }


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--moves-each", type=int, default=20)
    args = parser.parse_args()
    report = run_on_database(
        args, lambda url: run(url, args.backend, args.products, args.moves_each)
    )
    save("erp", args.backend, report)


if __name__ == "__main__":
    main()
