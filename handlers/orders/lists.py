"""订单 0001, 我的订单, 待回款, 逾期回款 and 本月销售 / 上月销售."""

from __future__ import annotations

from datetime import date

from bot.crm.search import search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.orders import phrasings, reports
from bot.orders.access import local_now, order_or_refusal, today
from bot.orders.numbers import LEADING_REF, split_ref, tail
from bot.orders.periods import month
from bot.orders.progress import PAYMENT_WORDS
from bot.orders.view import view_order
from bot.orders.wording import STATE_WORDS, card, day_words, sales_lines, summary
from bot.subscription.money import format_fen
from models.orders import OrderState, PaymentInstallment

router = Router(__name__, title="订单", module="orders")

SHOW_USAGE = "请写上订单编号，例如：订单 0001"
NONE_MINE = "你还没有订单。下单发送：下单 客户 商品 数量 单价，例如：下单 星辰科技 A4纸 20箱 单价25"
MINE = "你的订单（最近 {count} 个）："
NONE_UNPAID = "没有待回款的订单。"
NONE_UNSHIPPED = "没有待发货的订单。"
UNSHIPPED = "待发货 {count} 单："
CUSTOMER_USAGE = "请写上客户，例如：客户订单 星辰科技"
NO_CUSTOMER = "没有找到客户「{name}」。"
NO_CUSTOMER_ORDERS = "「{name}」还没有订单。"
CUSTOMER_ORDERS = "「{name}」的订单（最近 {count} 个）："
MORE = "……还有 {count} 单没列出，发送「订单 编号」看某一单。"
SHOWN_ROWS = 20  # a chat message, not a report: the oldest first, the totals cover all
UNPAID = "待回款 {count} 单，共 {left}："
NONE_OVERDUE = "没有逾期的回款。"
OVERDUE = "逾期回款 {count} 单，共 {overdue}："
SALES = (
    "{who}{period}销售（{start} 至 {end}）：{orders} 单，合计 {total}，已收 {paid}，未收 {left}。"
)
NO_SALES = "{who}{period}还没有确认的订单。"
TOP = 5


@router.command(
    "订单",
    "查订单",
    args_like=LEADING_REF,
    slots=("order",),
    examples=phrasings.SHOW_EXAMPLES,
    phrasings=phrasings.SHOW,
)
async def show_order(ctx: Context) -> str:
    """订单 0001：订单详情、回款与发货进度"""
    # What follows the number (怎么样了, 的情况) asks nothing more than the order itself.
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(SHOW_USAGE)
    order = await order_or_refusal(ctx, split[0])
    return card(await view_order(order, today(ctx)))


def _owner_scope(ctx: Context) -> int | None:
    """Admins see everybody's orders; everyone else their own."""
    if ctx.is_admin:
        return None
    return ctx.employee.id if ctx.employee else -1


@router.command("我的订单", examples=phrasings.MINE_EXAMPLES, phrasings=phrasings.MINE)
async def my_orders(ctx: Context) -> str:
    """我的订单：你负责的订单和进度"""
    if ctx.employee is None:
        return NONE_MINE
    rows = await reports.mine(ctx.tenant.id, ctx.employee.id, today(ctx))
    if not rows:
        return NONE_MINE
    lines = [MINE.format(count=len(rows))]
    for order, customer, paid in rows:
        status = STATE_WORDS[order.state]
        if order.state is not OrderState.DRAFT:
            status += f" · {PAYMENT_WORDS[paid.status]}"
        lines.append(summary(order, customer, paid.paid_fen, status))
    return "\n".join(lines)


@router.command("待回款", "待收款", examples=phrasings.UNPAID_EXAMPLES, phrasings=phrasings.UNPAID)
async def unpaid_orders(ctx: Context) -> str:
    """待回款：还有钱没收的订单（管理员看全部）"""
    return await unpaid_text(ctx.tenant.id, _owner_scope(ctx), today(ctx))


async def unpaid_text(tenant_id: int, owner_id: int | None, day: date) -> str:
    """The 待回款 answer: one owner's orders, or everybody's for None."""
    page = await reports.open_page(tenant_id, owner_id, day, SHOWN_ROWS)
    if not page.count:
        return NONE_UNPAID
    lines = [UNPAID.format(count=page.count, left=format_fen(page.owed_fen))]
    next_due = await _next_due([o.id for o, _, _ in page.rows], day)
    for order, customer, paid in page.rows:
        due = next_due.get(order.id)
        tail_words = f"未收 {format_fen(paid.outstanding_fen)}"
        if paid.overdue_fen:
            tail_words += f"，逾期 {format_fen(paid.overdue_fen)}"
        elif due is not None:
            tail_words += f"，下一期 {day_words(due)}"
        lines.append(summary(order, customer, paid.paid_fen, tail_words))
    return "\n".join(_with_more(lines, page.count))


