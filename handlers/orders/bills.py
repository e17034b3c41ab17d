"""待认领收款: the 对外收款 bills the sync could not tie to one order (``PendingBill``)."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.nlu.numerals import to_int
from bot.orders import phrasings
from bot.orders.access import order_or_refusal, today
from bot.orders.claims import claim
from bot.orders.externalpay import WHY
from bot.orders.progress import PAYMENT_WORDS
from bot.orders.wording import day_words
from bot.subscription.money import format_fen
from models.orders import PendingBill

router = Router(__name__, title="订单", module="orders")

NONE = "没有待认领的对外收款。"
HEAD = "待认领的对外收款 {count} 笔（没能对上唯一的订单，没有自动记账）："
MORE = "……还有 {count} 笔没列出。"
HOW_TO_CLAIM = "确认是哪个订单的，发送「认领收款 序号 订单号」，例如：认领收款 1 0001"
SHOWN_ROWS = 20
CLAIM_USAGE = "请按这个格式写：认领收款 序号 订单号，例如：认领收款 1 0001（序号见「待认领收款」）"
NO_SUCH_BILL = "待认领收款里没有第 {n} 笔（共 {count} 笔）。发送「待认领收款」看序号。"
NOT_YOUR_ORDER = "订单 {number} 是同事的，请负责人或管理员认领。"
CLAIMED = (
    "已把 {when} {who} 的对外收款 {amount} 记到订单 {number}：已收 {paid}，未收 {left}，{status}。"
)
CLAIMED_REFUNDED = "（这笔已退 {refunded}，一并记上。）"
COMPLETED = "订单 {number} 已付清并全部发货，已完成。"


def _visible(ctx: Context) -> QuerySet[PendingBill] | None:
    """The waiting bills this person deals with: all for admins, else those they received
    or whose payer is their customer; None for someone with no employee record."""
    found = PendingBill.filter(tenant_id=ctx.tenant.id)
    if ctx.is_admin:
        return found
    mine = ctx.employee
    if mine is None:
        return None
    return found.filter(Q(payee_userid=mine.userid) | Q(customer__owner_id=mine.id))


@router.command("待认领收款", examples=("待认领收款",))
async def pending_bills(ctx: Context) -> str:
    """待认领收款：对外收款里没能对上订单的款项"""
    found = _visible(ctx)
    if found is None:
        return NONE
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
    lines.append(HOW_TO_CLAIM)
    return "\n".join(lines)


@router.command(
    "认领收款",
    "认领",
    slots=("bill", "order"),
    fill="认领收款 {bill} {order}",
    examples=phrasings.CLAIM_EXAMPLES,
    phrasings=phrasings.CLAIM,
)
async def claim_bill(ctx: Context) -> str:
    """认领收款 1 0001：把待认领的对外收款记到订单上"""
    words = ctx.args.split()
    n = to_int(words[0]) if len(words) == 2 else None
    if n is None:
        raise UserFacingError(CLAIM_USAGE)
    found = _visible(ctx)
    rows = await found.order_by("paid_at", "id").limit(SHOWN_ROWS) if found is not None else []
    if not 1 <= n <= len(rows):
        raise UserFacingError(NO_SUCH_BILL.format(n=n, count=len(rows)))
    pending = rows[n - 1]
    order = await order_or_refusal(ctx, words[1])
    mine = ctx.employee is not None and ctx.employee.id == order.owner_id
    if not (mine or ctx.is_admin):
        raise UserFacingError(NOT_YOUR_ORDER.format(number=order.number))
    was = order.state
    await pending.fetch_related("customer")
    claimed = await claim(pending, order, ctx.employee, ctx.clock.now(), today(ctx))
    paid = pending.paid_at.astimezone(ctx.tenant.timezone)
    payments = claimed.view.payments
    reply = CLAIMED.format(
        when=f"{day_words(paid.date())}{paid:%H:%M}",
        who=pending.customer.name if pending.customer else "未知付款人",
        amount=format_fen(pending.amount_fen),
        number=order.number,
        paid=format_fen(payments.paid_fen),
        left=format_fen(payments.outstanding_fen),
        status=PAYMENT_WORDS[payments.status],
    )
    if pending.refunded_fen:
        reply += CLAIMED_REFUNDED.format(refunded=format_fen(pending.refunded_fen))
    if was is not order.state:
        reply += "\n" + COMPLETED.format(number=order.number)
    return reply
