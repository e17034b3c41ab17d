"""待认领收款: the 对外收款 bills the sync could not tie to one order (``PendingBill``)."""

from __future__ import annotations

from tortoise.expressions import Q

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.orders.externalpay import WHY
from bot.orders.wording import day_words
from bot.subscription.money import format_fen
from models.orders import PendingBill

router = Router(__name__, title="订单", module="orders")

NONE = "没有待认领的对外收款。"
HEAD = "待认领的对外收款 {count} 笔（没能对上唯一的订单，没有自动记账）："
MORE = "……还有 {count} 笔没列出。"
SHOWN_ROWS = 20


@router.command("待认领收款", examples=("待认领收款",))
async def pending_bills(ctx: Context) -> str:
    """待认领收款：对外收款里没能对上订单的款项"""
    found = PendingBill.filter(tenant_id=ctx.tenant.id)
    if not ctx.is_admin:
        mine = ctx.employee
        if mine is None:
            return NONE
        found = found.filter(Q(payee_userid=mine.userid) | Q(customer__owner_id=mine.id))
    total = await found.count()
    if not total:
        return NONE
    rows = await found.order_by("paid_at", "id").limit(SHOWN_ROWS).prefetch_related("customer")
    lines = [HEAD.format(count=total)]
    for n, bill in enumerate(rows, 1):
        paid = bill.paid_at.astimezone(ctx.tenant.timezone)
        who = bill.customer.name if bill.customer else "未知付款人"
        refunded = f"，已退 {format_fen(bill.refunded_fen)}" if bill.refunded_fen else ""
        payee = f"，收款人 {bill.payee_userid}" if bill.payee_userid else ""
        lines.append(
            f"{n}. {day_words(paid.date())}{paid:%H:%M} {who} {format_fen(bill.amount_fen)}"
            f"{refunded}{payee}：{WHY[bill.reason]}"
        )
    if total > len(rows):
        lines.append(MORE.format(count=total - len(rows)))
    return "\n".join(lines)
