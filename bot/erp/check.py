"""库存核对 / ``scrm-bot erp check``: every balance recomputed from the ledger (ERPNext's stock
ledger invariant check as a command).

Four things must hold for each (product, warehouse): Σ qty_delta of its moves equals its
on_hand; its last move's balance_after equals on_hand; every move's balance_after equals
the running sum of the moves up to it (so the ledger never skipped or doubled a step); and
Σ of what orders' reservations hold there equals its reserved (库存占用). The
sums and the running check are each one statement the database computes, so a million
ledger rows are read once and never brought into Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise import connections

from models.erp import Warehouse
from models.products import Product

SHOWN = 20


@dataclass(frozen=True, slots=True)
class Mismatch:
    product: str
    warehouse: str
    on_hand: int | None  # None: moves with no balance row
    ledger_sum: int
    last_after: int | None  # None: a balance with no moves


@dataclass(frozen=True, slots=True)
class HoldMismatch:
    product: str
    warehouse: str
    reserved: int | None  # the balance's; None: reservations holding where no balance is
    held: int  # Σ qty of the open reservations there


@dataclass(slots=True)
class CheckReport:
    balances: int = 0
    moves: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    broken_moves: int = 0  # rows whose balance_after is not the running sum
    first_broken: list[int] = field(default_factory=list)  # their ids, the first few
    negative: int = 0  # balances below zero of products not allowed negative stock
    holds: list[HoldMismatch] = field(default_factory=list)  # reserved ≠ Σ reservations

    @property
    def ok(self) -> bool:
        return not (self.mismatches or self.broken_moves or self.negative or self.holds)


_SUMS = """
SELECT b."product_id" AS product_id, b."warehouse_id" AS warehouse_id, b."on_hand" AS on_hand,
       COALESCE(s.total, 0) AS total, s.moves AS moves, s.last_id AS last_id,
       p."allow_negative" AS allow_negative
FROM "erp_stock_balance" b
JOIN "product" p ON p."id" = b."product_id"
LEFT JOIN (
    SELECT "product_id", "warehouse_id", SUM("qty_delta") AS total, COUNT(*) AS moves,
           MAX("id") AS last_id
    FROM "erp_stock_move" WHERE "tenant_id" = {mark}
    GROUP BY "product_id", "warehouse_id"
) s ON s."product_id" = b."product_id" AND s."warehouse_id" = b."warehouse_id"
WHERE b."tenant_id" = {mark}
"""
_ORPHANS = """
SELECT m."product_id" AS product_id, m."warehouse_id" AS warehouse_id,
       SUM(m."qty_delta") AS total, MAX(m."id") AS last_id
FROM "erp_stock_move" m
LEFT JOIN "erp_stock_balance" b
  ON b."product_id" = m."product_id" AND b."warehouse_id" = m."warehouse_id"
