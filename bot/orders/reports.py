"""Lists and totals over many orders: open orders of customers, 待回款, 逾期回款, 销售.

Payment progress is derived per order from grouped sums (``bot.orders.view.payments_of``),
a fixed number of queries whatever the number of orders.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from tortoise.functions import Sum

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
        tenant_id=tenant_id, customer_id__in=customer_ids, state=OrderState.CONFIRMED
    ).order_by("created_at", "id")
    return [row for row in await _with_payments(orders, today) if row[2].outstanding_fen > 0]


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


async def sales(
    tenant_id: int, start: datetime, end: datetime, owner_id: int | None, today: date
) -> Sales:
    """Orders confirmed in [start, end) and not cancelled: their totals, what of them is
    paid, and the totals per salesperson, per product (line totals, before the order's
    discount) and per customer."""
    query = Order.filter(
        tenant_id=tenant_id, state__in=SOLD_STATES, confirmed_at__gte=start, confirmed_at__lt=end
    )
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    rows = await _with_payments(await query, today)
    found = Sales()
    owners = {e.id: e.name or e.userid for e in await Employee.filter(tenant_id=tenant_id)}
    for order, customer, paid in rows:
        found.orders += 1
        found.total_fen += order.total_fen
        found.paid_fen += paid.paid_fen
        found.by_person[owners.get(order.owner_id or 0, "无")] += order.total_fen
        found.by_customer[customer] += order.total_fen
    lines = await OrderLine.filter(order_id__in=[o.id for o, _, _ in rows])
    products = {p.id: p.name for p in await Product.filter(tenant_id=tenant_id)}
    for line in lines:
        found.by_product[products.get(line.product_id, "")] += line.line_total_fen
    return found
