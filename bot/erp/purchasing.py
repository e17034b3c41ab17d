"""Purchase orders: a draft from a sentence, confirming it, receiving it in parts (each part
posted as stock through ``bot.erp.stock``), cancelling it before anything arrived.

Every step is a compare-and-set on the order's state, and a receipt raises each line's
``received`` with a guarded UPDATE (``received + qty ≤ limit``, the limit being what was
ordered plus the tenant's over-receipt tolerance, ``bot.erp.receipt_tolerance``), so two
people booking the same delivery, or a receipt racing a cancel, can never receive more than
allowed or receive into a cancelled order. Everything runs inside the handler's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from bot.erp import costing
from bot.erp.catalog import NOT_FOUND as NO_PRODUCT
from bot.erp.catalog import find_product
from bot.erp.numbers import format_number, next_seq, tail
from bot.erp.purchase_words import PurchaseAsked
from bot.erp.receipt_tolerance import most_receivable, percent_words, tolerance_of
from bot.erp.stock import Move, Posted, amount, post
from bot.erp.warehouses import default_warehouse, named_warehouse
from bot.erp.words import check_unit
from models.erp import (
    OPEN_PURCHASES,
    MoveKind,
    PurchaseLine,
    PurchaseOrder,
    PurchaseState,
    Supplier,
    Warehouse,
)
from models.tenants import Employee

NUMBER_ATTEMPTS = 3
NEEDS_PRICE = "「{name}」还没有进价，请写单价，例如：{name} {qty}{unit} 单价18"
UNREAD = "没看懂「{words}」。"
NOT_CONFIRMED = "采购单 {number} 还没确认，先发送「确认采购 {tail}」。"
CANCELLED = "采购单 {number} 已取消。"
AWAITING = "采购单 {number} 还在等管理员审批。"
ALL_RECEIVED = "采购单 {number} 已全部到货。"
NOT_ON_ORDER = "采购单 {number} 里没有「{name}」。单里有：{names}。"
TOO_MUCH = "「{name}」订了 {qty}，已到 {received}，最多还能收 {left}。"
TOO_MUCH_TOLERATED = (
    "「{name}」订了 {qty}，可超收 {percent}（最多收 {limit}），已到 {received}，最多还能收 {left}。"
)
HAS_RECEIPTS = "采购单 {number} 已经有到货，不能取消。"
DONE_CANCEL = "采购单 {number} 已全部到货，不能取消。"
NOTHING_RECEIVED = "采购单 {number} 还没有到货，没有可退的。"
RETURN_WHAT = "请写退哪些商品和数量，例如：退货 {tail} A4纸 5"
TOO_MANY_BACK = "「{name}」已到 {received}，已退 {returned}，最多还能退 {left}。"


def line_total(qty: int, unit_price_fen: int) -> int:
    return qty * unit_price_fen  # integers both: exact


@dataclass(frozen=True, slots=True)
class PricedLine:
    product_id: int
    name: str
    qty: int
    unit: str
    unit_price_fen: int


async def create_purchase(
    tenant_id: int,
    supplier: Supplier,
    asked: PurchaseAsked,
    by: Employee | None,
    now: datetime,
    today: date,
) -> PurchaseOrder:
    """A draft under the day's next number (a racing twin's number is refused by the
    unique index inside a savepoint, and the loser takes the next)."""
    lines = [await _priced(tenant_id, line) for line in asked.lines]
    warehouse = await _warehouse(tenant_id, asked.words, now)
    total = sum(line_total(line.qty, line.unit_price_fen) for line in lines)
    order = await _numbered(
        today,
        tenant_id=tenant_id,
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        expected_date=asked.expected,
        total_fen=total,
        note=asked.note,
        created_by_id=by.id if by else None,
        created_at=now,
        updated_at=now,
    )
    for position, line in enumerate(lines, start=1):
        await PurchaseLine.create(
            order_id=order.id,
            product_id=line.product_id,
            position=position,
            qty=line.qty,
            unit=line.unit,
            unit_price_fen=line.unit_price_fen,
            line_total_fen=line_total(line.qty, line.unit_price_fen),
        )
    return order


async def _priced(tenant_id: int, line: Any) -> PricedLine:
    product = await find_product(tenant_id, line.name)
    if product is None:
        raise UserFacingError(NO_PRODUCT.format(name=line.name))
    check_unit(product, line.unit)
    price = line.price_fen if line.price_fen is not None else product.purchase_price_fen
    if price is None:
        raise UserFacingError(
            NEEDS_PRICE.format(name=product.name, qty=line.qty, unit=product.unit or line.unit)
        )
    return PricedLine(product.id, product.name, line.qty, product.unit or line.unit, price)


async def _warehouse(tenant_id: int, words: tuple[str, ...], now: datetime) -> Warehouse:
    unread = []
    found: Warehouse | None = None
    for word in words:
        name = word.removeprefix("入").removeprefix("到").removeprefix("送到").removesuffix("仓库")
        place = await named_warehouse(tenant_id, name) or await named_warehouse(tenant_id, word)
        if place is None or found is not None:
            unread.append(word)
        else:
            found = place
    if unread:
        raise UserFacingError(UNREAD.format(words=" ".join(unread)))
    return found or await default_warehouse(tenant_id, now)


async def _numbered(day: date, **fields: Any) -> PurchaseOrder:
    tenant_id: int = fields["tenant_id"]
    for attempt in range(NUMBER_ATTEMPTS):
        seq = await next_seq(tenant_id, day)
        try:
            async with in_transaction():
                return await PurchaseOrder.create(
                    **fields, day=day, seq=seq, number=format_number(day, seq)
                )
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def confirm(order: PurchaseOrder, now: datetime) -> bool:
    """Draft → confirmed; False when it was not a draft any more (confirmed twice)."""
    won = await PurchaseOrder.filter(id=order.id, state=PurchaseState.DRAFT).update(
        state=PurchaseState.CONFIRMED, confirmed_at=now, updated_at=now
    )
    if won:
        order.state, order.confirmed_at = PurchaseState.CONFIRMED, now
    return won == 1


async def cancel(order: PurchaseOrder, reason: str, now: datetime) -> None:
    """Only before anything arrived: the compare-and-set names the states without receipts,
    and a receipt moves the order out of them in the transaction that records it."""
    won = await PurchaseOrder.filter(
        id=order.id,
        state__in=(PurchaseState.DRAFT, PurchaseState.PENDING, PurchaseState.CONFIRMED),
    ).update(
        state=PurchaseState.CANCELLED, cancelled_at=now, cancel_reason=reason[:200], updated_at=now
    )
    if won:
        order.state = PurchaseState.CANCELLED
        return
    await order.refresh_from_db()
    if order.state is PurchaseState.CANCELLED:
        raise UserFacingError(CANCELLED.format(number=order.number))
    if order.state is PurchaseState.RECEIVED:
        raise UserFacingError(DONE_CANCEL.format(number=order.number))
    raise UserFacingError(HAS_RECEIPTS.format(number=order.number))


@dataclass(frozen=True, slots=True)
class Receipt:
    lines: list[tuple[PurchaseLine, int, Posted]]  # (line, qty received now, the stock after)
    complete: bool


async def receive(
    order: PurchaseOrder,
    items: list[tuple[str, int, str]],
    by: Employee | None,
    now: datetime,
) -> Receipt:
    """``items``: (product name, qty, unit) as said; none: everything still expected."""
    await _claim_for_receipt(order, now)
    tolerance = await tolerance_of(order.tenant_id)
    lines = (
        await PurchaseLine.filter(order_id=order.id)
        .order_by("position")
        .prefetch_related("product")
    )
    picked = _pick(order, lines, items, tolerance)
    async with in_transaction():
        for line, qty in picked:
            limit = most_receivable(line.qty, tolerance)
            raised = await PurchaseLine.filter(id=line.id, received__lte=limit - qty).update(
                received=F("received") + qty
            )
            if not raised:
                await line.refresh_from_db()
                raise UserFacingError(_too_much(line, tolerance))
        warehouse = await Warehouse.get(id=order.warehouse_id)
        moves = [
            Move(
                line.product,
                warehouse,
                qty,
                MoveKind.PURCHASE_IN,
                reference=order.number,
                unit_cost_fen=line.unit_price_fen,
            )
            for line, qty in picked
        ]
        posted = await post(order.tenant_id, moves, by.id if by else None, now)
        for line, qty in picked:
            line.received += qty
            line.product.purchase_price_fen = line.unit_price_fen
            await line.product.save(update_fields=["purchase_price_fen"])
            await costing.received(order.tenant_id, line.product_id, qty, line.unit_price_fen, now)
    complete = all(line.received >= line.qty for line in lines)
    state = PurchaseState.RECEIVED if complete else PurchaseState.PARTIAL
    await PurchaseOrder.filter(id=order.id, state__in=OPEN_PURCHASES).update(
        state=state, received_at=now if complete else None, updated_at=now
    )
    order.state = state
    return Receipt(
        [(line, qty, result) for (line, qty), result in zip(picked, posted, strict=True)],
        complete,
    )


@dataclass(frozen=True, slots=True)
class Returned:
    lines: list[tuple[PurchaseLine, int, Posted]]  # (line, qty sent back now, the stock after)

    @property
    def value_fen(self) -> int:
        """At the receipt's cost: each line's own unit price."""
        return sum(line.unit_price_fen * qty for line, qty, _ in self.lines)


async def return_goods(
    order: PurchaseOrder,
    items: list[tuple[str, int, str]],
    by: Employee | None,
    now: datetime,
) -> Returned:
    """Send received goods back to the supplier: each line's ``returned`` raised by a guarded
    UPDATE (``returned + qty ≤ received``), and a stock-out from the order's warehouse through
    the guarded path, so goods already used or sold cannot go back. All or nothing."""
    if not items:
        raise UserFacingError(RETURN_WHAT.format(tail=tail(order)))
    lines = (
        await PurchaseLine.filter(order_id=order.id)
        .order_by("position")
        .prefetch_related("product")
    )
    if not any(line.received for line in lines):
        raise UserFacingError(NOTHING_RECEIVED.format(number=order.number))
    picked = []
    for name, qty, unit in items:
        line = _line_named(lines, name)
        if line is None:
            names = "、".join(line.product.name for line in lines)
            raise UserFacingError(NOT_ON_ORDER.format(number=order.number, name=name, names=names))
        check_unit(line.product, unit)
        picked.append((line, qty))
    async with in_transaction():
        for line, qty in picked:
            raised = await PurchaseLine.filter(
                id=line.id, returned__lte=F("received") - qty
            ).update(returned=F("returned") + qty)
            if not raised:
                await line.refresh_from_db()
                raise UserFacingError(_too_many_back(line))
            line.returned += qty
        warehouse = await Warehouse.get(id=order.warehouse_id)
        moves = [
            Move(
                line.product,
                warehouse,
                -qty,
                MoveKind.PURCHASE_RETURN,
                reference=order.number,
                unit_cost_fen=line.unit_price_fen,
            )
            for line, qty in picked
        ]
        posted = await post(order.tenant_id, moves, by.id if by else None, now)
        for line, qty in picked:
            await costing.returned(order.tenant_id, line.product_id, qty, line.unit_price_fen, now)
        await PurchaseOrder.filter(id=order.id).update(updated_at=now)
    return Returned(
        [(line, qty, result) for (line, qty), result in zip(picked, posted, strict=True)]
    )


def _too_many_back(line: PurchaseLine) -> str:
    unit = line.unit
    return TOO_MANY_BACK.format(
        name=line.product.name,
        received=amount(line.received, unit),
        returned=amount(line.returned, unit),
        left=amount(max(line.received - line.returned, 0), unit),
    )


async def _claim_for_receipt(order: PurchaseOrder, now: datetime) -> None:
    """Touching the order under its open states takes its row lock (PostgreSQL): a cancel
    racing this receipt waits for it, then finds the order partly received."""
    claimed = await PurchaseOrder.filter(id=order.id, state__in=OPEN_PURCHASES).update(
        updated_at=now
    )
    if claimed:
        return
    await order.refresh_from_db()
    if order.state is PurchaseState.DRAFT:
        raise UserFacingError(NOT_CONFIRMED.format(number=order.number, tail=tail(order)))
    if order.state is PurchaseState.PENDING:
        raise UserFacingError(AWAITING.format(number=order.number))
    if order.state is PurchaseState.CANCELLED:
        raise UserFacingError(CANCELLED.format(number=order.number))
    raise UserFacingError(ALL_RECEIVED.format(number=order.number))


def _pick(
    order: PurchaseOrder,
    lines: list[PurchaseLine],
    items: list[tuple[str, int, str]],
    tolerance: int,
) -> list[tuple[PurchaseLine, int]]:
    if not items:
        left = [(line, line.qty - line.received) for line in lines if line.received < line.qty]
        if not left:
            raise UserFacingError(ALL_RECEIVED.format(number=order.number))
        return left
    picked = []
    for name, qty, unit in items:
        line = _line_named(lines, name)
        if line is None:
            names = "、".join(line.product.name for line in lines)
            raise UserFacingError(NOT_ON_ORDER.format(number=order.number, name=name, names=names))
        check_unit(line.product, unit)
        if line.received + qty > most_receivable(line.qty, tolerance):
            raise UserFacingError(_too_much(line, tolerance))
        picked.append((line, qty))
    return picked


def _line_named(lines: list[PurchaseLine], name: str) -> PurchaseLine | None:
    exact = [line for line in lines if line.product.name == name]
    if exact:
        return exact[0]
    like = [line for line in lines if name in line.product.name]
    return like[0] if len(like) == 1 else None


def _too_much(line: PurchaseLine, tolerance: int) -> str:
    """The refusal, with how much can still be received under the tolerance."""
    unit = line.unit
    limit = most_receivable(line.qty, tolerance)
    return (TOO_MUCH_TOLERATED if tolerance else TOO_MUCH).format(
        name=line.product.name,
        qty=amount(line.qty, unit),
        percent=percent_words(tolerance),
        limit=amount(limit, unit),
        received=amount(line.received, unit),
        left=amount(max(limit - line.received, 0), unit),
    )


async def overdue(tenant_id: int, today: date) -> list[PurchaseOrder]:
    return (
        await PurchaseOrder.filter(
            tenant_id=tenant_id, state__in=OPEN_PURCHASES, expected_date__lt=today
        )
        .order_by("expected_date", "id")
        .prefetch_related("supplier", "lines__product")
    )
