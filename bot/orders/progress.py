"""Where an order stands, derived from what happened to it (never stored).

Payment: paid = Σ collections − Σ refunds. The payment plan's periods are paid in order, so
a period is covered once the money paid reaches the plan's running total through it; what
periods due before today still lack is overdue. Delivery: per line, shipped ≤ ordered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PARTIAL = "partial"
    PAID = "paid"
    REFUNDED = "refunded"  # money came in and all of it went back
    OVERDUE = "overdue"  # a period due before today is not covered


class DeliveryStatus(StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    SHIPPED = "shipped"


PAYMENT_WORDS = {
    PaymentStatus.UNPAID: "未付款",
    PaymentStatus.PARTIAL: "部分回款",
    PaymentStatus.PAID: "已付清",
    PaymentStatus.REFUNDED: "已退款",
    PaymentStatus.OVERDUE: "逾期",
}
DELIVERY_WORDS = {
    DeliveryStatus.NONE: "未发货",
    DeliveryStatus.PARTIAL: "部分发货",
    DeliveryStatus.SHIPPED: "已发货",
}


@dataclass(frozen=True, slots=True)
class Period:
    due: date
    amount_fen: int


@dataclass(frozen=True, slots=True)
class Payments:
    total_fen: int
    collected_fen: int
    refunded_fen: int
    overdue_fen: int

    @property
    def paid_fen(self) -> int:
        return self.collected_fen - self.refunded_fen

    @property
    def outstanding_fen(self) -> int:
        return max(self.total_fen - self.paid_fen, 0)

    @property
    def status(self) -> PaymentStatus:
        if self.overdue_fen > 0:
            return PaymentStatus.OVERDUE
        if self.paid_fen >= self.total_fen and self.total_fen > 0:
            return PaymentStatus.PAID
        if self.paid_fen > 0:
            return PaymentStatus.PARTIAL
        if self.collected_fen > 0:
            return PaymentStatus.REFUNDED
        return PaymentStatus.PAID if self.total_fen == 0 else PaymentStatus.UNPAID


def payments(
    total_fen: int,
    collected: Sequence[int],
    refunded: Sequence[int],
    plan: Sequence[Period],
    today: date,
) -> Payments:
    paid = sum(collected) - sum(refunded)
    due_before_today = sum(p.amount_fen for p in plan if p.due < today)
    return Payments(total_fen, sum(collected), sum(refunded), max(due_before_today - paid, 0))


def covered_periods(plan: Sequence[Period], paid_fen: int) -> int:
    """How many periods, from the first, the money paid covers in full."""
    running = 0
    for count, period in enumerate(plan):
        running += period.amount_fen
        if running > paid_fen:
            return count
    return len(plan)


def delivery(ordered: Sequence[int], shipped: Sequence[int]) -> DeliveryStatus:
    """``ordered`` and ``shipped`` per line, in the same order."""
    if not any(shipped):
        return DeliveryStatus.NONE
    if all(s >= o for o, s in zip(ordered, shipped, strict=True)):
        return DeliveryStatus.SHIPPED
    return DeliveryStatus.PARTIAL
