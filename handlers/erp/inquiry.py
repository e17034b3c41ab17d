"""库存, 低库存, 流水 and 库存核对; and "A4纸还有多少" when A4纸 is a product here."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.erp import phrasings
from bot.erp.catalog import find_product, product_or_refusal
from bot.erp.check import CheckReport, check_stock
from bot.erp.inquiry import LIST_LIMIT, ledger, low_stock, product_levels, warehouse_holdings
from bot.erp.stock import amount
from bot.erp.warehouses import named_warehouse
from bot.erp.wording import KIND_WORDS, check_words, level_lines, stock_amount
from bot.erp.words import NAME_ARGS
from bot.orders.periods import span_named
from models.erp import Warehouse
from models.products import Product
from models.tenants import Role

router = Router(__name__, title="进销存", module="erp")
# "A4纸还有多少" is sure once A4纸 is a product here: taken before any guessing.
questions = Router(f"{__name__}.questions", title="进销存", module="erp", tier=Tier.RECOGNISED)

EMPTY_WAREHOUSE = "{name}还没有货。"
WAREHOUSE_HEAD = "{name}库存（{count} 种）："
MORE = "……还有 {count} 种没列出，发送「库存 商品名」看某一种。"
NO_LOW = "没有低于预警线的商品。给商品设预警：新增商品 A4纸 预警10"
LOW_HEAD = "低库存（在库不高于预警线）{count} 种："
LEDGER_USAGE = "请写上商品，例如：流水 A4纸 本月"
LEDGER_HEAD = "「{name}」{period}流水（{count} 条{shown}）："
NO_MOVES = "「{name}」{period}没有出入库记录。"
SHOW_USAGE = "请写上商品或仓库，例如：库存 A4纸、库存 门店"
# What a question about a stock level ends with: 还有多少, 还剩几箱, 有多少了吗.
_QUESTION = re.compile(
    r"^(?P<name>[^\s，,。？?]{1,32}?)(?:的)?(?:库存|存货)?(?:还有|还剩|剩下|剩|有)(?:多少|几)"
    r"(?:[箱个件台包盒瓶本张只套]|库存|货)?(?:了|呢|啊)?[\s?？。!！]*$"
)
_TRIM = re.compile(
    r"(?:的)?(?:库存|存货)?(?:还有|还剩|剩下|剩|有)?(?:多少|几)?(?:了|呢|吗)?[\s?？。!！]*$"
)
_LOCAL_SPANS = {"今天": 0, "昨天": 1}


@router.command(
    "库存",
    "查库存",
    "库存查询",
    args_like=NAME_ARGS,
    slots=("details",),
    examples=phrasings.SHOW_EXAMPLES,
    phrasings=phrasings.SHOW,
)
async def show_stock(ctx: Context) -> str:
    """库存 A4纸（各仓：在库、占用、可用、在途）；库存 门店（这个仓库有什么）"""
    return await _stock_of(ctx, _TRIM.sub("", ctx.args.strip()) if ctx.args.strip() else "")


async def _stock_of(ctx: Context, name: str) -> str:
    if not name:
        raise UserFacingError(SHOW_USAGE)
    warehouse = await named_warehouse(ctx.tenant.id, name) or await named_warehouse(
        ctx.tenant.id, name.removesuffix("仓库")
    )
    if warehouse is not None:
        return await _warehouse_stock(ctx, warehouse)
    product = await product_or_refusal(ctx.tenant.id, name)
    return await _product_stock(ctx, product)


async def _product_stock(ctx: Context, product: Product) -> str:
    levels = await product_levels(ctx.tenant.id, product)
    unit = f"（单位：{product.unit}）" if product.unit else ""
    return "\n".join([f"「{product.name}」库存{unit}", *level_lines(product, levels)])


async def _warehouse_stock(ctx: Context, warehouse: Warehouse) -> str:
    holdings, total = await warehouse_holdings(ctx.tenant.id, warehouse)
    if not holdings:
        return EMPTY_WAREHOUSE.format(name=warehouse.name)
    lines = [WAREHOUSE_HEAD.format(name=warehouse.name, count=total)]
    for item in holdings:
        reserved = (
            f"（可用 {amount(item.on_hand - item.reserved, item.unit)}）" if item.reserved else ""
        )
        lines.append(f"{item.product} {stock_amount(item.on_hand, item.unit)}{reserved}")
    if total > len(holdings):
        lines.append(MORE.format(count=total - len(holdings)))
    return "\n".join(lines)


async def _is_stock_question(ctx: Context) -> dict[str, str] | bool:
    """A4纸还有多少 / 门店还剩几箱: only when the name is a product or warehouse here."""
    found = _QUESTION.match(ctx.update.text.strip())
    if found is None:
        return False
    name = found["name"]
    if await named_warehouse(ctx.tenant.id, name) is not None:
        return {"args": name}
    try:
        product = await find_product(ctx.tenant.id, name)
    except UserFacingError:
        return False
    return {"args": name} if product is not None and product.name == name else False


@questions.message(_is_stock_question, intent="erp.ask_stock")
async def ask_stock(ctx: Context) -> str:
    return await _stock_of(ctx, ctx.args)


@router.command(
    "低库存", "缺货", "库存预警", examples=phrasings.LOW_EXAMPLES, phrasings=phrasings.LOW
)
async def show_low_stock(ctx: Context) -> str:
    """低库存：各仓合计不高于预警线的商品"""
    low = await low_stock(ctx.tenant.id)
    if not low:
        return NO_LOW
    lines = [LOW_HEAD.format(count=len(low))]
    for item in low[:LIST_LIMIT]:
        unit = item.product.unit
        coming = f"，在途 {amount(item.on_order, unit)}" if item.on_order else ""
        lines.append(
            f"{item.product.name} {amount(item.on_hand, unit)}"
            f"（预警 {amount(item.product.min_qty or 0, unit)}{coming}）"
        )
    return "\n".join(lines)


@router.command(
    "流水",
    "库存流水",
    "出入库记录",
    args_like=NAME_ARGS,
    slots=("details", "period"),
    fill="流水 {details}",
    examples=phrasings.LEDGER_EXAMPLES,
    phrasings=phrasings.LEDGER,
)
async def show_ledger(ctx: Context) -> str:
    """流水 A4纸 本月（可写 今天、昨天、本周、上月、本季；不写就是最近的）"""
    text = ctx.args.strip()
    if not text:
        raise UserFacingError(LEDGER_USAGE)
    today = ctx.clock.now().astimezone(ctx.tenant.timezone).date()
    name, label, bounds = _period(text, today, ctx)
    product = await product_or_refusal(ctx.tenant.id, name)
    moves, total = await ledger(ctx.tenant.id, product, *bounds)
    if not moves:
        return NO_MOVES.format(name=product.name, period=label)
    shown = f"，列出最近 {len(moves)} 条" if total > len(moves) else ""
    lines = [LEDGER_HEAD.format(name=product.name, period=label, count=total, shown=shown)]
    tz = ctx.tenant.timezone
    for move in moves:
        at = move.at.astimezone(tz)
        sign = "+" if move.qty_delta > 0 else "−"
        who = move.member or (move.actor.name if move.actor else "")
        where = f"{move.warehouse.name}"
        ref = f" {move.reference}" if move.reference else ""
        lines.append(
            f"{at:%m-%d %H:%M} {KIND_WORDS[move.kind]} {sign}{abs(move.qty_delta)} {where}{ref}"
            f" 结存 {move.balance_after}" + (f" · {who}" if who else "")
        )
    return "\n".join(lines)


def _period(
    text: str, today: date, ctx: Context
) -> tuple[str, str, tuple[datetime | None, datetime | None]]:
    """(product, the period's words, [start, end)) of ``A4纸 本月`` / ``A4纸本月``."""
    tz = ctx.tenant.timezone
    for word in sorted(
        {*_LOCAL_SPANS, "本周", "这周", "上周", *_SPAN_WORDS}, key=len, reverse=True
    ):
        if not text.endswith(word):
            continue
        name = text.removesuffix(word).strip().removesuffix("的").strip()
        if word in _LOCAL_SPANS:
            day = today - timedelta(days=_LOCAL_SPANS[word])
            return name, word, _days(day, day + timedelta(days=1), tz)
        if word in ("本周", "这周", "上周"):
            monday = today - timedelta(days=today.weekday() + (7 if word == "上周" else 0))
            return name, word, _days(monday, monday + timedelta(days=7), tz)
        span = span_named(word, today)
        assert span is not None
        return name, span.label, span.bounds(tz)
    return text, "最近", (None, None)


_SPAN_WORDS = ("本月", "上月", "本季", "上季", "这个月", "上个月", "本季度", "上季度", "这月")


def _days(start: date, end: date, tz: object) -> tuple[datetime, datetime]:
    return datetime.combine(start, time(), tz), datetime.combine(end, time(), tz)  # type: ignore[arg-type]


@router.command(
    "库存核对",
    roles=(Role.ADMIN,),
    examples=phrasings.CHECK_EXAMPLES,
    phrasings=phrasings.CHECK,
)
async def check_ledger(ctx: Context) -> str:
    """库存核对：用流水重算每个库存余额，报告不一致（管理员）"""
    report: CheckReport = await check_stock(ctx.tenant.id)
    return check_words(report)
