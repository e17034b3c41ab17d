"""入库, 出库, 领用 and 调拨: each posts through the guarded path and answers with the balance."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.erp import phrasings
from bot.erp.catalog import product_or_refusal
from bot.erp.inquiry import product_total
from bot.erp.stock import Move, amount, post
from bot.erp.warehouses import default_warehouse, named_warehouse, warehouse_or_refusal
from bot.erp.wording import stock_amount
from bot.erp.words import ITEM_ARGS, ItemAsked, check_unit, read_item, read_route, words_of
from models.erp import MoveKind, Warehouse
from models.products import Product

router = Router(__name__, title="进销存", module="erp")

IN_USAGE = "请按这个格式写：入库 商品 数量，例如：入库 A4纸 50箱（入别的仓库：入库 A4纸 50箱 门店）"
OUT_USAGE = "请按这个格式写：出库 商品 数量，例如：出库 A4纸 3箱（从别的仓库：出库 A4纸 3箱 门店）"
ISSUE_USAGE = "请按这个格式写：领用 商品 数量 领用人，例如：领用 A4纸 3箱 张三"
MOVE_USAGE = "请按这个格式写：调拨 商品 数量 从哪到哪，例如：调拨 A4纸 10箱 总仓到门店"
STOCKED_IN = "已入库：{product} {qty} → {warehouse}。{warehouse}现有 {after}。"
STOCKED_OUT = "已出库：{product} {qty}（{warehouse}）。{warehouse}还剩 {after}。"
ISSUED = "{member} 领用 {product} {qty}（{warehouse}）。{warehouse}还剩 {after}。"
MOVED = (
    "已调拨：{product} {qty}，{source} → {target}。{source}还剩 {source_after}，"
    "{target}现有 {target_after}。"
)
SAME_PLACE = "调出和调入是同一个仓库「{name}」，不用调拨。"
LOW = "提醒：「{product}」各仓合计只剩 {total}，已到预警线 {line}。"


@router.command(
    "入库",
    args_like=ITEM_ARGS,
    slots=("details", "count", "note"),
    fill="入库 {details}",
    examples=phrasings.STOCK_IN_EXAMPLES,
    phrasings=phrasings.STOCK_IN,
)
async def stock_in(ctx: Context) -> str:
    """入库 A4纸 50箱（可写仓库和备注：入库 A4纸 50箱 门店 展会退回）"""
    item = read_item(ctx.args, IN_USAGE)
    product = await _product(ctx, item)
    warehouse, note = await _place_and_note(ctx, item.rest)
    move = Move(product, warehouse, item.qty, MoveKind.STOCK_IN, note=note)
    [posted] = await post(ctx.tenant.id, [move], _actor(ctx), ctx.clock.now())
    return STOCKED_IN.format(
        product=product.name,
        qty=amount(item.qty, product.unit),
        warehouse=warehouse.name,
        after=stock_amount(posted.on_hand, product.unit),
    )


@router.command(
    "出库",
    args_like=ITEM_ARGS,
    slots=("details", "count", "note"),
    fill="出库 {details}",
    examples=phrasings.STOCK_OUT_EXAMPLES,
    phrasings=phrasings.STOCK_OUT,
)
async def stock_out(ctx: Context) -> str:
    """出库 A4纸 3箱（可写仓库和原因：出库 A4纸 3箱 门店 破损）"""
    item = read_item(ctx.args, OUT_USAGE)
    product = await _product(ctx, item)
    warehouse, note = await _place_and_note(ctx, item.rest)
    move = Move(product, warehouse, -item.qty, MoveKind.STOCK_OUT, note=note)
    [posted] = await post(ctx.tenant.id, [move], _actor(ctx), ctx.clock.now())
    reply = STOCKED_OUT.format(
        product=product.name,
        qty=amount(item.qty, product.unit),
        warehouse=warehouse.name,
        after=stock_amount(posted.on_hand, product.unit),
    )
    return reply + await _low_note(ctx, product)


@router.command(
    "领用",
    args_like=ITEM_ARGS,
    slots=("details", "count", "who"),
    fill="领用 {details}",
    examples=phrasings.ISSUE_EXAMPLES,
    phrasings=phrasings.ISSUE,
)
async def issue_stock(ctx: Context) -> str:
    """领用 A4纸 3箱 张三（不写领用人就是自己）"""
    item = read_item(ctx.args, ISSUE_USAGE)
    product = await _product(ctx, item)
    warehouse, rest = await _place_and_note(ctx, item.rest)
    member, _, note = rest.partition(" ")
    if member in ("", "我", "自己", "本人"):
        member = _speaker(ctx)
    move = Move(product, warehouse, -item.qty, MoveKind.ISSUE, member=member, note=note)
    [posted] = await post(ctx.tenant.id, [move], _actor(ctx), ctx.clock.now())
    reply = ISSUED.format(
        member=member,
        product=product.name,
        qty=amount(item.qty, product.unit),
        warehouse=warehouse.name,
        after=stock_amount(posted.on_hand, product.unit),
    )
    return reply + await _low_note(ctx, product)


@router.command(
    "调拨",
    "调货",
    "移库",
    args_like=ITEM_ARGS,
    slots=("details", "count", "source", "target"),
    fill="调拨 {details}",
    examples=phrasings.TRANSFER_EXAMPLES,
    phrasings=phrasings.TRANSFER,
)
async def transfer_stock(ctx: Context) -> str:
    """调拨 A4纸 10箱 总仓到门店"""
    item = read_item(ctx.args, MOVE_USAGE)
    route = read_route(item.rest)
    if route is None:
        raise UserFacingError(MOVE_USAGE)
    product = await _product(ctx, item)
    now = ctx.clock.now()
    source = (
        await warehouse_or_refusal(ctx.tenant.id, route[0], now)
        if route[0]
        else await default_warehouse(ctx.tenant.id, now)
    )
    target = await warehouse_or_refusal(ctx.tenant.id, route[1], now)
    if source.id == target.id:
        raise UserFacingError(SAME_PLACE.format(name=source.name))
    out, into = await post(
        ctx.tenant.id,
        [
            Move(product, source, -item.qty, MoveKind.TRANSFER_OUT, reference=target.name),
            Move(product, target, item.qty, MoveKind.TRANSFER_IN, reference=source.name),
        ],
        _actor(ctx),
        now,
    )
    return MOVED.format(
        product=product.name,
        qty=amount(item.qty, product.unit),
        source=source.name,
        target=target.name,
        source_after=stock_amount(out.on_hand, product.unit),
        target_after=amount(into.on_hand, product.unit),
    )


async def _product(ctx: Context, item: ItemAsked) -> Product:
    product = await product_or_refusal(ctx.tenant.id, item.name)
    check_unit(product, item.unit)
    return product


async def _place_and_note(ctx: Context, rest: str) -> tuple[Warehouse, str]:
    """The warehouse a word of ``rest`` names (else the default), and the other words."""
    words = words_of(rest)
    for index, word in enumerate(words):
        found = await named_warehouse(ctx.tenant.id, word.removeprefix("从").removeprefix("到"))
        if found is not None:
            return found, " ".join(words[:index] + words[index + 1 :])
    return await default_warehouse(ctx.tenant.id, ctx.clock.now()), " ".join(words)


async def _low_note(ctx: Context, product: Product) -> str:
    if product.min_qty is None:
        return ""
    total = await product_total(ctx.tenant.id, product.id)
    if total > product.min_qty:
        return ""
    return "\n" + LOW.format(
        product=product.name,
        total=amount(total, product.unit),
        line=amount(product.min_qty, product.unit),
    )


def _actor(ctx: Context) -> int | None:
    return ctx.employee.id if ctx.employee is not None else None


def _speaker(ctx: Context) -> str:
    if ctx.employee is not None:
        return ctx.employee.name or ctx.employee.userid
    return ctx.update.user_id or ""
