"""约安装 (a job for a customer) and 订单安装 (a job from a sales order's lines)."""

from __future__ import annotations

from enum import StrEnum

from bot.crm.cards import render_list
from bot.crm.picking import take_numbered_customer, viewer_of
from bot.crm.search import search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.installation import phrasings
from bot.installation.access import local_now, today
from bot.installation.asking import USAGE, read_booking, read_window
from bot.installation.numbers import tail
from bot.installation.rules import rules_of
from bot.installation.store import NewJob, create_job
from bot.installation.wording import card
from bot.orders.numbers import find_order
from models.crm.customers import Customer
from models.orders import OrderLine, OrderState
from models.products import Product

router = Router(__name__, title="安装", module="installation")


class BookStep(StrEnum):
    PICK_CUSTOMER = "install_pick_customer"


NO_CUSTOMER = "没有找到客户「{name}」。请先「新建客户 {name}」，再约安装。"
SEVERAL = "找到 {count} 个「{query}」相关的客户，这次安装是哪一位的？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
NOT_BOOKED = "好的，没有约安装。"
BOOKED = "已约安装。派工发送「安排 {tail} 给 师傅名字」。"
BOOKED_NO_TIME = (
    "已建安装单，还没有时间：发送「改约 {tail} 周四下午2点」约时间，再「安排 {tail} 给 师傅名字」。"
)
ORDER_USAGE = "请写上订单编号，例如：订单0001安排安装 周四下午2点"
NO_ORDER = "没有找到订单「{ref}」。发送「我的订单」看你的订单。"
ORDER_NOT_OPEN = "订单 {number} 已取消，不能安排安装。"


@router.message(StateIs(BookStep.PICK_CUSTOMER), Command("取消", "cancel"))
async def cancel_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return NOT_BOOKED


@router.message(StateIs(BookStep.PICK_CUSTOMER), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_customer(ctx: Context) -> str:
    customer, data = await take_numbered_customer(ctx)
    if customer is None:
        return NO_CUSTOMER.format(name=data.get("query", ""))
    return await _book(ctx, customer, str(data["text"]))


@router.command(
    "约安装",
    "预约安装",
    "新建安装",
    slots=("who", "details"),
    examples=phrasings.BOOK_EXAMPLES,
    phrasings=phrasings.BOOK,
)
async def book_installation(ctx: Context) -> str:
    """约安装 星辰科技 周四下午2点 打印机2台 地址朝阳区xx路"""
    args = ctx.args.removeprefix("给").strip()
    who, _, text = args.partition(" ")
    if not who or not text.strip():
        raise UserFacingError(USAGE)
    rules = await rules_of(ctx.tenant.id)
    read_booking(text, local_now(ctx), rules.window)  # wrong input is answered first
    found = await search_customers(ctx.tenant.id, who)
    candidates = [c for c in found if who in (c.name, c.company)] or found
    if not candidates:
        return NO_CUSTOMER.format(name=who)
    if len(candidates) == 1:
        return await _book(ctx, candidates[0], text)
    assert ctx.conversation is not None
    shown = candidates[:10]
    await ctx.conversation.set(
        BookStep.PICK_CUSTOMER, {"query": who, "text": text, "ids": [c.id for c in shown]}
    )
    return render_list(
        SEVERAL.format(count=len(shown), query=who), shown, viewer_of(ctx), PICK_HINT
    )


async def _book(ctx: Context, customer: Customer, text: str) -> str:
    rules = await rules_of(ctx.tenant.id)
    asked = read_booking(text, local_now(ctx), rules.window)
    new = NewJob(customer, asked.start, asked.end, asked.items, asked.address, asked.contact)
    job = await create_job(ctx.tenant.id, new, ctx.employee, ctx.clock.now(), today(ctx))
    shown = card(job, customer, None, ctx.tenant.timezone)
    return f"{shown}\n{BOOKED.format(tail=tail(job))}"


@router.command(
    "订单安装",
    slots=("order", "when"),
    examples=phrasings.FROM_ORDER_EXAMPLES,
    phrasings=phrasings.FROM_ORDER,
)
async def book_from_order(ctx: Context) -> str:
    """订单安装 0001 周四下午2点：按订单的商品建安装单"""
    ref, _, when = ctx.args.strip().partition(" ")
    if not ref:
        raise UserFacingError(ORDER_USAGE)
    order = await find_order(ctx.tenant.id, ref)
    if order is None:
        raise UserFacingError(NO_ORDER.format(ref=ref))
    if order.state is OrderState.CANCELLED:
        raise UserFacingError(ORDER_NOT_OPEN.format(number=order.number))
    start = end = None
    if when.strip():
        rules = await rules_of(ctx.tenant.id)
        start, end, _ = read_window(when, local_now(ctx), rules.window)
    customer = await Customer.get(id=order.customer_id)
    new = NewJob(customer, start, end, await _items_of(order.id), "", "", order_id=order.id)
    job = await create_job(ctx.tenant.id, new, ctx.employee, ctx.clock.now(), today(ctx))
    shown = card(job, customer, None, ctx.tenant.timezone)
    after = BOOKED if start is not None else BOOKED_NO_TIME
    return f"{shown}\n{after.format(tail=tail(job))}"


async def _items_of(order_id: int) -> str:
    lines = await OrderLine.filter(order_id=order_id).order_by("position")
    names = {p.id: p.name for p in await Product.filter(id__in=[x.product_id for x in lines])}
    return "、".join(f"{names[x.product_id]}{x.qty}{x.unit}" for x in lines)
