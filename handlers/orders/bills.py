"""待认领收款: the 对外收款 bills the sync could not tie to one order (``PendingBill``)."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Regex, StateIs
from bot.dispatch.router import Router
from bot.nlu.numerals import to_int
from bot.orders import phrasings
from bot.orders.access import order_or_refusal, today
from bot.orders.bill_question import CLAIM_STEP, answers, ask_next, choice, picked
from bot.orders.claims import TAKEN, claim
from bot.orders.externalpay import WHY
from bot.orders.progress import PAYMENT_WORDS
from bot.orders.wording import day_words
from bot.subscription.money import format_fen
from models.orders import Order, PendingBill

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
NOT_NOW = "好的，这笔先不认领。之后发送「待认领收款」可以再处理。"
NOT_OFFERED = (
    "请回复 1 到 {count} 之间的序号，或列表里的订单号（如「是0001那个」）；回复「不是」先不认领。"
)
_NOT_NOW = r"^\s*(?:取消|不是|都不是|都不对|算了|先不认领|不认领|先不管|稍后再说)\s*[。.!！]*\s*$"


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


@router.command("待认领收款", examples=phrasings.PENDING_EXAMPLES, phrasings=phrasings.PENDING)
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
    return await _claim_reply(ctx, pending, order)


async def _claim_reply(ctx: Context, pending: PendingBill, order: Order) -> str:
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


@router.message(StateIs(CLAIM_STEP, quiet=True), Regex(_NOT_NOW))
async def not_now(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return NOT_NOW


@router.message(StateIs(CLAIM_STEP, quiet=True), answers)
async def answer_claim_question(ctx: Context) -> str:
    """The answer to 「这笔收款是哪个订单？」: a position in the list or an order number."""
    assert ctx.conversation is not None
    data = ctx.conversation.data
    ids = [int(i) for i in data.get("ids", [])]
    said = choice(ctx.update.text)
    order_id = picked(said, ids, list(data.get("numbers", []))) if said else None
    if order_id is None:
        return NOT_OFFERED.format(count=len(ids))
    await ctx.conversation.clear()
    pending = await PendingBill.get_or_none(tenant_id=ctx.tenant.id, id=int(data["bill"]))
    if pending is None:
        raise UserFacingError(TAKEN)
    order = await Order.get(tenant_id=ctx.tenant.id, id=order_id)
    reply = await _claim_reply(ctx, pending, order)
    if ctx.employee is not None:
        following = await ask_next(
            ctx.tenant.id,
            ctx.employee,
            ctx.is_admin,
            ctx.clock.now(),
            today(ctx),
            ctx.tenant.timezone,
        )
        if following:
            reply = "\n".join([reply, *following])
    return reply
