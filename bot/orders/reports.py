"""Lists and totals over many orders: open orders of customers, 待回款, 逾期回款, 销售.

Payment progress is derived per order from grouped sums (``bot.orders.view.payments_of``),
a fixed number of queries whatever the number of orders.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.expressions import F, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from bot.orders.progress import Payments
from bot.orders.view import payments_of
from models.crm.customers import Customer
from models.orders import Collection, Order, OrderLine, OrderState, Refund, ShipmentLine
from models.products import Product
from models.tenants import Employee

SOLD_STATES = (OrderState.CONFIRMED, OrderState.COMPLETED)
Row = tuple[Order, str, Payments]  # an order, its customer's name, its payments


async def _with_payments(orders: list[Order], today: date) -> list[Row]:
    paid = await payments_of(orders, today)
    names = {
        c.id: c.display_name for c in await Customer.filter(id__in={o.customer_id for o in orders})
    }
    return [(o, names.get(o.customer_id, ""), paid[o.id]) for o in orders]


async def open_orders_of(tenant_id: int, customer_ids: list[int], today: date) -> list[Row]:
    """Confirmed orders of these customers that still wait for money, oldest first."""
    orders = await Order.filter(
        tenant_id=tenant_id, customer_id__in=customer_ids, state=OrderState.CONFIRMED
    ).order_by("created_at", "id")
    return [row for row in await _with_payments(orders, today) if row[2].outstanding_fen > 0]


@dataclass(frozen=True, slots=True)
class OpenPage:
    """What is still owed on confirmed orders: how many, how much, and the oldest rows."""

    count: int
    owed_fen: int  # outstanding, or overdue for ``overdue=True``
    rows: list[Row]


@functools.cache
def _open_sql(dialect: str, by_owner: bool, overdue: bool) -> str:
    """One statement: each confirmed order's paid (Σ collections − Σ refunds) and, for the
    overdue list, what its periods due before today add up to, by index probes per order,
    once per order (MATERIALIZED: inlined, the probes ran once per use of ``paid``); the
    count and the total over all of them as window sums; the oldest ``limit`` rows."""
    n = iter(range(1, 10))

    def mark() -> str:
        return "?" if dialect == "sqlite" else f"${next(n)}"

    # The marks in the order they appear in the text (SQLite's ? are positional).
    due = (
        "(SELECT COALESCE(SUM(p.amount_fen), 0) FROM payment_installment p"
        f" WHERE p.order_id = o.id AND p.due_date < {mark()})"
        if overdue
        else "0"
    )
    tenant, state = mark(), mark()
    owner = f" AND o.owner_id = {mark()}" if by_owner else ""
    owed = "due - paid" if overdue else "total_fen - paid"
    return (
        "WITH money AS MATERIALIZED (SELECT o.id, o.created_at, o.total_fen,"
        " (SELECT COALESCE(SUM(c.amount_fen), 0) FROM order_collection c WHERE c.order_id = o.id)"
        " - (SELECT COALESCE(SUM(r.amount_fen), 0) FROM order_refund r WHERE r.order_id = o.id)"
        f" AS paid, {due} AS due"
        f" FROM sales_order o WHERE o.tenant_id = {tenant} AND o.state = {state}{owner}),"
        f" owing AS (SELECT id, created_at, {owed} AS owed FROM money WHERE total_fen > paid)"
        " SELECT id, COUNT(*) OVER () AS n, SUM(owed) OVER () AS owed FROM owing"
        f" WHERE owed > 0 ORDER BY created_at, id LIMIT {mark()}"
    )


async def open_page(
    tenant_id: int, owner_id: int | None, today: date, limit: int, *, overdue: bool = False
) -> OpenPage:
    """待回款 (or 逾期回款 with ``overdue``) over one owner's or everybody's (None) confirmed
    orders, summed in the database: at 100,000 orders, loading every open order to add
    it up in Python took seconds (bench/orders_bench.py)."""
    db = Order._meta.db
    values: list[Any] = []
    if overdue:
        values.append(today if db.capabilities.dialect == "postgres" else today.isoformat())
    values += [tenant_id, OrderState.CONFIRMED.value]
    if owner_id is not None:
        values.append(owner_id)
    values.append(limit)
    sql = _open_sql(db.capabilities.dialect, owner_id is not None, overdue)
    found = await db.execute_query_dict(sql, values)
    if not found:
        return OpenPage(0, 0, [])
    ids = [row["id"] for row in found]
    orders = {o.id: o for o in await Order.filter(id__in=ids)}
    rows = await _with_payments([orders[i] for i in ids], today)
    return OpenPage(int(found[0]["n"]), int(found[0]["owed"]), rows)


async def unpaid(tenant_id: int, owner_id: int | None, today: date) -> list[Row]:
    """Confirmed orders with money still to come (one owner's, or everybody's for None)."""
    query = Order.filter(tenant_id=tenant_id, state=OrderState.CONFIRMED)
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    orders = await query.order_by("created_at", "id")
    return [row for row in await _with_payments(orders, today) if row[2].outstanding_fen > 0]


async def mine(tenant_id: int, owner_id: int, today: date, limit: int = 10) -> list[Row]:
    orders = (
        await Order.filter(tenant_id=tenant_id, owner_id=owner_id)
        .exclude(state=OrderState.CANCELLED)
        .order_by("-created_at", "-id")
        .limit(limit)
    )
    return await _with_payments(orders, today)


async def of_customers(
    tenant_id: int, customer_ids: list[int], today: date, limit: int = 10
) -> list[Row]:
    """The customers' latest orders, cancelled ones included (they are part of the story)."""
    orders = (
        await Order.filter(tenant_id=tenant_id, customer_id__in=customer_ids)
        .order_by("-created_at", "-id")
        .limit(limit)
    )
    return await _with_payments(orders, today)