WHERE m."tenant_id" = {mark} AND b."id" IS NULL
GROUP BY m."product_id", m."warehouse_id"
"""
_RUNNING = """
SELECT "id" FROM (
    SELECT "id", "balance_after", SUM("qty_delta") OVER (
        PARTITION BY "product_id", "warehouse_id" ORDER BY "id"
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running
    FROM "erp_stock_move" WHERE "tenant_id" = {mark}
) t WHERE t.running <> t."balance_after" ORDER BY "id"
"""
_HELD = """
SELECT b."product_id" AS product_id, b."warehouse_id" AS warehouse_id, b."reserved" AS reserved,
       COALESCE(r.held, 0) AS held
FROM "erp_stock_balance" b
LEFT JOIN (
    SELECT "product_id", "warehouse_id", SUM("qty") AS held
    FROM "erp_stock_reservation" WHERE "tenant_id" = {mark}
    GROUP BY "product_id", "warehouse_id"
) r ON r."product_id" = b."product_id" AND r."warehouse_id" = b."warehouse_id"
WHERE b."tenant_id" = {mark} AND b."reserved" <> COALESCE(r.held, 0)
UNION ALL
SELECT r."product_id", r."warehouse_id", NULL, SUM(r."qty")
FROM "erp_stock_reservation" r
LEFT JOIN "erp_stock_balance" b
  ON b."product_id" = r."product_id" AND b."warehouse_id" = r."warehouse_id"
WHERE r."tenant_id" = {mark} AND b."id" IS NULL
GROUP BY r."product_id", r."warehouse_id"
HAVING SUM(r."qty") <> 0
"""
_LAST_AFTER = 'SELECT "id", "balance_after" FROM "erp_stock_move" WHERE "id" IN ({marks})'
BATCH = 500


async def check_stock(tenant_id: int) -> CheckReport:
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    mark = "$1" if postgres else "?"
    # SQLite numbers each "?" separately; PostgreSQL's $1 can be used twice.
    twice = [tenant_id] if postgres else [tenant_id, tenant_id]
    report = CheckReport()
    rows = await connection.execute_query_dict(_SUMS.format(mark=mark), twice)
    lasts = await _last_afters(
        [int(r["last_id"]) for r in rows if r["last_id"] is not None], postgres
    )
    names = await _Names.load(tenant_id)
    report.balances = len(rows)
    for row in rows:
        on_hand, total = int(row["on_hand"]), int(row["total"])
        report.moves += int(row["moves"] or 0)
        last = lasts.get(int(row["last_id"])) if row["last_id"] is not None else None
        report.negative += on_hand < 0 and not row["allow_negative"]
        if total != on_hand or (last is not None and last != on_hand):
            report.mismatches.append(names.mismatch(row, on_hand, total, last))
    for row in await connection.execute_query_dict(_ORPHANS.format(mark=mark), [tenant_id]):
        report.mismatches.append(names.mismatch(row, None, int(row["total"]), None))
    broken = await connection.execute_query_dict(_RUNNING.format(mark=mark), [tenant_id])
    report.broken_moves = len(broken)
    report.first_broken = [int(r["id"]) for r in broken[:SHOWN]]
    thrice = [tenant_id] if postgres else [tenant_id] * 3
    for row in await connection.execute_query_dict(_HELD.format(mark=mark), thrice):
        report.holds.append(names.hold_mismatch(row))
    return report


async def _last_afters(ids: list[int], postgres: bool) -> dict[int, int]:
    connection = connections.get("default")
    found: dict[int, int] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = (
            ", ".join(f"${n}" for n in range(1, len(chunk) + 1))
            if postgres
            else ", ".join("?" * len(chunk))
        )
        for row in await connection.execute_query_dict(_LAST_AFTER.format(marks=marks), chunk):
            found[int(row["id"])] = int(row["balance_after"])
    return found


@dataclass(frozen=True, slots=True)
class _Names:
    products: dict[int, str]
    warehouses: dict[int, str]

    @classmethod
    async def load(cls, tenant_id: int) -> _Names:
        products = dict(await Product.filter(tenant_id=tenant_id).values_list("id", "name"))
        warehouses = dict(await Warehouse.filter(tenant_id=tenant_id).values_list("id", "name"))
        return cls(products, warehouses)  # type: ignore[arg-type]

    def mismatch(
        self, row: dict[str, object], on_hand: int | None, total: int, last: int | None
    ) -> Mismatch:
        product = self.products.get(int(str(row["product_id"])), f"#{row['product_id']}")
        warehouse = self.warehouses.get(int(str(row["warehouse_id"])), f"#{row['warehouse_id']}")
        return Mismatch(product, warehouse, on_hand, total, last)

    def hold_mismatch(self, row: dict[str, object]) -> HoldMismatch:
        product = self.products.get(int(str(row["product_id"])), f"#{row['product_id']}")
        warehouse = self.warehouses.get(int(str(row["warehouse_id"])), f"#{row['warehouse_id']}")
        reserved = None if row["reserved"] is None else int(str(row["reserved"]))
        return HoldMismatch(product, warehouse, reserved, int(str(row["held"])))
