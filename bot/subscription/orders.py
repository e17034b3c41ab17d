"""Orders: quote → pending_payment → paid → applied, or cancelled / expired.

An order keeps the lines it was quoted with and the term it was priced against (``basis``).
Paying applies it only while that basis still holds: if the plan or period changed in between
(another order applied, a period rolled over), the price is stale and the order expires, so a
tenant never gets a change at a price computed for a different plan. An order of ¥0.00 (a
change during a trial, or a decrease) needs no payment and applies when the admin confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.subscription.lifecycle import LAPSED, Term, apply_change, renew
from bot.subscription.money import format_cny
from bot.subscription.purchases import Purchase, change_of
from bot.subscription.service import Billing
from bot.subscription.store import audit, locked, plan_json, save_term, term_of
from models.subscriptions import Order, OrderKind, OrderLine, OrderStatus
from models.tenants import Tenant

QUOTE_TTL = timedelta(minutes=30)  # as long as the conversation that asks to confirm it
OPEN = (OrderStatus.QUOTE, OrderStatus.PENDING_PAYMENT)

STATUS_NAMES = {
    OrderStatus.QUOTE: "待确认",
    OrderStatus.PENDING_PAYMENT: "待付款",
    OrderStatus.PAID: "已付款",
    OrderStatus.APPLIED: "已生效",
    OrderStatus.CANCELLED: "已取消",
    OrderStatus.EXPIRED: "已失效",
}
NOT_PAYABLE = "订单 {id} {status}，只有待付款的订单可以确认收款。"
EXPIRED = "订单 {id} 已过期失效，请重新下单。"
NOT_A_QUOTE = "订单 {id} 已经确认过了，发送「账单」查看它的状态。"
STALE = "订单 {id} 下单后套餐已变化，原报价已失效，订单未生效。请客户重新下单。"


@dataclass(frozen=True, slots=True)
class Settlement:
    order: Order
    applied: bool
    message: str = ""  # why not, when not applied


def basis_of(term: Term) -> dict[str, Any]:
    """What an order's price depends on; the status matters only as lapsed or not, since that
    moves where a renewal starts."""
    return {
        "plan": plan_json(term.plan),
        "pending": plan_json(term.pending) if term.pending else None,
        "period": [term.period_start.isoformat(), term.period_end.isoformat()],
        "prepaid_periods": term.prepaid_periods,
        "is_trial": term.is_trial,
        "lapsed": term.status in LAPSED,
    }


async def create_quote(
    tenant_id: int, purchase: Purchase, term: Term, created_by: str, now: datetime
) -> Order:
    quote = purchase.quote
    order = await Order.create(
        tenant_id=tenant_id,
        kind=purchase.kind,
        summary=purchase.summary,
        request=purchase.request,
        basis=basis_of(term),
        total=quote.total,
        notes=list(quote.notes),
        effective_on=quote.effective_on,
        ends_on=quote.ends_on,
        created_by=created_by,
        created_at=now,
        expires_at=now + QUOTE_TTL,
    )
    for position, line in enumerate(quote.lines, 1):
        await OrderLine.create(
            order_id=order.id,
            position=position,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            code=line.code,
        )
    return order


async def place(billing: Billing, order: Order, by: str, now: datetime) -> Settlement:
    """The admin confirmed the quote: the order awaits payment, or applies at once if free."""
    if order.status != OrderStatus.QUOTE:
        return Settlement(order, False, NOT_A_QUOTE.format(id=order.id))
    if order.expires_at <= now:
        await _close(order, OrderStatus.EXPIRED, by, now)
        return Settlement(order, False, EXPIRED.format(id=order.id))
    valid = timedelta(days=billing.settings.order_valid_days)
    await _update(
        order, status=OrderStatus.PENDING_PAYMENT, confirmed_at=now, expires_at=now + valid
    )
    await audit(order.tenant_id, by, "order_placed", now, None, _summary(order))
    if order.total == 0:
        return await _apply(billing, order, by, now)
    return Settlement(order, False)


async def cancel(order: Order, by: str, now: datetime) -> None:
    await _close(order, OrderStatus.CANCELLED, by, now)


async def pay(billing: Billing, order_id: int, by: str, now: datetime) -> Settlement | None:
    """Payment for ``order_id`` arrived: apply it. None if there is no such order."""
    order = await Order.filter(id=order_id).select_for_update().first()
    if order is None:
        return None
    if order.status != OrderStatus.PENDING_PAYMENT:
        status = STATUS_NAMES[order.status]
        return Settlement(order, False, NOT_PAYABLE.format(id=order.id, status=status))
    if order.expires_at <= now:
        await _close(order, OrderStatus.EXPIRED, by, now)
        return Settlement(order, False, EXPIRED.format(id=order.id))
    return await _apply(billing, order, by, now)


async def _apply(billing: Billing, order: Order, by: str, now: datetime) -> Settlement:
    if order.kind is OrderKind.SERVICE:
        return await _deliver_service(order, by, now)
    row = await locked(order.tenant_id)
    assert row is not None, "an order is only ever quoted against a subscription"
    tenant = await Tenant.get(id=order.tenant_id)
    timezone = ZoneInfo(tenant.timezone)
    term = billing.current(term_of(row), timezone)
    if basis_of(term) != order.basis:
        await _close(order, OrderStatus.EXPIRED, by, now)
        return Settlement(order, False, STALE.format(id=order.id))
    if order.total:
        await _update(order, status=OrderStatus.PAID, paid_by=by, paid_at=now)
    applied = _applied(billing, order, term, billing.today(timezone))
    await save_term(row, applied, actor=by, action=f"order_{order.kind}", now=now)
    await _update(order, status=OrderStatus.APPLIED, applied_at=now)
    await audit(order.tenant_id, by, "order_applied", now, None, _summary(order))
    billing.cache.invalidate(order.tenant_id)
    return Settlement(order, True)


async def _deliver_service(order: Order, by: str, now: datetime) -> Settlement:
    """Service items leave the plan alone (no stale basis either): paid is applied, and the
    vendor's operators, told by the caller, arrange the work."""
    if order.total:
        await _update(order, status=OrderStatus.PAID, paid_by=by, paid_at=now)
    await _update(order, status=OrderStatus.APPLIED, applied_at=now)
    await audit(order.tenant_id, by, "order_applied", now, None, _summary(order))
    return Settlement(order, True)


