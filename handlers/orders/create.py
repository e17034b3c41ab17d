"""下单 (a draft order and its confirm step), 确认订单 and 取消订单."""

from __future__ import annotations

from enum import StrEnum

from bot.crm.cards import render_list
from bot.crm.picking import take_numbered_customer, viewer_of
from bot.crm.search import search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.dispatch.types import Reply
from bot.orders import moves, phrasings
from bot.orders.access import local_now, order_or_refusal, today
from bot.orders.asking import USAGE, read_order
from bot.orders.cards import confirm_card
from bot.orders.hooks import hooks_of
from bot.orders.numbers import LEADING_REF, split_ref, tail
from bot.orders.store import create_order
from bot.orders.view import view_order
from bot.orders.wording import card, plan_words
from bot.subscription.money import format_fen
from models.crm.customers import Customer
from models.orders import Order, OrderState

router = Router(__name__, title="订单", module="orders")


class OrderStep(StrEnum):
    PICK_CUSTOMER = "order_pick_customer"
    CONFIRM = "order_confirm"


NO_CUSTOMER = "没有找到客户「{name}」。请先「新建客户 {name}」，再下单。"
SEVERAL = "找到 {count} 个「{query}」相关的客户，这个订单是哪一位的？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
NOT_CREATED = "好的，没有下单。"
NEW_PRODUCT = "新产品「{name}」已按单价 {price}{unit} 建档。"
ASK_CONFIRM = (
    "点卡片上的「确认」或回复「确认」生效，回复「取消」作废（也可以稍后发送「确认订单 {tail}」）。"
)
CONFIRMED = "已确认订单 {number}，合计 {total}。收到钱后发送「收款 {tail} 金额 方式」记回款。"
ALREADY = "订单 {number} 已经确认过了。"
DROPPED = "好的，订单 {number} 已作废。"
CONFIRM_USAGE = "请写上订单编号，例如：确认订单 0001"
CANCEL_USAGE = "请按这个格式写：取消订单 0001 原因"
CANCELLED = "已取消订单 {number}。"
# 确认订单 / 取消订单 said alone right after the card answer it too (they name this order).
YES_WORDS = frozenset(
    {"确认", "确定", "是", "好", "好的", "对", "ok", "yes", "y", "确认订单", "确认下单"}
)
NO_WORDS = frozenset(
    {"取消", "算了", "不要了", "不", "否", "作废", "no", "n", "cancel", "取消订单", "作废订单"}
)


@router.message(StateIs(OrderStep.PICK_CUSTOMER), Command("取消", "cancel"))
async def cancel_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return NOT_CREATED


