"""Every Chinese phrase a quote shows, in one place, so wording changes never touch arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.subscription.catalog import BillingPeriod, Price
from bot.subscription.money import format_cny


def discount_text(percent: Decimal) -> str:
    """15 → "85折", 10 → "9折", 5 → "95折": how a Chinese price list states a discount."""
    if percent == 0:
        return ""
    paid = 100 - percent
    if paid != paid.to_integral_value():
        return f"优惠 {percent.normalize()}%"
    tenths = int(paid)
    if tenths < 10:
        return f"0.{tenths}折"
    return f"{tenths // 10}折" if tenths % 10 == 0 else f"{tenths}折"


def derivation(monthly: Decimal, period: BillingPeriod, days_per_month: int) -> str:
    """How a period's unit price follows from the monthly price, or "" when it is the same."""
    if period.days:
        times = f" × {period.days}" if period.days > 1 else ""
        return f"月价 {format_cny(monthly)} ÷ {days_per_month}{times}"
    parts = [f"月价 {format_cny(monthly)} × {period.months}"] if period.months > 1 else []
    if discount := discount_text(period.discount_percent):
        parts.append(discount)
    return "，".join(parts)


def _count(period: BillingPeriod, count: int) -> str:
    return f" × {count} {period.counter}" if count > 1 else ""


def _aside(text: str) -> str:
    return f"（{text}）" if text else ""


def recurring_line(
    name: str,
    price: Price,
    seats: int,
    unit: Decimal,
    period: BillingPeriod,
    *,
    how: str,
    count: int,
) -> str:
    """标准版 15 席 × ¥282.15/季度 × 4 个季度（月价 ¥99.00 × 3，95折）"""
    per = f"{format_cny(unit)}/{period.unit}"
    head = f"{name} {seats} 席 × {per}" if price.per_seat else f"{name} {per}"
    return f"{head}{_count(period, count)}{_aside(how)}"


def service_line(name: str, quantity: int, unit_price: Decimal, unit: str) -> str:
    return f"{name} {quantity} {unit} × {format_cny(unit_price)}/{unit}"


def prorated(text: str, remaining_days: int, period_days: int) -> str:
    return f"{text}，按剩余 {remaining_days}/{period_days} 天折算"


def add_seats(count: int, unit: Decimal, period: BillingPeriod, parts: list[str]) -> str:
    """加席位 5 个 × ¥129.00/月（标准版 ¥99.00 + 订单管理 ¥30.00）"""
    breakdown = " + ".join(parts) if len(parts) > 1 else ""
    return f"加席位 {count} 个 × {format_cny(unit)}/{period.unit}{_aside(breakdown)}"


def _per_unit(seats: int | None, unit: Decimal, period: BillingPeriod, diff: str = "") -> str:
    """Per seat: 15 席 × 差价 ¥30.00/月; for the whole enterprise: 每月差价 ¥30.00."""
    if seats is None:
        return f"每{period.unit}{diff} {format_cny(unit)}"
    return f"{seats} 席 × {diff}{' ' if diff else ''}{format_cny(unit)}/{period.unit}"


def upgrade_edition(
    old: str, new: str, seats: int | None, unit: Decimal, period: BillingPeriod
) -> str:
    return f"升级 {old} → {new}：{_per_unit(seats, unit, period, '差价')}"


def add_item(name: str, seats: int | None, unit: Decimal, period: BillingPeriod) -> str:
    if seats is None:
        return f"开通 {name}：{format_cny(unit)}/{period.unit}"
    return f"开通 {name}：{_per_unit(seats, unit, period)}"


def offset(text: str, amount: Decimal, period: BillingPeriod) -> str:
    return f"{text}，再抵扣 {format_cny(amount)}/{period.unit}"


def credited(text: str, names: list[str]) -> str:
    return f"{text}（已抵扣已购的 {'、'.join(names)}）" if names else text


def span(start: date, last: date) -> str:
    return f"服务期 {start.isoformat()} 至 {last.isoformat()}"


def saving(period: BillingPeriod, amount: Decimal) -> str:
    return (
        f"{period.name}享{discount_text(period.discount_percent)}，比原价节省 {format_cny(amount)}"
    )


def next_price(start: date, period: BillingPeriod, total: Decimal) -> str:
    return f"自 {start.isoformat()} 起每{period.unit} {format_cny(total)}"


def nothing_due() -> str:
    return "本次无需补费"


def already_paid_seats(paid: int, seats: int) -> str:
    return f"本周期已付 {paid} 个席位，增至 {seats} 个无需补费"


def fewer_seats(start: date, seats: int) -> str:
    return f"席位自 {start.isoformat()} 起减为 {seats} 个，本周期不退款"


def edition_later(start: date, name: str) -> str:
    return f"自 {start.isoformat()} 起改为 {name}，本周期不退款"


def removed_later(start: date, names: list[str]) -> str:
    return f"{'、'.join(names)} 自 {start.isoformat()} 起停用，本周期不退款"


def period_later(start: date, period: BillingPeriod) -> str:
    return f"自 {start.isoformat()} 起改为{period.name}付费"


def already_included(names: list[str]) -> str:
    return f"{'、'.join(names)} 已包含在当前套餐中，无需另购"


def superseded(names: list[str], start: date) -> str:
    return f"{'、'.join(names)} 已含在新套餐中，自 {start.isoformat()} 起不再单独计费"


def total_line(total: Decimal, effective_on: date) -> str:
    return f"合计：{format_cny(total)}（{effective_on.isoformat()} 起生效）"
