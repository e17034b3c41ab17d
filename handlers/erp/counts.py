"""开始盘点, 盘 A4纸 97, 盘点差异, 确认盘点 and 取消盘点."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.erp import counts, setup_phrasings
from bot.erp.catalog import product_or_refusal
from bot.erp.stock import amount
from bot.erp.warehouses import default_warehouse, named_warehouse, warehouse_or_refusal
from bot.erp.words import ITEM_ARGS, read_item
from bot.subscription.money import format_fen
from models.erp import CountState, StockCount, Warehouse
from models.tenants import Role

router = Router(__name__, title="进销存", module="erp")

# 盘点差异 takes a count's number at most ("盘点差异 0001"), not the rest of a sentence.
COUNT_NUMBER_ARGS = re.compile(r"^(?:PD-?)?\d")

STARTED = (
    "已开始盘点 {number}（{warehouse}）。大家发送「盘 商品 数量」录入实盘数，"
    "「盘点差异」查看差异，管理员发送「确认盘点 {tail}」入账。"
)
RECORD_USAGE = "请按这个格式写：盘 商品 实盘数量，例如：盘 A4纸 97"
RECORDED = "已记下：{product} 实盘 {counted}（账面 {book}，{diff}），盘点 {number}。"
NO_LINES = "盘点 {number}（{warehouse}）还没有录入。发送「盘 商品 数量」录入。"
HEAD = "盘点 {number}（{warehouse}，{state}）已盘 {count} 种："
TOTAL = "合计差异金额 {value}（按进价）"
MOVED = "（盘点后有出入库，确认时差额叠加在现有库存上）"
CONFIRMED = "已确认盘点 {number}：{posted}。"
NOTHING_POSTED = "已确认盘点 {number}，账实相符，没有差异。"
ALREADY = "盘点 {number} 已经确认过了。"
CANCELLED = "已取消盘点 {number}，没有入账。"


def _diff(qty: int, unit: str) -> str:
    if qty == 0:
        return "相符"
    return ("盘盈 " if qty > 0 else "盘亏 ") + amount(abs(qty), unit)


def _tail(count: StockCount) -> str:
    return f"{count.seq:04d}"


async def _warehouse_named(ctx: Context, text: str) -> Warehouse | None:
    return await named_warehouse(ctx.tenant.id, text.strip()) if text.strip() else None


@router.command(
    "开始盘点",
    "新建盘点",
    "发起盘点",
    roles=(Role.ADMIN,),
    slots=("details",),
    examples=setup_phrasings.COUNT_START_EXAMPLES,
    phrasings=setup_phrasings.COUNT_START,
)
async def start_count(ctx: Context) -> str:
    """开始盘点 总仓（管理员；不写仓库就是默认仓库）"""
    now = ctx.clock.now()
    name = ctx.args.strip()
    warehouse = (
        await warehouse_or_refusal(ctx.tenant.id, name, now)
        if name
        else await default_warehouse(ctx.tenant.id, now)
    )
    today = now.astimezone(ctx.tenant.timezone).date()
    count = await counts.start_count(ctx.tenant.id, warehouse, ctx.employee, now, today)
    return STARTED.format(number=count.number, warehouse=warehouse.name, tail=_tail(count))


@router.command(
    "盘",
    "盘点录入",
    args_like=ITEM_ARGS,
    slots=("details", "count"),
    fill="盘 {details} {count}",
    examples=setup_phrasings.COUNT_RECORD_EXAMPLES,
    phrasings=setup_phrasings.COUNT_RECORD,
)
async def record_count(ctx: Context) -> str:
    """盘 A4纸 97：录入实盘数（进行中的盘点；可写仓库：盘 A4纸 97 门店）"""
    item = read_item(ctx.args, RECORD_USAGE) if ctx.args.strip() else None
    if item is None:
        raise UserFacingError(RECORD_USAGE)
    product = await product_or_refusal(ctx.tenant.id, item.name)
    count = await counts.find_count(ctx.tenant.id, "", await _warehouse_named(ctx, item.rest))
    line = await counts.record(count, product, item.qty, ctx.employee, ctx.clock.now())
    unit = product.unit
    return RECORDED.format(
        product=product.name,
        counted=amount(line.counted, unit),
        book=amount(line.book_qty, unit),
        diff=_diff(line.counted - line.book_qty, unit),
        number=count.number,
    )


@router.command(
    "盘点差异",
    "盘点结果",
    "盘点报告",
    args_like=COUNT_NUMBER_ARGS,
    examples=setup_phrasings.COUNT_DIFFERENCES_EXAMPLES,
    phrasings=setup_phrasings.COUNT_DIFFERENCES,
)
async def show_differences(ctx: Context) -> str:
    """盘点差异 [0001]：各商品账面、实盘、差异数量和金额"""
    count = await counts.find_count(ctx.tenant.id, ctx.args.strip())
    warehouse = await Warehouse.get(id=count.warehouse_id)
    found = await counts.differences(count)
    if not found:
        return NO_LINES.format(number=count.number, warehouse=warehouse.name)
    state = counts.STATE_WORDS[count.state]
    lines = [
        HEAD.format(number=count.number, warehouse=warehouse.name, state=state, count=len(found))
    ]
    total = 0
    for item in found:
        product = item.line.product
        value = item.value_fen
        total += value or 0
        money = f" · {format_fen(value)}" if value else ""
        lines.append(
            f"{product.name}：账面 {item.line.book_qty} · 实盘 {item.line.counted} · "
            f"{_diff(item.qty, product.unit)}{money}" + (MOVED if item.moved_since else "")
        )
    lines.append(TOTAL.format(value=format_fen(total)))
    return "\n".join(lines)


@router.command(
    "确认盘点",
    roles=(Role.ADMIN,),
    slots=("order",),
    examples=setup_phrasings.COUNT_CONFIRM_EXAMPLES,
    phrasings=setup_phrasings.COUNT_CONFIRM,
)
async def confirm_count(ctx: Context) -> str:
    """确认盘点 0001：把差异入账（管理员）"""
    count = await counts.find_count(ctx.tenant.id, ctx.args.strip())
    posted = await counts.confirm(count, ctx.employee, ctx.clock.now())
    if posted is None:
        await count.refresh_from_db()
        if count.state is CountState.CONFIRMED:
            return ALREADY.format(number=count.number)
        raise UserFacingError(counts.NOT_OPEN.format(number=count.number, state="取消"))
    if not posted:
        return NOTHING_POSTED.format(number=count.number)
    items = "；".join(
        f"{p.move.product.name} {_diff(p.move.qty, p.move.product.unit)}，"
        f"现有 {amount(p.on_hand, p.move.product.unit)}"
        for p in posted
    )
    return CONFIRMED.format(number=count.number, posted=items)


@router.command(
    "取消盘点",
    "作废盘点",
    roles=(Role.ADMIN,),
    slots=("order",),
    examples=setup_phrasings.COUNT_CANCEL_EXAMPLES,
    phrasings=setup_phrasings.COUNT_CANCEL,
)
async def cancel_count(ctx: Context) -> str:
    """取消盘点 0001（管理员）"""
    count = await counts.find_count(ctx.tenant.id, ctx.args.strip())
    if not await counts.cancel(count, ctx.clock.now()):
        raise UserFacingError(
            counts.NOT_OPEN.format(number=count.number, state=counts.STATE_WORDS[count.state])
        )
    return CANCELLED.format(number=count.number)
