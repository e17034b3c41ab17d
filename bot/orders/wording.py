"""How orders read in chat: the order card, one-line summaries, dates and money."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.orders.numbers import tail
from bot.orders.periods import Span
from bot.orders.progress import DELIVERY_WORDS, PAYMENT_WORDS
from bot.orders.reports import Sales
from bot.orders.view import OrderView
from bot.subscription.money import format_fen
from models.orders import Order, OrderState
from models.tenants import Employee

STATE_WORDS = {
    OrderState.DRAFT: "待确认",
    OrderState.CONFIRMED: "已确认",
    OrderState.COMPLETED: "已完成",
    OrderState.CANCELLED: "已取消",
}
WEEKDAYS = "一二三四五六日"


def day_words(day: date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def person(employee: Employee | None) -> str:
    if employee is None:
        return "无"
    return employee.name or employee.userid


def discount_words(order: Order) -> str:
    if not order.discount_fen:
        return ""
    if order.discount_percent is not None:
        rate = f"{order.discount_percent / 10:g}"
        return f"，打{rate}折 −{format_fen(order.discount_fen)}"
    return f"，优惠 −{format_fen(order.discount_fen)}"


def card(view: OrderView) -> str:
    """The whole order: lines, total, plan, and where payment and delivery stand."""
    order = view.order
    rows = [
        f"订单 {order.number}（{STATE_WORDS[order.state]}）",
        f"客户：{view.customer.display_name} · 负责人：{person(view.owner)}",
    ]
    for number, item in enumerate(view.lines, start=1):
        line = item.line
        shipped = f"，已发 {item.shipped}{line.unit}" if item.shipped else ""
        if line.installed_qty:
            shipped += f"，已安装 {line.installed_qty}{line.unit}"
        rows.append(
            f"{number}. {item.name} {line.qty}{line.unit} × {format_fen(line.unit_price_fen)}"
            f" = {format_fen(line.line_total_fen)}{shipped}"
        )
    rows.append(
        f"小计 {format_fen(order.subtotal_fen)}{discount_words(order)}，"
        f"合计 {format_fen(order.total_fen)}"
    )
    rows.append("回款计划：" + "；".join(plan_words(view)))
    rows.append(progress_words(view))
    if order.note:
        rows.append(f"备注：{order.note}")
    if order.state is OrderState.CANCELLED and order.cancel_reason:
        rows.append(f"取消原因：{order.cancel_reason}")
    return "\n".join(rows)


def plan_words(view: OrderView) -> list[str]:
    covered = view.covered
    words = []
    for index, period in enumerate(view.plan):
        done = "（已收）" if index < covered else ""
        words.append(
            f"第{period.period}期 {format_fen(period.amount_fen)} "
            f"{day_words(period.due_date)}前{done}"
        )
    return words


def progress_words(view: OrderView) -> str:
    paid = view.payments
    refunded = f" · 已退 {format_fen(paid.refunded_fen)}" if paid.refunded_fen else ""
    overdue = f"（逾期 {format_fen(paid.overdue_fen)}）" if paid.overdue_fen else ""
    extra = paid.paid_fen - paid.total_fen
    if extra > 0:
        overdue = f"（多收 {format_fen(extra)}）"
    return (
        f"已收 {format_fen(paid.paid_fen)}{refunded} · 未收 {format_fen(paid.outstanding_fen)}"
        f" · {PAYMENT_WORDS[paid.status]}{overdue} · {DELIVERY_WORDS[view.delivery]}"
    )


def summary(order: Order, customer: str, paid_fen: int, status: str) -> str:
    """One line of a list: tail, customer, total, paid, status."""
    return (
        f"{tail(order)} {customer} {format_fen(order.total_fen)}，"
        f"已收 {format_fen(paid_fen)}，{status}"
    )


SALES = "{who}{period}销售（{dates}）：{orders} 单，合计 {total}，已收 {paid}，未收 {left}。"
NO_SALES = "{who}{period}还没有确认的订单。"
TOP = 5


def sales_lines(found: Sales, span: Span, *, team: bool) -> list[str]:
    """The figures of a period: the team's (with a line per person) or one person's."""
    who = "团队" if team else "你的"
    if not found.orders:
        return [NO_SALES.format(who=who, period=span.label)]
    lines = [
        SALES.format(
            who=who,
            period=span.label,
            dates=span.words,
            orders=found.orders,
            total=format_fen(found.total_fen),
            paid=format_fen(found.paid_fen),
            left=format_fen(found.total_fen - found.paid_fen),
        )
    ]
    if team:
        lines.append("按人：" + top(found.by_person))
    lines.append("按产品：" + top(found.by_product))
    lines.append("按客户：" + top(found.by_customer))
    return lines


def ranked(counter: Counter[str], limit: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]


def top(counter: Counter[str]) -> str:
    return "；".join(f"{name} {format_fen(amount)}" for name, amount in ranked(counter, TOP))
