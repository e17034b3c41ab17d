"""The order's next payment, told when a job booked from it is completed: an installation
done is when the customer expects the next bill (ERPNext's "Installation Note" closing the
delivery, OCA's "to avoid surprises when receiving the service bill").

It goes to the order's owner, like the payment plan's own reminders (``bot.orders.reminders``),
not to the customer: asking a WeChat customer for money goes through a member anyway (a
mass-send task the member confirms, a few a month), and the owner knows whether the customer
has already been told. The notice is claimed by a unique ``InstallReminder`` row (job,
``payment``) in the completing transaction, so a retried or repeated completion tells once.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.context import Context
from bot.installation.access import today
from bot.orders.numbers import tail as order_tail
from bot.orders.view import payments_of, plans_by_order
from bot.orders.wording import day_words
from bot.subscription.money import format_fen
from models.installation import InstallJob, InstallReminder
from models.orders import Order, OrderState, PaymentInstallment
from models.tenants import Employee

KIND = "payment"
NEXT_PAYMENT = (
    "安装单 {job} 已完工，订单 {order} 下一期（第{period}期）{amount} 应于 {due}收款，"
    "还差 {left}。收到后发送「收款 {tail} 金额 方式」。"
)
OVERDUE_PAYMENT = (
    "安装单 {job} 已完工，订单 {order} 第{period}期 {amount} 已于 {due}到期，还差 {left}。"
    "收到后发送「收款 {tail} 金额 方式」。"
)


async def tell_next_payment(ctx: Context, job: InstallJob) -> None:
    """Call inside the completing transaction, after the job is saved."""
    order = (
        await Order.get_or_none(id=job.order_id, tenant_id=job.tenant_id) if job.order_id else None
    )
    if order is None or order.state is not OrderState.CONFIRMED or order.owner_id is None:
        return
    owner = await Employee.get_or_none(id=order.owner_id)
    found = await _next_unpaid(order, ctx)
    if owner is None or found is None:
        return
    period, left = found
    try:
        async with in_transaction():
            await InstallReminder.create(
                job_id=job.id, kind=KIND, version=0, sent_at=ctx.clock.now()
            )
    except IntegrityError:
        return  # told already
    overdue = period.due_date < today(ctx)
    text = (OVERDUE_PAYMENT if overdue else NEXT_PAYMENT).format(
        job=job.number,
        order=order.number,
        period=period.period,
        amount=format_fen(period.amount_fen),
        due=day_words(period.due_date),
        left=format_fen(left),
        tail=order_tail(order),
    )
    ctx.send(owner.userid, text)


async def _next_unpaid(order: Order, ctx: Context) -> tuple[PaymentInstallment, int] | None:
    """The first period the money paid does not cover, and what it still lacks: periods are
    paid in order, as the plan's reminders count them."""
    paid = (await payments_of([order], today(ctx)))[order.id].paid_fen
    through = 0
    for period in (await plans_by_order([order.id])).get(order.id, []):
        through += period.amount_fen
        left = min(period.amount_fen, through - paid)
        if left > 0:
            return period, left
    return None
