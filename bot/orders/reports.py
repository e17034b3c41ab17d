"""Lists and totals over many orders: open orders of customers, 待回款, 逾期回款, 销售.

What each order has paid is read from its row (``Order.paid_fen``, kept by
``bot.orders.paid``); the rest of its payment progress comes from its plan
(``bot.orders.view.payments_of``), a fixed number of queries whatever the number of orders.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.expressions import F, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from bot.orders.progress import Payments
from bot.orders.view import payments_of
from models.crm.customers import Customer
from models.orders import Order, OrderLine, OrderState, ShipmentLine
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
        tenant_id=tenant_id,
        customer_id__in=customer_ids,
        state=OrderState.CONFIRMED,
        paid_fen__lt=F("total_fen"),
    ).order_by("created_at", "id")
    return await _with_payments(orders, today)


@dataclass(frozen=True, slots=True)
class OpenPage:
    """What is still owed on confirmed orders: how many, how much, and the oldest rows."""

    count: int
    owed_fen: int  # outstanding, or overdue for ``overdue=True``
    rows: list[Row]


def _marks(dialect: str) -> Callable[[], str]:
    """Parameter marks in the order they appear in the text (SQLite's ? are positional)."""
    n = iter(range(1, 10))
    return lambda: "?" if dialect == "sqlite" else f"${next(n)}"


@functools.cache
def _owing_sql(dialect: str, by_owner: bool) -> tuple[str, str]:
    """待回款: the count and the sum owed over every confirmed order still lacking money, and
    the oldest ``limit`` of them; both read the (tenant, state, created_at, total, paid)
    index alone, the page in its order."""

    def scope(mark: Callable[[], str]) -> str:
        tenant, state = mark(), mark()
        owner = f" AND o.owner_id = {mark()}" if by_owner else ""
        return (
            f" FROM sales_order o WHERE o.tenant_id = {tenant} AND o.state = {state}{owner}"
            " AND o.paid_fen < o.total_fen"
        )

    owed = "SELECT COUNT(*) AS n, COALESCE(SUM(o.total_fen - o.paid_fen), 0) AS owed"
    mark = _marks(dialect)
    page = f"SELECT o.id{scope(mark)} ORDER BY o.created_at, o.id LIMIT {mark()}"
    return owed + scope(_marks(dialect)), page


@functools.cache
def _overdue_sql(dialect: str, by_owner: bool) -> str:
    """逾期回款: what each confirmed order's periods due before today add up to, by an index
    probe per order, less what it has paid (on the row), once per order (MATERIALIZED:
    inlined, the probe ran once per use); the count and the total as window sums; the
    oldest ``limit`` rows."""
    mark = _marks(dialect)
    due = (
        "(SELECT COALESCE(SUM(p.amount_fen), 0) FROM payment_installment p"
        f" WHERE p.order_id = o.id AND p.due_date < {mark()})"
    )
    tenant, state = mark(), mark()
    owner = f" AND o.owner_id = {mark()}" if by_owner else ""
    return (
        f"WITH owing AS MATERIALIZED (SELECT o.id, o.created_at, {due} - o.paid_fen AS owed"
        f" FROM sales_order o WHERE o.tenant_id = {tenant} AND o.state = {state}{owner}"
        " AND o.paid_fen < o.total_fen)"
        " SELECT id, COUNT(*) OVER () AS n, SUM(owed) OVER () AS owed FROM owing"
        f" WHERE owed > 0 ORDER BY created_at, id LIMIT {mark()}"
    )


async def open_page(
    tenant_id: int, owner_id: int | None, today: date, limit: int, *, overdue: bool = False
) -> OpenPage:
    """待回款 (or 逾期回款 with ``overdue``) over one owner's or everybody's (None) confirmed
    orders, summed in the database from the paid amount on each order row: at 100,000
    orders, summing each order's collections and refunds took 200 ms
    (bench/orders_bench.py)."""
    db = Order._meta.db
    dialect = db.capabilities.dialect
    scope: list[Any] = [tenant_id, OrderState.CONFIRMED.value]
    if owner_id is not None:
        scope.append(owner_id)
    if overdue:
        day = today if dialect == "postgres" else today.isoformat()
        found = await db.execute_query_dict(
            _overdue_sql(dialect, owner_id is not None), [day, *scope, limit]
        )
        count, owed = (int(found[0]["n"]), int(found[0]["owed"])) if found else (0, 0)
    else:
        totals_sql, page_sql = _owing_sql(dialect, owner_id is not None)
        totals = (await db.execute_query_dict(totals_sql, scope))[0]
        count, owed = int(totals["n"]), int(totals["owed"])
        found = await db.execute_query_dict(page_sql, [*scope, limit]) if count else []
    if not count:
        return OpenPage(0, 0, [])
    ids = [row["id"] for row in found]
    orders = {o.id: o for o in await Order.filter(id__in=ids)}
    rows = await _with_payments([orders[i] for i in ids], today)
    return OpenPage(count, owed, rows)


async def unpaid(tenant_id: int, owner_id: int | None, today: date) -> list[Row]:
    """Confirmed orders with money still to come (one owner's, or everybody's for None)."""
    query = Order.filter(
        tenant_id=tenant_id, state=OrderState.CONFIRMED, paid_fen__lt=F("total_fen")
    )
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    orders = await query.order_by("created_at", "id")
    return await _with_payments(orders, today)


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
    sum is taken in the database, in three passes read from covering indexes (the orders by
    salesperson, by customer, their lines by product; bench/orders_bench.py), what is paid
    from the order rows."""
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
    # The totals are the sums of the per-salesperson sums: one pass over the orders, not two.
    per_owner = (
        await Order.filter(**scope)
        .annotate(
            grouped_key=F("owner_id") + 0,
            n=Count("id"),
            total=Sum("total_fen"),
            paid=Sum("paid_fen"),
        )
        .group_by("grouped_key")
        .values("grouped_key", "n", "total", "paid")
    )
    found.orders = sum(int(row["n"] or 0) for row in per_owner)
    if not found.orders:
        return found
    found.total_fen = sum(int(row["total"] or 0) for row in per_owner)
    found.paid_fen = sum(int(row["paid"] or 0) for row in per_owner)
    owners = {e.id: e.name or e.userid for e in await Employee.filter(tenant_id=tenant_id)}
    for row in per_owner:
        found.by_person[owners.get(row["grouped_key"] or 0, "无")] += int(row["total"] or 0)
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
