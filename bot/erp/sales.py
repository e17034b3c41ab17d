"""Orders and stock when the tenant has the ERP-lite module, through the order capability's
hooks (``bot.orders.hooks``): confirming holds each line's goods in the default warehouse
(库存占用, ``bot.erp.reservations``), as much as is free, and says what is short; cancelling
gives back what is still held; a shipment takes goods out of stock (销售出库) through the same
guarded path as any stock-out, its own reservation first (on_hand and reserved down
together), so an order's hold never blocks its own shipment. The goods leave the warehouse
the person named (``从门店``) or the default one (a hold in another warehouse is then given
back there). Short stock refuses the whole shipment, which the 发货 handler's
transaction then rolls back, and says which other warehouse could ship it all; each shipment
line posts under its own key, so a shipment is never taken out twice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.erp.reservations import (
    Freed,
    Held,
    holds_of,
    release_order,
    reserve_order,
    take_for_shipment,
)
from bot.erp.stock import Move, Release, Shortage, amount, available, post
from bot.erp.warehouses import default_warehouse, warehouse_said, warehouses_of
from bot.orders.hooks import OrderHooks, Shipped
from bot.orders.numbers import tail
from models.erp import MoveKind, Warehouse
from models.orders import Order
from models.products import Product

MODULE = "erp"
SHORT = "{refusal}没有发货。先入库或调拨到{warehouse}，再发货。"
ELSEWHERE = "{refusal}没有发货。{warehouse}有 {there}，可以写：{command}"
UNKNOWN = "没有找到仓库「{name}」，没有发货。现有仓库：{names}。可以写：{command}"
LEFT = "已从{warehouse}出库，还剩：{items}。"
HELD = "已占用库存：{items}"
SHORT_HELD = "缺 {items}，到货后可发货"
NONE_HELD = "库存不足，没有占用"
FREED = "已释放库存占用：{items}。"

OpenModules = Callable[[Context], Awaitable[frozenset[str]]]


def stock_hooks(open_modules: OpenModules) -> OrderHooks:
    async def take_out_of_stock(ctx: Context, shipped: Shipped) -> str:
        if MODULE not in await open_modules(ctx):
            return ""
        return await post_shipment(ctx, shipped)

    async def hold_for_order(ctx: Context, order: Order) -> str:
        if MODULE not in await open_modules(ctx):
            return ""
        now = ctx.clock.now()
        warehouse = await default_warehouse(ctx.tenant.id, now)
        return held_words(await reserve_order(ctx.tenant.id, order.id, warehouse, now))

    async def give_back(ctx: Context, order: Order) -> str:
        # Whatever was held is given back even if the module has closed since: a hold
        # nobody can release would keep its stock from everyone.
        return freed_words(await release_order(order.id, ctx.clock.now()))

    return OrderHooks(
        on_shipped=take_out_of_stock, on_confirmed=hold_for_order, on_cancelled=give_back
    )


def held_words(held: list[Held]) -> str:
    """已占用库存：A4纸 15箱（总仓）；缺 A4纸 5箱，到货后可发货。"""
    if not held:
        return ""
    kept = "、".join(f"{h.name} {amount(h.held, h.unit)}（{h.warehouse}）" for h in held if h.held)
    short = "、".join(f"{h.name} {amount(h.short, h.unit)}" for h in held if h.short)
    first = HELD.format(items=kept) if kept else NONE_HELD
    return first + (f"；{SHORT_HELD.format(items=short)}" if short else "") + "。"


def freed_words(freed: list[Freed]) -> str:
    if not freed:
        return ""
    items = "、".join(f"{f.name} {amount(f.qty, f.unit)}（{f.warehouse}）" for f in freed)
    return FREED.format(items=items)


async def post_shipment(ctx: Context, shipped: Shipped) -> str:
    now = ctx.clock.now()
    warehouse = await shipping_warehouse(ctx, shipped)
    ids = [view.line.product_id for view, _ in shipped.lines]
    products = {p.id: p for p in await Product.filter(id__in=ids)}
    moves: list[Move] = []
    releases: list[Release] = []
    # Reservations before balances, each in one order, as cancelling takes them.
    for view, qty in sorted(shipped.lines, key=lambda item: item[0].line.id):
        taken = await take_for_shipment(view.line.id, qty, warehouse.id, now)
        moves.append(
            Move(
                products[view.line.product_id],
                warehouse,
                -qty,
                MoveKind.SALE_OUT,
                reference=shipped.order.number,
                key=f"ship:{shipped.shipment.id}:{view.line.id}",
                reserved_used=taken.used,
            )
        )
        releases += [taken.release] if taken.release else []
    actor = ctx.employee.id if ctx.employee is not None else None
    try:
        posted = await post(ctx.tenant.id, moves, actor, now, releases)
    except Shortage as short:
        refusal = await _refusal(ctx, shipped, moves, releases, short)
        raise UserFacingError(refusal, short.kept) from short
    items = "、".join(
        f"{result.move.product.name} {amount(result.on_hand, result.move.product.unit)}"
        for result in posted
    )
    return LEFT.format(warehouse=warehouse.name, items=items)


async def shipping_warehouse(ctx: Context, shipped: Shipped) -> Warehouse:
    """The warehouse named in the 发货 line, or the default; an unknown name refuses the
    shipment with the names there are."""
    now = ctx.clock.now()
    if not shipped.source:
        return await default_warehouse(ctx.tenant.id, now)
    found = await warehouse_said(ctx.tenant.id, shipped.source)
    if found is not None:
        return found
    known = await warehouses_of(ctx.tenant.id, now)
    raise UserFacingError(
        UNKNOWN.format(
            name=shipped.source,
            names="、".join(w.name for w in known),
            command=ship_command(shipped, known[0]),
        )
    )


def ship_command(shipped: Shipped, warehouse: Warehouse) -> str:
    """The 发货 line that ships the same goods from ``warehouse``."""
    items = " ".join(f"{view.name} {qty}{view.line.unit}" for view, qty in shipped.lines)
    carrier = " ".join(w for w in (shipped.shipment.carrier, shipped.shipment.tracking_no) if w)
    words = ("发货", tail(shipped.order), items, f"从{warehouse.name}", carrier)
    return " ".join(w for w in words if w)


async def _refusal(
    ctx: Context, shipped: Shipped, moves: list[Move], releases: list[Release], short: Shortage
) -> str:
    """Why the shipment was refused, with the warehouse that has all of it when there is
    one (the most of the short product first). What this order holds in a warehouse is
    there for it (``releases``: the part of it this shipment was giving back)."""
    own = await holds_of(shipped.order.id)
    for release in releases:
        key = (release.product_id, release.warehouse_id)
        own[key] = own.get(key, 0) + release.qty
    here = short.move.warehouse
    wanted: dict[int, int] = {}
    for move in moves:
        wanted[move.product.id] = wanted.get(move.product.id, 0) - move.qty
    best: tuple[int, Warehouse] | None = None
    for other in await warehouses_of(ctx.tenant.id, ctx.clock.now()):
        if other.id == here.id:
            continue
        has = {pid: await available(pid, other.id) + own.get((pid, other.id), 0) for pid in wanted}
        enough = all(has[pid] >= qty for pid, qty in wanted.items())
        if enough and (best is None or has[short.move.product.id] > best[0]):
            best = (has[short.move.product.id], other)
    if best is None:
        return SHORT.format(refusal=short.message, warehouse=here.name)
    there, other = best
    return ELSEWHERE.format(
        refusal=short.message,
        warehouse=other.name,
        there=amount(there, short.move.product.unit),
        command=ship_command(shipped, other),
    )