@router.message(StateIs(OrderStep.PICK_CUSTOMER), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_customer(ctx: Context) -> str | list[Reply]:
    customer, data = await take_numbered_customer(ctx)
    if customer is None:
        return NO_CUSTOMER.format(name=data.get("query", ""))
    return await _write(ctx, customer, str(data["text"]))


@router.command(
    "下单",
    "新建订单",
    "开单",
    slots=("who", "details", "goods", "qty"),
    fill="下单 {who} {details}",
    examples=phrasings.CREATE_EXAMPLES,
    phrasings=phrasings.CREATE,
)
async def create_sales_order(ctx: Context) -> str | list[Reply]:
    """下单 星辰科技 A4纸 20箱 单价25 打9折 分两期付款 首付一半下周五前"""
    # 下单给星辰科技 … and 下单 客户 星辰科技 … name the customer the same way.
    args = ctx.args.removeprefix("给").strip()
    if args.startswith(("客户 ", "客户：", "客户:")):
        args = args[3:].strip()
    who, _, text = args.partition(" ")
    if not who or not text.strip():
        raise UserFacingError(USAGE)
    read_order(text, local_now(ctx))  # wrong input is answered before asking which customer
    found = await search_customers(ctx.tenant.id, who)
    candidates = [c for c in found if who in (c.name, c.company)] or found
    if not candidates:
        return NO_CUSTOMER.format(name=who)
    if len(candidates) == 1:
        return await _write(ctx, candidates[0], text)
    assert ctx.conversation is not None
    shown = candidates[:10]
    await ctx.conversation.set(
        OrderStep.PICK_CUSTOMER, {"query": who, "text": text, "ids": [c.id for c in shown]}
    )
    return render_list(
        SEVERAL.format(count=len(shown), query=who), shown, viewer_of(ctx), PICK_HINT
    )


async def _write(ctx: Context, customer: Customer, text: str) -> list[Reply]:
    """The draft in words (its card), then the confirm card with its two buttons."""
    asked = read_order(text, local_now(ctx))
    made = await create_order(
        ctx.tenant.id, customer, ctx.employee, asked, ctx.clock.now(), today(ctx)
    )
    order = made.order
    assert ctx.conversation is not None
    await ctx.conversation.set(OrderStep.CONFIRM, {"order_id": order.id})
    view = await view_order(order, today(ctx))
    parts = [card(view)]
    parts += [
        NEW_PRODUCT.format(
            name=p.name, price=format_fen(p.sale_price_fen), unit=f"/{p.unit}" if p.unit else ""
        )
        for p in made.new_products
    ]
    parts.append(ASK_CONFIRM.format(tail=tail(order)))
    task_id = f"order-{order.id}-{int(ctx.clock.now().timestamp())}"
    plan = "回款计划：" + "；".join(plan_words(view))
    buttons = confirm_card(order, view.customer.display_name, plan, task_id)
    return [Reply("\n".join(parts)), buttons]


def _answer(ctx: Context) -> bool:
    return ctx.update.text.strip().lower() in YES_WORDS | NO_WORDS


@router.message(StateIs(OrderStep.CONFIRM), _answer)
async def confirm_or_drop(ctx: Context) -> str:
    assert ctx.conversation is not None
    order_id = ctx.conversation.data.get("order_id")
    await ctx.conversation.clear()
    order = await Order.get_or_none(tenant_id=ctx.tenant.id, id=order_id)
    if order is None:
        return NOT_CREATED
    if ctx.update.text.strip().lower() in NO_WORDS:
        if order.state is OrderState.DRAFT:
            await cancel_and_tell(ctx, order, "下单时作废")
        return DROPPED.format(number=order.number)
    return await confirm_draft(ctx, order)


async def confirm_draft(ctx: Context, order: Order) -> str:
    if not await moves.confirm(order, ctx.clock.now(), ctx.employee):
        if order.state is OrderState.CANCELLED:
            raise UserFacingError(moves.CANCELLED_ALREADY.format(number=order.number))
        return ALREADY.format(number=order.number)
    reply = CONFIRMED.format(
        number=order.number, total=format_fen(order.total_fen), tail=tail(order)
    )
    note = await hooks_of(ctx).on_confirmed(ctx, order)
    return f"{reply}\n{note}" if note else reply


async def cancel_and_tell(ctx: Context, order: Order, reason: str) -> str:
    """Cancel (or refuse), then let other capabilities undo what confirming set off; the
    sentence they say, "" for none."""
    await moves.cancel(order, reason, ctx.clock.now(), today(ctx), ctx.employee)
    return await hooks_of(ctx).on_cancelled(ctx, order)


@router.command(
    "确认订单",
    args_like=LEADING_REF,
    slots=("order",),
    examples=phrasings.CONFIRM_EXAMPLES,
    phrasings=phrasings.CONFIRM,
)
async def confirm_order(ctx: Context) -> str:
    """确认订单 0001：草稿订单生效"""
    ref = ctx.args.strip()
    if not ref:
        raise UserFacingError(CONFIRM_USAGE)
    order = await order_or_refusal(ctx, ref)
    return await confirm_draft(ctx, order)


@router.command(
    "取消订单",
    "作废订单",
    args_like=LEADING_REF,
    slots=("order", "reason"),
    fill="取消订单 {order} {reason?}",
    examples=phrasings.CANCEL_EXAMPLES,
    phrasings=phrasings.CANCEL,
)
async def cancel_order(ctx: Context) -> str:
    """取消订单 0001 客户不要了（已收款的要先退款）"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(CANCEL_USAGE)
    ref, reason = split
    order = await order_or_refusal(ctx, ref)
    note = await cancel_and_tell(ctx, order, reason)
    reply = CANCELLED.format(number=order.number)
    return f"{reply}\n{note}" if note else reply