async def unshipped(
    tenant_id: int, owner_id: int | None
) -> list[tuple[Order, str, list[tuple[str, int, str]]]]:
    """Confirmed orders with goods still to ship, oldest first: each with its customer's
    name and (product, quantity left, unit) per line not shipped in full."""
    query = Order.filter(tenant_id=tenant_id, state=OrderState.CONFIRMED)
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    orders = await query.order_by("created_at", "id")
    ids = [o.id for o in orders]
    lines = await OrderLine.filter(order_id__in=ids).order_by("order_id", "position")
    shipped = {
        row["order_line_id"]: int(row["total"] or 0)
        for row in await ShipmentLine.filter(order_line__order_id__in=ids)
        .annotate(total=Sum("qty"))
        .group_by("order_line_id")
        .values("order_line_id", "total")
    }
    products = {p.id: p.name for p in await Product.filter(tenant_id=tenant_id)}
    left: dict[int, list[tuple[str, int, str]]] = {}
    for line in lines:
        missing = line.qty - shipped.get(line.id, 0)
        if missing > 0:
            left.setdefault(line.order_id, []).append(
                (products.get(line.product_id, ""), missing, line.unit)
            )
    names = {
        c.id: c.display_name
        for c in await Customer.filter(id__in={o.customer_id for o in orders if o.id in left})
    }
    return [(o, names.get(o.customer_id, ""), left[o.id]) for o in orders if o.id in left]


@dataclass(slots=True)
class Sales:
    orders: int = 0
    total_fen: int = 0
    paid_fen: int = 0
    by_person: Counter[str] = field(default_factory=Counter)
    by_product: Counter[str] = field(default_factory=Counter)
    by_customer: Counter[str] = field(default_factory=Counter)


RANKED = 20  # by product and by customer: the largest this many (lists show 5, charts 10)


async def sales(
    tenant_id: int, start: datetime, end: datetime, owner_id: int | None, today: date
) -> Sales:
    """Orders confirmed in [start, end) and not cancelled: their totals, what of them is
    paid, and the totals per salesperson, per product (line totals, before the order's
    discount) and per customer, the largest ``RANKED`` products and customers only. Every
    sum is taken in the database (at 100,000 orders, loading a quarter's orders to add them
    up took half a second: bench/orders_bench.py)."""
    scope: dict[str, Any] = {
        "tenant_id": tenant_id,
        "state__in": SOLD_STATES,
        "confirmed_at__gte": start,
        "confirmed_at__lt": end,
    }
    if owner_id is not None:
        scope["owner_id"] = owner_id
    # Rows of these orders by a subquery, not a join: a join makes Tortoise group a plain
    # sum by every column of the row (one "sum" per collection).
    via_order = {"order_id__in": Subquery(Order.filter(**scope).values("id"))}
    found = Sales()
    totals = (
        await Order.filter(**scope)
        .annotate(n=Count("id"), total=Sum("total_fen"))
        .values("n", "total")
    )
    found.orders = int(totals[0]["n"] or 0) if totals else 0
    if not found.orders:
        return found
    found.total_fen = int(totals[0]["total"] or 0)
    collected = await _sum(Collection.filter(**via_order))
    found.paid_fen = collected - await _sum(Refund.filter(**via_order))
    owners = {e.id: e.name or e.userid for e in await Employee.filter(tenant_id=tenant_id)}
    for row in await _grouped(Order.filter(**scope), "owner_id", "total_fen", None):
        found.by_person[owners.get(row[0] or 0, "无")] += row[1]
    by_customer = await _grouped(Order.filter(**scope), "customer_id", "total_fen", RANKED)
    names = {
        c.id: c.display_name
        for c in await Customer.filter(id__in=[customer for customer, _ in by_customer])
    }
    for customer, amount in by_customer:
        found.by_customer[names.get(customer, "")] += amount
    by_product = await _grouped(
        OrderLine.filter(**via_order), "product_id", "line_total_fen", RANKED
    )
    products = {
        p.id: p.name for p in await Product.filter(id__in=[product for product, _ in by_product])
    }
    for product, amount in by_product:
        found.by_product[products.get(product, "")] += amount
    return found


async def _sum(query: QuerySet[Any]) -> int:
    rows = await query.annotate(total=Sum("amount_fen")).values("total")
    return int(rows[0]["total"] or 0) if rows else 0


async def _grouped(
    query: QuerySet[Any], key: str, amount: str, limit: int | None
) -> list[tuple[Any, int]]:
    """(key, Σ amount) per key, largest first; the first ``limit`` when given. The key is
    grouped as ``key + 0``: grouped by the bare column, SQLite walks the index that starts
    with it (every order of the tenant, 200 ms at 30,000) instead of the period's range."""
    grouped = (
        query.annotate(grouped_key=F(key) + 0, total=Sum(amount))
        .group_by("grouped_key")
        .order_by("-total", "grouped_key")
    )
    if limit is not None:
        grouped = grouped.limit(limit)
    rows = await grouped.values("grouped_key", "total")
    return [(row["grouped_key"], int(row["total"] or 0)) for row in rows]
