"""An order as it stands: its rows read once, and the progress derived from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tortoise.functions import Sum

from bot.orders.paid import reload_paid
from bot.orders.progress import (
    DeliveryStatus,
    Payments,
    Period,
    covered_periods,
    delivery,
    payments,
)
from models.crm.customers import Customer
from models.orders import Order, OrderLine, PaymentInstallment, ShipmentLine
from models.tenants import Employee


@dataclass(frozen=True, slots=True)
class LineView:
    line: OrderLine
    name: str
    shipped: int

    @property
    def left_to_ship(self) -> int:
        return self.line.qty - self.shipped


@dataclass(frozen=True, slots=True)
class OrderView:
    order: Order
    customer: Customer
    owner: Employee | None
    lines: tuple[LineView, ...]
    plan: tuple[PaymentInstallment, ...]
    payments: Payments

    @property
    def delivery(self) -> DeliveryStatus:
        return delivery([v.line.qty for v in self.lines], [v.shipped for v in self.lines])

    @property
    def covered(self) -> int:
        """How many plan periods the money paid covers."""
        return covered_periods(_periods(self.plan), self.payments.paid_fen)


def _periods(plan: Iterable[PaymentInstallment]) -> list[Period]:
    return [Period(p.due_date, p.amount_fen) for p in plan]


async def plans_by_order(ids: list[int]) -> dict[int, list[PaymentInstallment]]:
    found: dict[int, list[PaymentInstallment]] = defaultdict(list)
    for row in await PaymentInstallment.filter(order_id__in=ids).order_by("order_id", "period"):
        found[row.order_id].append(row)
    return found


async def payments_of(orders: list[Order], today: date) -> dict[int, Payments]:
    """Each order's payments: the money from the order rows as they were read, the plans in
    one query whatever the number of orders."""
    plans = await plans_by_order([o.id for o in orders])
    return {
        o.id: payments(
            o.total_fen,
            [o.paid_fen + o.refunded_fen],
            [o.refunded_fen],
            _periods(plans.get(o.id, [])),
            today,
        )
        for o in orders
    }


async def shipped_by_line(order_id: int) -> dict[int, int]:
    rows = (
        await ShipmentLine.filter(order_line__order_id=order_id)
        .annotate(total=Sum("qty"))
        .group_by("order_line_id")
        .values("order_line_id", "total")
    )
    return {row["order_line_id"]: int(row["total"] or 0) for row in rows}


async def view_order(order: Order, today: date) -> OrderView:
    lines = (
        await OrderLine.filter(order_id=order.id).order_by("position").prefetch_related("product")
    )
    shipped = await shipped_by_line(order.id)
    plan = await PaymentInstallment.filter(order_id=order.id).order_by("period")
    customer = await Customer.get(id=order.customer_id)
    owner = await Employee.get_or_none(id=order.owner_id) if order.owner_id else None
    await reload_paid(order)
    paid = (await payments_of([order], today))[order.id]
    return OrderView(
        order,
        customer,
        owner,
        tuple(LineView(line, line.product.name, shipped.get(line.id, 0)) for line in lines),
        tuple(plan),
        paid,
    )