def _with_more(lines: list[str], count: int) -> list[str]:
    if count > SHOWN_ROWS:
        lines.append(MORE.format(count=count - SHOWN_ROWS))
    return lines


async def _next_due(order_ids: list[int], today: date) -> dict[int, date]:
    found: dict[int, date] = {}
    for period in await PaymentInstallment.filter(
        order_id__in=order_ids, due_date__gte=today
    ).order_by("due_date"):
        found.setdefault(period.order_id, period.due_date)
    return found


@router.command(
    "逾期回款", "逾期订单", examples=phrasings.OVERDUE_EXAMPLES, phrasings=phrasings.OVERDUE
)
async def overdue_payments(ctx: Context) -> str:
    """逾期回款：到期没收齐的订单（管理员看全部）"""
    page = await reports.open_page(
        ctx.tenant.id, _owner_scope(ctx), today(ctx), SHOWN_ROWS, overdue=True
    )
    if not page.count:
        return NONE_OVERDUE
    lines = [OVERDUE.format(count=page.count, overdue=format_fen(page.owed_fen))]
    lines += [
        summary(order, customer, paid.paid_fen, f"逾期 {format_fen(paid.overdue_fen)}")
        for order, customer, paid in page.rows
    ]
    return "\n".join(_with_more(lines, page.count))


@router.command(
    "本月销售",
    "上月销售",
    "销售额",
    examples=phrasings.SALES_EXAMPLES,
    phrasings=phrasings.SALES,
)
async def monthly_sales(ctx: Context) -> str:
    """本月销售 / 上月销售：按人、按产品、按客户（管理员看全队）"""
    said = ctx.update.text.strip()
    back = 1 if said.startswith("上月") or "上月" in ctx.args or "上个月" in ctx.args else 0
    span = month(local_now(ctx).date(), back)
    owner = _owner_scope(ctx)
    start, end = span.bounds(ctx.tenant.timezone)
    found = await reports.sales(ctx.tenant.id, start, end, owner, today(ctx))
    return "\n".join(sales_lines(found, span, team=owner is None))


@router.command("待发货", examples=phrasings.UNSHIPPED_EXAMPLES, phrasings=phrasings.UNSHIPPED)
async def unshipped_orders(ctx: Context) -> str:
    """待发货：确认了还没发完货的订单（管理员看全部）"""
    rows = await reports.unshipped(ctx.tenant.id, _owner_scope(ctx))
    if not rows:
        return NONE_UNSHIPPED
    lines = [UNSHIPPED.format(count=len(rows))]
    for order, customer, left in rows[:SHOWN_ROWS]:
        items = "、".join(f"{name} {qty}{unit}" for name, qty, unit in left)
        lines.append(f"{tail(order)} {customer}：还差 {items}")
    return "\n".join(_with_more(lines, len(rows)))


@router.command(
    "客户订单",
    slots=("who",),
    examples=phrasings.CUSTOMER_EXAMPLES,
    phrasings=phrasings.CUSTOMER,
)
async def customer_orders(ctx: Context) -> str:
    """客户订单 星辰科技：这位客户最近的订单"""
    who = ctx.args.strip()
    if not who:
        raise UserFacingError(CUSTOMER_USAGE)
    found = await search_customers(ctx.tenant.id, who)
    customers = [c for c in found if who in (c.name, c.company)] or found
    if not customers:
        return NO_CUSTOMER.format(name=who)
    rows = await reports.of_customers(ctx.tenant.id, [c.id for c in customers], today(ctx))
    if not rows:
        return NO_CUSTOMER_ORDERS.format(name=who)
    lines = [CUSTOMER_ORDERS.format(name=who, count=len(rows))]
    for order, customer, paid in rows:
        status = STATE_WORDS[order.state]
        if order.state in (OrderState.CONFIRMED, OrderState.COMPLETED):
            status += f" · {PAYMENT_WORDS[paid.status]}"
        lines.append(summary(order, customer, paid.paid_fen, status))
    return "\n".join(lines)
