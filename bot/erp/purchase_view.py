"""How a purchase order reads in chat: its card and its one-line summary."""

from __future__ import annotations

from datetime import date

from bot.erp.stock import amount
from bot.subscription.money import format_fen
from models.erp import PurchaseLine, PurchaseOrder, PurchaseState

STATE_WORDS = {
    PurchaseState.DRAFT: "待确认",
    PurchaseState.PENDING: "待审批",
    PurchaseState.CONFIRMED: "已确认，未到货",
    PurchaseState.PARTIAL: "部分到货",
    PurchaseState.RECEIVED: "已到齐",
    PurchaseState.CANCELLED: "已取消",
}
WEEKDAYS = "一二三四五六日"


def day_words(day: date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def line_words(line: PurchaseLine) -> str:
    return (
        f"{line.product.name} {amount(line.qty, line.unit)} × {format_fen(line.unit_price_fen)}"
        f" = {format_fen(line.line_total_fen)}"
    )


def purchase_card(order: PurchaseOrder, lines: list[PurchaseLine]) -> str:
    """``order`` with its supplier and warehouse fetched; ``lines`` with their products."""
    due = f" · 到货：{day_words(order.expected_date)}" if order.expected_date else ""
    rows = [
        f"采购单 {order.number}（{STATE_WORDS[order.state]}）",
        f"供应商：{order.supplier.name} · 入库：{order.warehouse.name}{due}",
    ]
    for number, line in enumerate(lines, start=1):
        got = f"，已到 {amount(line.received, line.unit)}" if line.received else ""
        rows.append(f"{number}. {line_words(line)}{got}")
    rows.append(f"合计 {format_fen(order.total_fen)}")
    if order.note:
        rows.append(f"备注：{order.note}")
    return "\n".join(rows)


def missing_words(lines: list[PurchaseLine]) -> str:
    return "、".join(
        f"{line.product.name} {amount(line.qty - line.received, line.unit)}"
        for line in lines
        if line.received < line.qty
    )