def _applied(billing: Billing, order: Order, term: Term, today: date) -> Term:
    if order.kind is OrderKind.RENEWAL:
        periods = int(order.request["periods"])
        return renew(billing.catalog, term, periods, today, billing.policy)
    return apply_change(billing.catalog, term, change_of(order.request))


async def _close(order: Order, status: OrderStatus, by: str, now: datetime) -> None:
    if order.status in OPEN:
        await _update(order, status=status)
        await audit(order.tenant_id, by, f"order_{status}", now, None, _summary(order))


async def _update(order: Order, **changes: Any) -> None:
    await Order.filter(id=order.id).update(**changes)
    for name, value in changes.items():
        setattr(order, name, value)


def _summary(order: Order) -> dict[str, Any]:
    return {
        "order": order.id,
        "summary": order.summary,
        "total": str(order.total),
        "status": str(order.status),
    }


async def expire_stale(now: datetime) -> int:
    """Quotes nobody confirmed and orders nobody paid in time."""
    return await Order.filter(status__in=OPEN, expires_at__lte=now).update(
        status=OrderStatus.EXPIRED
    )


def order_line(order: Order, timezone: ZoneInfo) -> str:
    """订单 12 · 开通 售后工单 · ¥273.55 · 待付款 · 2026-11-23"""
    day = order.created_at.astimezone(timezone).date().isoformat()
    status = STATUS_NAMES[order.status]
    return f"订单 {order.id} · {order.summary} · {format_cny(order.total)} · {status} · {day}"
