"""Customer value: a 0–100 score and a tier A/B/C/D, with the reasons in words. Pure.

The formula (recency, frequency and monetary value, the classic RFM, plus growth):

- **Recency** R, up to 35: the last interaction was at most 7 days ago 35, 30 days 25,
  90 days 10, longer ago or never 0.
- **Frequency** F, up to 30: 3 points per interaction in the last 90 days.
- **Monetary** M, up to 25: orders in the last 365 days worth at least ¥100,000 25,
  ¥20,000 18, ¥5,000 10, anything 5, none 0 (the totals of their orders confirmed in that
  time and not cancelled). Without order data at all (a customer who never had an order),
  R + F are scaled from 65 up to 90 points so such customers can still reach every tier.
- **Growth** G, ±10: more interactions in the last 30 days than in the 30 before +10 (a
  first interaction counts as growth), fewer −10, as many 0.

score = clamp(R + F + M + G, 0, 100); tier A ≥ 75, B ≥ 50, C ≥ 25, D below.
Interactions are the timeline entries ``models.crm.customers.INTERACTION_KINDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.subscription.money import format_cny

RECENCY_STEPS = ((7, 35), (30, 25), (90, 10))
POINTS_PER_INTERACTION, FREQUENCY_CAP = 3, 30
MONETARY_STEPS = ((Decimal(100_000), 25), (Decimal(20_000), 18), (Decimal(5_000), 10))
ANY_ORDER_POINTS = 5
GROWTH_POINTS = 10
RF_MAX, RFM_MAX = 65, 90
TIERS = ((75, "A"), (50, "B"), (25, "C"))

TODAY = "今天有互动"
RECENT = "{days} 天前有互动"
STALE = "已 {days} 天没有互动"
NEVER = "还没有互动记录"
FREQUENCY = "近 90 天互动 {count} 次"
ORDERS = "近一年成交 {amount}"
NO_ORDERS = "近一年没有成交"
NO_ORDER_DATA = "暂无订单数据"
RISING = "互动在增加"
FALLING = "互动在减少"


@dataclass(frozen=True, slots=True)
class ValueInputs:
    last_interaction_at: datetime | None
    interactions_90d: int
    recent_30d: int  # interactions in the last 30 days
    previous_30d: int  # interactions 30 to 60 days ago
    orders_365d: Decimal | None = None  # None: the tenant has no order data


@dataclass(frozen=True, slots=True)
class Assessment:
    score: int
    tier: str
    reasons: tuple[str, ...]


def _recency(inputs: ValueInputs, now: datetime) -> tuple[int, str]:
    if inputs.last_interaction_at is None:
        return 0, NEVER
    days = max((now - inputs.last_interaction_at).days, 0)
    for limit, points in RECENCY_STEPS:
        if days <= limit:
            return points, RECENT.format(days=days) if days else TODAY
    return 0, STALE.format(days=days)


def _monetary(orders: Decimal | None) -> tuple[int, str]:
    if orders is None:
        return 0, NO_ORDER_DATA
    if orders <= 0:
        return 0, NO_ORDERS
    points = next((p for floor, p in MONETARY_STEPS if orders >= floor), ANY_ORDER_POINTS)
    return points, ORDERS.format(amount=format_cny(orders))


def _growth(inputs: ValueInputs) -> tuple[int, str | None]:
    if inputs.recent_30d > inputs.previous_30d:
        return GROWTH_POINTS, RISING
    if inputs.recent_30d < inputs.previous_30d:
        return -GROWTH_POINTS, FALLING
    return 0, None


def tier_of(score: int) -> str:
    return next((tier for floor, tier in TIERS if score >= floor), "D")


def assess(inputs: ValueInputs, now: datetime) -> Assessment:
    recency, recency_reason = _recency(inputs, now)
    frequency = min(inputs.interactions_90d * POINTS_PER_INTERACTION, FREQUENCY_CAP)
    monetary, monetary_reason = _monetary(inputs.orders_365d)
    growth, growth_reason = _growth(inputs)
    base = recency + frequency + monetary
    if inputs.orders_365d is None:
        base = round((recency + frequency) * RFM_MAX / RF_MAX)
    score = min(max(base + growth, 0), 100)
    reasons = [recency_reason, FREQUENCY.format(count=inputs.interactions_90d)]
    reasons += [r for r in (growth_reason, monetary_reason) if r]
    return Assessment(score, tier_of(score), tuple(reasons))
