"""Orders' shipments take goods out of stock (销售出库) when the tenant has the ERP-lite
module: the order capability's ``on_shipped`` hook (``bot.orders.hooks``), posted through the
same guarded path as any stock-out. Short stock refuses the whole shipment, which the 发货
handler's transaction then rolls back; each shipment line posts under its own key, so a
shipment is never taken out twice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.erp.stock import Move, Shortage, amount, post
from bot.erp.warehouses import default_warehouse
from bot.orders.hooks import OrderHooks, Shipped
from models.erp import MoveKind
from models.products import Product

MODULE = "erp"
SHORT = "{refusal}没有发货。先入库或调拨到{warehouse}，再发货。"
LEFT = "已从{warehouse}出库，还剩：{items}。"

OpenModules = Callable[[Context], Awaitable[frozenset[str]]]


def stock_hooks(open_modules: OpenModules) -> OrderHooks:
    async def take_out_of_stock(ctx: Context, shipped: Shipped) -> str:
        if MODULE not in await open_modules(ctx):
            return ""
        return await post_shipment(ctx, shipped)

    return OrderHooks(on_shipped=take_out_of_stock)


async def post_shipment(ctx: Context, shipped: Shipped) -> str:
    now = ctx.clock.now()
    warehouse = await default_warehouse(ctx.tenant.id, now)
    ids = [view.line.product_id for view, _ in shipped.lines]
    products = {p.id: p for p in await Product.filter(id__in=ids)}
    moves = [
        Move(
            products[view.line.product_id],
            warehouse,
            -qty,
            MoveKind.SALE_OUT,
            reference=shipped.order.number,
            key=f"ship:{shipped.shipment.id}:{view.line.id}",
        )
        for view, qty in shipped.lines
    ]
    actor = ctx.employee.id if ctx.employee is not None else None
    try:
        posted = await post(ctx.tenant.id, moves, actor, now)
    except Shortage as short:
        raise UserFacingError(
            SHORT.format(refusal=short.message, warehouse=warehouse.name), short.kept
        ) from short
    items = "、".join(
        f"{result.move.product.name} {amount(result.on_hand, result.move.product.unit)}"
        for result in posted
    )
    return LEFT.format(warehouse=warehouse.name, items=items)
