"""Finding the order a chat command names, and the local day the tenant is on."""

from __future__ import annotations

from datetime import date, datetime

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.orders.numbers import find_order
from models.orders import Order

NOT_FOUND = (
    "没有找到订单「{ref}」。发送「我的订单」看你的订单，或写完整编号，例如：订单 DD-20261123-0001"
)


def local_now(ctx: Context) -> datetime:
    return ctx.clock.now().astimezone(ctx.tenant.timezone)


def today(ctx: Context) -> date:
    return local_now(ctx).date()


async def order_or_refusal(ctx: Context, ref: str) -> Order:
    order = await find_order(ctx.tenant.id, ref)
    if order is None:
        raise UserFacingError(NOT_FOUND.format(ref=ref))
    return order
