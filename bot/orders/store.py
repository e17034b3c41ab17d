"""Writing orders: a new order with its lines and plan, and the products it names.

Every function here runs inside the handler's transaction (the inbox opens it), so an order,
its lines, its plan and the reply that announces it commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_FEN, MAX_FEN_WORDS
from bot.orders.asking import LineAsked, OrderAsked, PlanAsked
from bot.orders.numbers import format_number, next_seq
from bot.orders.pricing import line_total, share_of, split_plan
from bot.orders.rules import rules_of
from bot.subscription.money import format_fen
from models.crm.customers import Customer
from models.orders import Order, OrderLine, PaymentInstallment
from models.products import Product
from models.tenants import Employee

NUMBER_ATTEMPTS = 3
NEEDS_PRICE = "「{name}」还没有建档，请写上单价，例如：{name} {qty}{unit} 单价25"
FIRST_TOO_BIG = "首付 {first} 超过了订单合计，请改小一点。"
TOTAL_TOO_BIG = f"这张订单合计 {{total}}，超过了上限 {MAX_FEN_WORDS}，请核对数量和单价。"
DUE_PASSED = "付款日期 {day} 已经过了，请写今天以后的日期。"


@dataclass(frozen=True, slots=True)
class PricedLine:
    product: Product
    qty: int
    unit: str
    unit_price_fen: int

    @property
    def total_fen(self) -> int:
        return line_total(self.qty, self.unit_price_fen)


@dataclass(frozen=True, slots=True)
class NewOrder:
    order: Order
    new_products: tuple[Product, ...]  # created on the fly from the prices given


async def price_lines(
    tenant_id: int, asked: tuple[LineAsked, ...], now: datetime
) -> tuple[list[PricedLine], list[Product]]:
    """Each line with its product; a product nobody has entered yet is created from the
    price given (and refused without one: there would be nothing to charge)."""
    priced: list[PricedLine] = []
    created: list[Product] = []
    for line in asked:
        product = await Product.get_or_none(tenant_id=tenant_id, name=line.name, active=True)
        if product is None:
            if line.price_fen is None:
                raise UserFacingError(
                    NEEDS_PRICE.format(name=line.name, qty=line.qty, unit=line.unit or "个")
                )
            product = await Product.create(
                tenant_id=tenant_id,
                name=line.name,
                unit=line.unit,
                sale_price_fen=line.price_fen,
                created_at=now,
                updated_at=now,
            )
            created.append(product)
        price = product.sale_price_fen if line.price_fen is None else line.price_fen
        priced.append(PricedLine(product, line.qty, line.unit or product.unit, price))
    return priced, created


def plan_amounts(total_fen: int, plan: PlanAsked) -> list[int]:
    first = plan.first_fen
    if plan.first_percent is not None:
        first = share_of(total_fen, plan.first_percent)
    if first is not None and first > total_fen:
        raise UserFacingError(FIRST_TOO_BIG.format(first=format_fen(first)))
    return split_plan(total_fen, plan.periods, first)


def plan_dates(today: date, plan: PlanAsked, terms_days: int) -> list[date]:
    """Payment terms when the order names no date: the first period ``terms_days`` after
    the order (30 by default, the usual 月结), each later one ``terms_days`` after the one
    before."""
    first = plan.first_due or today + timedelta(days=terms_days)
    if first < today:
        raise UserFacingError(DUE_PASSED.format(day=f"{first.month}月{first.day}日"))
    return [first + timedelta(days=terms_days * n) for n in range(plan.periods)]


async def create_order(
    tenant_id: int,
    customer: Customer,
    owner: Employee | None,
    asked: OrderAsked,
    now: datetime,
    today: date,
) -> NewOrder:
    """A draft order under the day's next number. Two salespeople writing orders at the
    same moment may read the same next number; the loser's insert is refused by the unique
    index (inside a savepoint, so the handler's transaction lives on) and takes the next."""
    lines, created = await price_lines(tenant_id, asked.lines, now)
    subtotal = sum(line.total_fen for line in lines)
    if subtotal > MAX_FEN:
        raise UserFacingError(TOTAL_TOO_BIG.format(total=format_fen(subtotal)))
    discount = asked.discount.amount(subtotal)
    total = subtotal - discount
    amounts = plan_amounts(total, asked.plan)
    dates = plan_dates(today, asked.plan, (await rules_of(tenant_id)).terms_days)
    order = await _numbered(
        today,
        tenant_id=tenant_id,
        customer_id=customer.id,
        owner_id=owner.id if owner else None,
        subtotal_fen=subtotal,
        discount_percent=asked.discount.percent,
        discount_fen=discount,
        total_fen=total,
        note=asked.note[:200],
        created_at=now,
        updated_at=now,
    )
    for position, line in enumerate(lines, start=1):
        await OrderLine.create(
            order_id=order.id,
            product_id=line.product.id,
            position=position,
            qty=line.qty,
            unit=line.unit,
            unit_price_fen=line.unit_price_fen,
            line_total_fen=line.total_fen,
        )
    for period, (due, amount) in enumerate(zip(dates, amounts, strict=True), start=1):
        await PaymentInstallment.create(
            tenant_id=tenant_id, order_id=order.id, period=period, due_date=due, amount_fen=amount
        )
    return NewOrder(order, tuple(created))


async def _numbered(day: date, **fields: Any) -> Order:
    tenant_id: int = fields["tenant_id"]
    for attempt in range(NUMBER_ATTEMPTS):
        seq = await next_seq(tenant_id, day)
        try:
            async with in_transaction():
                return await Order.create(
                    **fields, day=day, seq=seq, number=format_number(day, seq)
                )
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
