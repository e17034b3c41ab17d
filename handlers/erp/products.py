"""新增商品, 商品 A4纸, 商品设置 (admins), 新增仓库 and 仓库."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import NOTHING_MORE, Router
from bot.erp import phrasings, setup_phrasings
from bot.erp.catalog import USAGE, product_fields, product_or_refusal, read_product, save_product
from bot.erp.inquiry import product_levels
from bot.erp.product_settings import negative_words, read_setting, save_negative
from bot.erp.warehouses import add_warehouse, warehouses_of
from bot.erp.wording import level_lines
from bot.erp.words import NAME_ARGS
from models.tenants import Role

router = Router(__name__, title="进销存", module="erp")

CREATED = "已新增商品「{name}」。"
UPDATED = "已更新商品「{name}」。"
SHOW_USAGE = "请写上商品名，例如：商品 A4纸"
WAREHOUSE_USAGE = "请写上仓库名，例如：新增仓库 门店"
WAREHOUSE_ADDED = "已新增仓库「{name}」。入库到这里：入库 商品 数量 {name}"
WAREHOUSES = "仓库（{count} 个）：{names}"
SETTING_SHOWN = (
    "「{name}」的商品设置：{negative}。\n修改：商品设置 {name} 允许负库存 / 不允许负库存"
)
SETTING_SAVED = "已设置「{name}」：{negative}。"
SETTING_SAME = "「{name}」已经是{negative}，没有改动。"
SETTING_USAGE = "请写上商品名，例如：商品设置 A4纸 允许负库存"


@router.command(
    "新增商品",
    "添加商品",
    "新建商品",
    "商品建档",
    slots=("details", "note"),
    examples=setup_phrasings.PRODUCT_ADD_EXAMPLES,
    phrasings=setup_phrasings.PRODUCT_ADD,
)
async def add_product(ctx: Context) -> str:
    """新增商品 A4纸 单位箱 条码6901234567890 售价25 进价18 预警10"""
    if not ctx.args.strip():
        raise UserFacingError(USAGE)
    saved = await save_product(ctx.tenant.id, read_product(ctx.args), ctx.clock.now())
    product = saved.product
    head = (CREATED if saved.created else UPDATED).format(name=product.name)
    return "\n".join([head, *product_fields(product)])


@router.command(
    "商品",
    "查商品",
    args_like=NAME_ARGS,
    slots=("details",),
    examples=setup_phrasings.PRODUCT_SHOW_EXAMPLES,
    phrasings=setup_phrasings.PRODUCT_SHOW,
)
async def show_product(ctx: Context) -> str:
    """商品 A4纸：单位、条码、价格、预警和各仓库存"""
    if not ctx.args.strip():
        raise UserFacingError(SHOW_USAGE)
    product = await product_or_refusal(ctx.tenant.id, ctx.args)
    levels = await product_levels(ctx.tenant.id, product)
    return "\n".join(
        [
            f"商品「{product.name}」",
            *product_fields(product, in_stock=sum(level.on_hand for level in levels) > 0),
            *level_lines(product, levels),
        ]
    )


@router.command(
    "商品设置",
    roles=(Role.ADMIN,),
    slots=("details", "setting", "verb"),
    fill="商品设置 {details} {setting?}",
    examples=phrasings.PRODUCT_SETTING_EXAMPLES,
    phrasings=phrasings.PRODUCT_SETTING,
)
async def product_settings(ctx: Context) -> str:
    """（管理员）商品设置 A4纸 允许负库存 / 不允许负库存（默认不允许）"""
    if not ctx.args.strip():
        raise UserFacingError(SETTING_USAGE)
    asked = read_setting(ctx.args)
    product = await product_or_refusal(ctx.tenant.id, asked.name)
    if asked.allow_negative is None:
        return SETTING_SHOWN.format(name=product.name, negative=negative_words(product))
    changed = await save_negative(product, asked.allow_negative, ctx.clock.now())
    template = SETTING_SAVED if changed else SETTING_SAME
    return template.format(name=product.name, negative=negative_words(product))


@router.command(
    "新增仓库",
    "添加仓库",
    "新建仓库",
    roles=(Role.ADMIN,),
    slots=("details",),
    examples=setup_phrasings.WAREHOUSE_ADD_EXAMPLES,
    phrasings=setup_phrasings.WAREHOUSE_ADD,
)
async def create_warehouse(ctx: Context) -> str:
    """新增仓库 门店（管理员）"""
    if not ctx.args.strip():
        raise UserFacingError(WAREHOUSE_USAGE)
    warehouse = await add_warehouse(ctx.tenant.id, ctx.args, ctx.clock.now())
    return WAREHOUSE_ADDED.format(name=warehouse.name)


# Its examples are whole questions (有哪些仓库), none of two words and none starting with its
# word (its canonical form is the word alone): "仓库的空调又坏了" is closer to a two-word example
# than to anything else, and is no request; the command takes nothing but a particle after it.
@router.command(
    "仓库",
    "仓库列表",
    args_like=NOTHING_MORE,
    examples=setup_phrasings.WAREHOUSE_LIST_EXAMPLES,
    phrasings=phrasings.WAREHOUSES + setup_phrasings.WAREHOUSE_LIST,
)
async def list_warehouses(ctx: Context) -> str:
    """仓库：列出所有仓库"""
    found = await warehouses_of(ctx.tenant.id, ctx.clock.now())
    names = "、".join(w.name + ("（默认）" if w.is_default else "") for w in found)
    return WAREHOUSES.format(count=len(found), names=names)
