"""Purchase approval (采购审批): an admin setting makes every purchase, or those over an
amount, wait for an admin after 确认. The order goes draft → pending on submission, and
pending → confirmed (批准) or cancelled (驳回) by one compare-and-set each, so of two admins
pressing at once, or a card clicked twice, exactly one decides; the other hears who did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.erp.numbers import tail
from bot.subscription.money import format_fen
from models.erp import ApprovalMode, PurchaseOrder, PurchaseRules, PurchaseState


@dataclass(frozen=True, slots=True)
class Approval:
    mode: ApprovalMode = ApprovalMode.OFF
    over_fen: int = 0

    def needed_for(self, total_fen: int) -> bool:
        if self.mode is ApprovalMode.ALL:
            return True
        return self.mode is ApprovalMode.OVER and total_fen > self.over_fen

    def words(self) -> str:
        if self.mode is ApprovalMode.ALL:
            return "所有采购单都要管理员批准"
        if self.mode is ApprovalMode.OVER:
            return f"超过 {format_fen(self.over_fen)} 的采购单要管理员批准"
        return "采购单确认后直接发出，不用审批"


async def approval_of(tenant_id: int) -> Approval:
    row = await PurchaseRules.get_or_none(tenant_id=tenant_id)
    return Approval() if row is None else Approval(row.approval, row.over_fen)


async def save_approval(tenant_id: int, approval: Approval, by: str, now: datetime) -> None:
    await PurchaseRules.update_or_create(
        defaults={
            "approval": approval.mode,
            "over_fen": approval.over_fen,
            "updated_by": by[:64],
            "updated_at": now,
        },
        tenant_id=tenant_id,
    )


async def submit(order: PurchaseOrder, now: datetime) -> bool:
    """Draft → pending; False when it was not a draft any more."""
    won = await PurchaseOrder.filter(id=order.id, state=PurchaseState.DRAFT).update(
        state=PurchaseState.PENDING, submitted_at=now, updated_at=now
    )
    if won:
        order.state, order.submitted_at = PurchaseState.PENDING, now
    return won == 1


async def approve(order: PurchaseOrder, by: str, now: datetime) -> bool:
    """Pending → confirmed, once."""
    won = await PurchaseOrder.filter(id=order.id, state=PurchaseState.PENDING).update(
        state=PurchaseState.CONFIRMED, confirmed_at=now, approved_by=by[:64], updated_at=now
    )
    if won:
        order.state, order.confirmed_at, order.approved_by = PurchaseState.CONFIRMED, now, by
    return won == 1


async def reject(order: PurchaseOrder, by: str, reason: str, now: datetime) -> bool:
    """Pending → cancelled, once."""
    why = f"{by} 驳回" + (f"：{reason}" if reason else "")
    won = await PurchaseOrder.filter(id=order.id, state=PurchaseState.PENDING).update(
        state=PurchaseState.CANCELLED, cancelled_at=now, cancel_reason=why[:200], updated_at=now
    )
    if won:
        order.state, order.cancel_reason = PurchaseState.CANCELLED, why
    return won == 1


def approval_ask(order: PurchaseOrder, supplier: str, who: str) -> str:
    return (
        f"【采购审批】{who} 提交了采购单 {order.number}：{supplier}，"
        f"合计 {format_fen(order.total_fen)}。"
        f"批准发送「批准采购 {tail(order)}」，驳回发送「驳回采购 {tail(order)} 原因」。"
    )
