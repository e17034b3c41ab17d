"""What the stock is: per product and warehouse (在库, 占用, 可用, 在途), per warehouse, what
runs low, and a product's ledger over a period.

在途 (on order) is what confirmed purchase orders still expect: Σ (ordered − received) of
their lines, counted at the warehouse each order delivers to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Sum

from models.erp import OPEN_PURCHASES, PurchaseLine, StockBalance, StockMove, Warehouse
from models.products import Product

LIST_LIMIT = 30


@dataclass(frozen=True, slots=True)
class Level:
    warehouse: str
    on_hand: int
    reserved: int
    on_order: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


async def on_order(
    tenant_id: int, product_ids: list[int] | None = None
) -> dict[tuple[int, int], int]:
    """(product, warehouse) → quantity still expected from open purchase orders."""
    lines = PurchaseLine.filter(order__tenant_id=tenant_id, order__state__in=OPEN_PURCHASES)
    if product_ids is not None:
        lines = lines.filter(product_id__in=product_ids)
    expected: dict[tuple[int, int], int] = defaultdict(int)
    for product_id, warehouse_id, qty, received in await lines.values_list(
        "product_id", "order__warehouse_id", "qty", "received"
    ):
        # A line received beyond its order (超收) expects nothing more, not less than nothing.
        still = max(int(qty) - int(received), 0)  # type: ignore[call-overload]
        expected[(int(product_id), int(warehouse_id))] += still
    return expected


async def product_levels(tenant_id: int, product: Product) -> list[Level]:
    balances = {
        b.warehouse_id: b
        for b in await StockBalance.filter(tenant_id=tenant_id, product_id=product.id)
    }
    expected = await on_order(tenant_id, [product.id])
    ids = set(balances) | {w for (_, w) in expected}
    names = dict(
        await Warehouse.filter(id__in=ids).order_by("-is_default", "id").values_list("id", "name")
    )
    levels = []
    for warehouse_id, name in names.items():
        balance = balances.get(warehouse_id)
        levels.append(
            Level(
                str(name),
                balance.on_hand if balance else 0,
                balance.reserved if balance else 0,
                expected.get((product.id, warehouse_id), 0),
            )
        )
    return levels


@dataclass(frozen=True, slots=True)
class Holding:
    product: str
    unit: str
    on_hand: int
    reserved: int


async def warehouse_holdings(tenant_id: int, warehouse: Warehouse) -> tuple[list[Holding], int]:
    """What the warehouse holds (products with stock, or below zero where that is allowed;
    by name), the first few and how many."""
    query = StockBalance.filter(tenant_id=tenant_id, warehouse_id=warehouse.id).exclude(on_hand=0)
    total = await query.count()
    rows = (
        await query.order_by("product__name")
        .limit(LIST_LIMIT)
        .values_list("product__name", "product__unit", "on_hand", "reserved")
    )
    return [Holding(str(n), str(u), int(h), int(r)) for n, u, h, r in rows], total  # type: ignore[call-overload]


async def totals_by_product(tenant_id: int, product_ids: list[int] | None = None) -> dict[int, int]:
    query = StockBalance.filter(tenant_id=tenant_id)
    if product_ids is not None:
        query = query.filter(product_id__in=product_ids)
    rows = (
        await query.annotate(total=Sum("on_hand"))
        .group_by("product_id")
        .values("product_id", "total")
    )
    return {int(r["product_id"]): int(r["total"] or 0) for r in rows}


@dataclass(frozen=True, slots=True)
class Low:
    product: Product
    on_hand: int
    on_order: int


async def low_stock(tenant_id: int) -> list[Low]:
    """Products with a 预警 level whose stock in all warehouses together is at or below it."""
    watched = await Product.filter(tenant_id=tenant_id, active=True, min_qty__isnull=False)
    if not watched:
        return []
    totals = await totals_by_product(tenant_id, [p.id for p in watched])
    expected = await on_order(tenant_id, [p.id for p in watched])
    coming: dict[int, int] = defaultdict(int)
    for (product_id, _), qty in expected.items():
        coming[product_id] += qty
    low = [
        Low(p, totals.get(p.id, 0), coming.get(p.id, 0))
        for p in watched
        if p.min_qty is not None and totals.get(p.id, 0) <= p.min_qty
    ]
    return sorted(
        low, key=lambda item: (item.on_hand - (item.product.min_qty or 0), item.product.name)
    )


async def product_total(tenant_id: int, product_id: int) -> int:
    return (await totals_by_product(tenant_id, [product_id])).get(product_id, 0)


async def ledger(
    tenant_id: int, product: Product, start: datetime | None, end: datetime | None
) -> tuple[list[StockMove], int]:
    """The product's moves in [start, end), oldest first: the last ``LIST_LIMIT`` of them,
    and how many there were."""
    query = StockMove.filter(tenant_id=tenant_id, product_id=product.id)
    if start is not None:
        query = query.filter(at__gte=start)
    if end is not None:
        query = query.filter(at__lt=end)
    total = await query.count()
    moves = await query.order_by("-id").limit(LIST_LIMIT).prefetch_related("warehouse", "actor")
    return list(reversed(moves)), total
