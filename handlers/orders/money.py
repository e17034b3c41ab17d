"""收款 (a collection, matched to the customer's open order or chosen by number) and 退款."""

from __future__ import annotations

from enum import StrEnum

from bot.crm.search import search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.limits import MAX_FEN
from bot.nlu.money import parse_fen
from bot.orders import moves, phrasings
from bot.orders.access import order_or_refusal, today
from bot.orders.asking import TOO_MUCH
from bot.orders.numbers import LEADING_REF, parse_ref, split_ref
from bot.orders.progress import PAYMENT_WORDS
from bot.orders.reports import open_orders_of
from bot.orders.wording import summary
from bot.subscription.money import format_fen
from models.orders import Order, OrderState

router = Router(__name__, title="订单", module="orders")


class CollectStep(StrEnum):
    PICK_ORDER = "order_pick_collection"


COLLECT_USAGE = (
    "请按这个格式写：收款 客户或订单号 金额 方式，"
    "例如：收款 星辰科技 5000 转账、收款 0001 260.5 微信"
)
REFUND_USAGE = "请按这个格式写：退款 0001 金额 原因，例如：退款 0001 50 少发一箱"
BAD_AMOUNT = "没看懂金额「{text}」，请写数字，例如 5000、260.5、2.6万。"
NO_CUSTOMER = "没有找到客户「{name}」。也可以写订单号，例如：收款 0001 5000 转账"
NOTHING_OPEN = "{name} 没有待回款的订单。发送「待回款」看所有待收的订单。"
WHICH = "{name} 有 {count} 个待回款的订单，这笔 {amount} 是哪个订单的？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
BAD_NUMBER = "请回复 1 到 {count} 之间的序号，或回复「取消」放弃。"
NOT_RECORDED = "好的，没有记这笔回款。"
RECORDED = (
    "已记回款 {amount}{method}，订单 {number}（{customer}）：已收 {paid}，未收 {left}，{status}。"
)
REFUNDED = "已记退款 {amount}，订单 {number}：已收 {paid}，未收 {left}，{status}。"
COMPLETED = "订单 {number} 已付清并全部发货，已完成。"


def _amount(text: str) -> int:
    fen = parse_fen(text)
    if fen is None or fen <= 0:
        raise UserFacingError(BAD_AMOUNT.format(text=text))
    if fen > MAX_FEN:
        raise UserFacingError(TOO_MUCH.format(text=text))
    return fen


def _parse(args: str) -> tuple[str, int, str]:
    """(who or which order, amount in fen, method) from "星辰科技 5000 转账"."""
    words = args.split()
    if len(words) < 2:
        raise UserFacingError(COLLECT_USAGE)
    return words[0], _amount(words[1]), " ".join(words[2:])


@router.command(
    "收款",
    "回款",
    "记回款",
    slots=("who", "amount", "method"),
    fill="收款 {who} {amount} {method?}",
    examples=phrasings.COLLECT_EXAMPLES,
    phrasings=phrasings.COLLECT,
)
async def record_collection(ctx: Context) -> str:
    """收款 星辰科技 5000 转账（或写订单号：收款 0001 5000 微信）"""
    who, amount, method = _parse(ctx.args)
    if _names_an_order(who):
        return await _collect(ctx, await order_or_refusal(ctx, who), amount, method)
    found = await search_customers(ctx.tenant.id, who)
    customers = [c for c in found if who in (c.name, c.company)] or found
    if not customers:
        return NO_CUSTOMER.format(name=who)
    orders = await open_orders_of(ctx.tenant.id, [c.id for c in customers], today(ctx))
    if not orders:
        return NOTHING_OPEN.format(name=who)
    if len(orders) == 1:
        return await _collect(ctx, orders[0][0], amount, method)
    assert ctx.conversation is not None
    shown = orders[:9]
    await ctx.conversation.set(
        CollectStep.PICK_ORDER,
        {"amount": amount, "method": method, "ids": [o.id for o, _, _ in shown]},
    )
    rows = [WHICH.format(name=who, count=len(shown), amount=format_fen(amount))]
    for n, (o, name, paid) in enumerate(shown, start=1):
        left = f"未收 {format_fen(paid.outstanding_fen)}"
        rows.append(f"{n}. {o.number} {summary(o, name, paid.paid_fen, left)}")
    rows.append(PICK_HINT)
    return "\n".join(rows)


def _names_an_order(word: str) -> bool:
    """0001, #1, 订单1, DD-20261123-0001: an order; anything else names a customer."""
    looks_like_one = word[:1].isdigit() or word.upper().startswith(
        ("DD", "#", "第", "订单", "单号")
    )
    return looks_like_one and parse_ref(word) is not None


@router.message(StateIs(CollectStep.PICK_ORDER), Command("取消", "cancel"))
async def cancel_collection_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return NOT_RECORDED


@router.message(StateIs(CollectStep.PICK_ORDER), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_collection_order(ctx: Context) -> str:
    assert ctx.conversation is not None and ctx.match is not None
    data = ctx.conversation.data
    ids = list(data.get("ids", []))
    number = int(ctx.match.group(1))
    if not 1 <= number <= len(ids):
        raise UserFacingError(BAD_NUMBER.format(count=len(ids)))
    await ctx.conversation.clear()
    order = await Order.get(tenant_id=ctx.tenant.id, id=ids[number - 1])
    return await _collect(ctx, order, int(data["amount"]), str(data.get("method", "")))


async def _collect(ctx: Context, order: Order, amount: int, method: str) -> str:
    was = order.state
    received = await moves.collect(order, amount, method, ctx.employee, ctx.clock.now(), today(ctx))
    paid = received.view.payments
    reply = RECORDED.format(
        amount=format_fen(amount),
        method=f"（{method}）" if method else "",
        number=order.number,
        customer=received.view.customer.display_name,
        paid=format_fen(paid.paid_fen),
        left=format_fen(paid.outstanding_fen),
        status=PAYMENT_WORDS[paid.status],
    )
    if was is not OrderState.COMPLETED and order.state is OrderState.COMPLETED:
        reply += "\n" + COMPLETED.format(number=order.number)
    return reply


@router.command(
    "退款",
    args_like=LEADING_REF,
    slots=("order", "amount", "reason"),
    fill="退款 {order} {amount} {reason?}",
    examples=phrasings.REFUND_EXAMPLES,
    phrasings=phrasings.REFUND,
)
async def record_refund(ctx: Context) -> str:
    """退款 0001 50 少发一箱"""
    split = split_ref(ctx.args)
    if split is None or not split[1]:
        raise UserFacingError(REFUND_USAGE)
    ref, rest = split
    amount_text, _, reason = rest.partition(" ")
    amount = _amount(amount_text)
    order = await order_or_refusal(ctx, ref)
    view = await moves.refund(
        order, amount, reason.strip(), ctx.employee, ctx.clock.now(), today(ctx)
    )
    paid = view.payments
    return REFUNDED.format(
        amount=format_fen(amount),
        number=order.number,
        paid=format_fen(paid.paid_fen),
        left=format_fen(paid.outstanding_fen),
        status=PAYMENT_WORDS[paid.status],
    )
