"""发货: part or all of an order, never more than was ordered."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.orders import moves, phrasings
from bot.orders.access import order_or_refusal, today
from bot.orders.hooks import Shipped, hooks_of
from bot.orders.numbers import LEADING_REF, split_ref
from bot.orders.progress import DELIVERY_WORDS
from bot.orders.shipping_words import USAGE, read_shipment
from bot.orders.view import LineView
from models.orders import OrderState, Shipment

router = Router(__name__, title="订单", module="orders")

SHIPPED = "已发货，订单 {number}：{items}{carrier}。{status}。"
COMPLETED = "订单 {number} 已付清并全部发货，已完成。"


@router.command(
    "发货",
    args_like=LEADING_REF,
    slots=("order", "details", "tracking", "source", "goods", "qty"),
    fill="发货 {order} {details?}",
    examples=phrasings.SHIP_EXAMPLES,
    phrasings=phrasings.SHIP,
)
async def ship_order(ctx: Context) -> str:
    """发货 0001 A4纸 10箱 顺丰 SF123456（可以分批发；从别的仓库：从门店）"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(USAGE)
    ref, rest = split
    asked = read_shipment(rest)
    order = await order_or_refusal(ctx, ref)
    was = order.state
    hooks, notes = hooks_of(ctx), []

    async def shipped(shipment: Shipment, lines: list[tuple[LineView, int]]) -> None:
        notes.append(
            await hooks.on_shipped(ctx, Shipped(order, shipment, tuple(lines), asked.source))
        )

    picked, view = await moves.ship(
        order, asked, ctx.employee, ctx.clock.now(), today(ctx), after=shipped
    )
    items = "、".join(f"{item.name} {qty}{item.line.unit}" for item, qty in picked)
    carrier = " ".join(w for w in (asked.carrier, asked.tracking_no) if w)
    left = [f"{v.name} {v.left_to_ship}{v.line.unit}" for v in view.lines if v.left_to_ship]
    status = DELIVERY_WORDS[view.delivery] + (f"，还差 {'、'.join(left)}" if left else "")
    reply = SHIPPED.format(
        number=order.number,
        items=items,
        carrier=f"（{carrier}）" if carrier else "",
        status=status,
    )
    reply += "".join(f"\n{note}" for note in notes if note)
    if was is not OrderState.COMPLETED and order.state is OrderState.COMPLETED:
        reply += "\n" + COMPLETED.format(number=order.number)
    return reply
