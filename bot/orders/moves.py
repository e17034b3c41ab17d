"""What happens to an order after it is written: confirming, money in and out, shipping,
cancelling, and completing once it is paid and shipped in full.

Each move checks the order with a conditional UPDATE (compare-and-set on ``state``; money
against the paid amount on the row, ``bot.orders.paid``) or against sums read in the
handler's transaction, and refuses with a sentence that says why and what to do instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NoReturn

from bot.dispatch.errors import UserFacingError
from bot.orders.numbers import tail
from bot.orders.paid import add_collected, add_refunded, reload_paid
from bot.orders.progress import DeliveryStatus
from bot.orders.rules import rules_of
from bot.orders.timeline import on_timeline
from bot.orders.view import LineView, OrderView, view_order
from bot.subscription.money import format_fen
from models.orders import (
    Collection,
    CollectionSource,
    Order,
    OrderState,
    Refund,
    Shipment,
    ShipmentLine,
)
from models.tenants import Employee

NOT_CONFIRMED = "订单 {number} 还没确认，先发送「确认订单 {tail}」。"
CANCELLED_ALREADY = "订单 {number} 已取消。"
OVERPAID = (
    "订单 {number} 只差 {left} 未收，这笔 {amount} 多了。请核对金额"
    "（要收预付款，管理员可以「订单设置 允许超收 是」）。"
)
REFUND_TOO_MUCH = "订单 {number} 已收 {paid}，最多退 {paid}。"
SHIP_TOO_MUCH = "「{name}」订了 {qty}{unit}，已发 {shipped}{unit}，最多还能发 {left}{unit}。"
NOTHING_TO_SHIP = "订单 {number} 已全部发货。"
NOT_ON_ORDER = "订单 {number} 里没有「{name}」。订单里有：{names}。"
PAID_CANCEL = "订单 {number} 已收 {paid}，不能取消。先「退款 {tail} 金额 原因」退回，再取消。"
SHIPPED_CANCEL = "订单 {number} 已经发货，不能取消。"
COMPLETED_CANCEL = "订单 {number} 已完成，不能取消。"


def refuse_closed(order: Order) -> None:
    if order.state is OrderState.CANCELLED:
        raise UserFacingError(CANCELLED_ALREADY.format(number=order.number))
    if order.state is OrderState.DRAFT:
        raise UserFacingError(NOT_CONFIRMED.format(number=order.number, tail=tail(order)))


async def confirm(order: Order, now: datetime, by: Employee | None = None) -> bool:
    """Draft → confirmed; False when it was not a draft any more (confirmed twice)."""
    won = await Order.filter(id=order.id, state=OrderState.DRAFT).update(
        state=OrderState.CONFIRMED, confirmed_at=now, updated_at=now
    )
    if won:
        order.state, order.confirmed_at = OrderState.CONFIRMED, now
        await on_timeline(order, f"已确认，合计 {format_fen(order.total_fen)}", now, by)
    return won == 1


def refuse_overpaid(order: Order, amount_fen: int) -> NoReturn:
    """Why a guarded collection found no room, from the order as just reloaded."""
    refuse_closed(order)
    left = max(order.total_fen - order.paid_fen, 0)
    raise UserFacingError(
        OVERPAID.format(number=order.number, left=format_fen(left), amount=format_fen(amount_fen))
    )


@dataclass(frozen=True, slots=True)
class Received:
    collection: Collection
    view: OrderView


async def collect(
    order: Order,
    amount_fen: int,
    method: str,
    by: Employee | None,
    now: datetime,
    today: date,
) -> Received:
    refuse_closed(order)
    allowed = (await rules_of(order.tenant_id)).allow_overpayment
    room = None if allowed else amount_fen
    if not await add_collected(order, amount_fen, lacking_at_least=room):
        refuse_overpaid(order, amount_fen)
    collection = await Collection.create(
        tenant_id=order.tenant_id,
        order_id=order.id,
        amount_fen=amount_fen,
        method=method[:16],
        source=CollectionSource.CHAT,
        recorded_by_id=by.id if by else None,
        received_at=now,
    )
    way = f"（{method}）" if method else ""
    await on_timeline(order, f"回款 {format_fen(amount_fen)}{way}", now, by)
    return Received(collection, await complete_if_done(order, now, today))


async def refund(
    order: Order, amount_fen: int, reason: str, by: Employee | None, now: datetime, today: date
) -> OrderView:
    if order.state is OrderState.DRAFT:
        raise UserFacingError(NOT_CONFIRMED.format(number=order.number, tail=tail(order)))
    if not await add_refunded(order, amount_fen, guarded=True):
        paid = format_fen(order.paid_fen)
        raise UserFacingError(REFUND_TOO_MUCH.format(number=order.number, paid=paid))
    await Refund.create(
        tenant_id=order.tenant_id,
        order_id=order.id,
        amount_fen=amount_fen,
        reason=reason[:200],
        recorded_by_id=by.id if by else None,
        refunded_at=now,
    )
    why = f"：{reason}" if reason else ""
    await on_timeline(order, f"退款 {format_fen(amount_fen)}{why}", now, by)
    return await view_order(order, today)


@dataclass(frozen=True, slots=True)
class ShipAsked:
    items: tuple[tuple[str, int], ...]  # (product name, qty); empty: everything left
    carrier: str
    tracking_no: str
    # The stock location the person named (``从门店``); "" for the default. Orders only carry
    # it: a capability that keeps stock (``bot.orders.hooks``) decides what it names.
    source: str = ""


AfterShipping = Callable[[Shipment, list[tuple[LineView, int]]], Awaitable[None]]


async def ship(
    order: Order,
    asked: ShipAsked,
    by: Employee | None,
    now: datetime,
    today: date,
    after: AfterShipping | None = None,
) -> tuple[list[tuple[LineView, int]], OrderView]:
    """``after``: awaited once the shipment and its lines are saved (the stock hook)."""
    refuse_closed(order)
    before = await view_order(order, today)
    picked = _pick_lines(before, asked)
    shipment = await Shipment.create(
        tenant_id=order.tenant_id,
        order_id=order.id,
        carrier=asked.carrier[:16],
        tracking_no=asked.tracking_no[:40],
        shipped_by_id=by.id if by else None,
        shipped_at=now,
    )
    for item, qty in picked:
        await ShipmentLine.create(shipment_id=shipment.id, order_line_id=item.line.id, qty=qty)
    if after is not None:
        await after(shipment, picked)
    items = "、".join(f"{item.name} {qty}{item.line.unit}" for item, qty in picked)
    await on_timeline(order, f"发货 {items}", now, by)
    return picked, await complete_if_done(order, now, today)


def _pick_lines(view: OrderView, asked: ShipAsked) -> list[tuple[LineView, int]]:
    order = view.order
    if not asked.items:
        left = [(item, item.left_to_ship) for item in view.lines if item.left_to_ship > 0]
        if not left:
            raise UserFacingError(NOTHING_TO_SHIP.format(number=order.number))
        return left
    by_name = {item.name: item for item in view.lines}
    picked = []
    for name, qty in asked.items:
        item = by_name.get(name)
        if item is None:
            names = "、".join(by_name)
            raise UserFacingError(NOT_ON_ORDER.format(number=order.number, name=name, names=names))
        if qty > item.left_to_ship:
            raise UserFacingError(
                SHIP_TOO_MUCH.format(
                    name=name,
                    qty=item.line.qty,
                    shipped=item.shipped,
                    left=item.left_to_ship,
                    unit=item.line.unit,
                )
            )
        picked.append((item, qty))
    return picked


async def complete_if_done(order: Order, now: datetime, today: date) -> OrderView:
    """A confirmed order paid and shipped in full is completed (the state only moves
    forward; a later refund shows in its payment status, not by reopening it)."""
    view = await view_order(order, today)
    done = view.payments.outstanding_fen == 0 and view.delivery is DeliveryStatus.SHIPPED
    if done and order.state is OrderState.CONFIRMED:
        await Order.filter(id=order.id, state=OrderState.CONFIRMED).update(
            state=OrderState.COMPLETED, completed_at=now, updated_at=now
        )
        order.state, order.completed_at = OrderState.COMPLETED, now
        view = await view_order(order, today)
    return view


async def cancel(
    order: Order, reason: str, now: datetime, today: date, by: Employee | None = None
) -> None:
    """Cancel the order, or refuse with why. Only one of two racing cancellations gets
    through (compare-and-set on the state it was read in); the other hears it is
    cancelled already, so whatever cancelling sets off (the stock hook) runs once."""
    if order.state is OrderState.CANCELLED:
        raise UserFacingError(CANCELLED_ALREADY.format(number=order.number))
    if order.state is OrderState.COMPLETED:
        raise UserFacingError(COMPLETED_CANCEL.format(number=order.number))
    view = await view_order(order, today)
    if view.payments.paid_fen > 0:
        raise UserFacingError(
            PAID_CANCEL.format(
                number=order.number, paid=format_fen(view.payments.paid_fen), tail=tail(order)
            )
        )
    if view.delivery is not DeliveryStatus.NONE:
        raise UserFacingError(SHIPPED_CANCEL.format(number=order.number))
    # paid_fen=0: a collection that lands between the check above and here keeps it open.
    cancelled = await Order.filter(id=order.id, state=order.state, paid_fen=0).update(
        state=OrderState.CANCELLED, cancelled_at=now, cancel_reason=reason[:200], updated_at=now
    )
    if not cancelled:
        # Paid, or its state moved since it was read (cancelled or confirmed by someone
        # else): decide again from the order as it is now.
        await reload_paid(order)
        if order.paid_fen > 0:
            raise UserFacingError(
                PAID_CANCEL.format(
                    number=order.number, paid=format_fen(order.paid_fen), tail=tail(order)
                )
            )
        await cancel(order, reason, now, today, by)
        return
    was_draft = order.state is OrderState.DRAFT
    order.state, order.cancelled_at, order.cancel_reason = OrderState.CANCELLED, now, reason
    if not was_draft:  # a draft never reached the customer's timeline
        await on_timeline(order, "已取消" + (f"：{reason}" if reason else ""), now, by)
