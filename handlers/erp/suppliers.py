"""新增供应商, 供应商 晨光, 供应商列表, 停用供应商 and 恢复供应商."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.erp import phrasings, setup_phrasings
from bot.erp.numbers import tail
from bot.erp.purchase_view import STATE_WORDS
from bot.erp.suppliers import USAGE, add_supplier, find_supplier, read_supplier, supplier_record
from bot.erp.words import NAME_ARGS
from bot.subscription.money import format_fen
from models.erp import Supplier
from models.tenants import Role

router = Router(__name__, title="进销存", module="erp")

ADDED = "已新增供应商「{name}」{contact}。向它采购：采购 {name} 商品 数量 单价"
SHOW_USAGE = "请写上供应商，例如：供应商 晨光"
NO_SUPPLIERS = "还没有供应商。新增发送：新增供应商 晨光文具 王五 13800000000"
SUPPLIERS = "供应商（{count} 家）："
TOGGLE_USAGE = "请写上供应商，例如：停用供应商 晨光"
DISABLED = "已停用供应商「{name}」，不能再向它采购；已有的采购单照常到货。"
ENABLED = "已恢复供应商「{name}」，可以向它采购了。"
ALREADY = "供应商「{name}」已经是{state}的。"
OPEN_ORDER = "· {number}（{state}）{total} 发送「采购单 {tail}」查看"


def _contact(supplier: Supplier) -> str:
    parts = " ".join(p for p in (supplier.contact, supplier.mobile) if p)
    return f"（{parts}）" if parts else ""


@router.command(
    "新增供应商",
    "添加供应商",
    "新建供应商",
    slots=("details", "note"),
    examples=setup_phrasings.SUPPLIER_ADD_EXAMPLES,
    phrasings=setup_phrasings.SUPPLIER_ADD,
)
async def create_supplier(ctx: Context) -> str:
    """新增供应商 晨光文具 王五 13800000000"""
    if not ctx.args.strip():
        raise UserFacingError(USAGE)
    supplier = await add_supplier(ctx.tenant.id, read_supplier(ctx.args), ctx.clock.now())
    return ADDED.format(name=supplier.name, contact=_contact(supplier))


@router.command(
    "供应商",
    "查供应商",
    args_like=NAME_ARGS,
    slots=("details",),
    examples=setup_phrasings.SUPPLIER_SHOW_EXAMPLES,
    phrasings=setup_phrasings.SUPPLIER_SHOW,
)
async def show_supplier(ctx: Context) -> str:
    """供应商 晨光：联系人、未完成的采购单、近90天采购额、准时到货率和退货率"""
    if not ctx.args.strip():
        raise UserFacingError(SHOW_USAGE)
    supplier = await find_supplier(ctx.tenant.id, ctx.args)
    record = await supplier_record(supplier, ctx.clock.now(), ctx.tenant.timezone)
    state = "" if supplier.enabled else "（已停用）"
    lines = [f"供应商「{supplier.name}」{state}"]
    lines.append(f"联系人：{supplier.contact or '未填'} · 电话：{supplier.mobile or '未填'}")
    if supplier.note:
        lines.append(f"备注：{supplier.note}")
    lines.append(f"近90天采购 {record.recent_orders} 单，合计 {format_fen(record.recent_fen)}")
    if record.timed:
        rate = round(100 * record.on_time / record.timed)
        lines.append(f"准时到货率 {rate}%（{record.on_time}/{record.timed} 单按期到齐）")
    else:
        lines.append("准时到货率：近90天还没有按期限到齐的采购单")
    returns = record.return_percent
    if returns is not None:
        lines.append(
            f"退货率 {returns:.1f}%（到货 {format_fen(record.received_fen)}，"
            f"退回 {format_fen(record.returned_fen)}）"
        )
    if record.open_orders:
        lines.append(f"未完成的采购单 {len(record.open_orders)} 张：")
        lines += [
            OPEN_ORDER.format(
                number=o.number,
                state=STATE_WORDS[o.state],
                total=format_fen(o.total_fen),
                tail=tail(o),
            )
            for o in record.open_orders
        ]
    return "\n".join(lines)


@router.command(
    "供应商列表",
    "所有供应商",
    examples=phrasings.SUPPLIERS_EXAMPLES,
    phrasings=phrasings.SUPPLIERS + setup_phrasings.SUPPLIER_LIST,
)
async def list_suppliers(ctx: Context) -> str:
    """供应商列表"""
    found = await Supplier.filter(tenant_id=ctx.tenant.id).order_by("-enabled", "name")
    if not found:
        return NO_SUPPLIERS
    lines = [SUPPLIERS.format(count=len(found))]
    lines += [f"{s.name}{_contact(s)}" + ("（已停用）" if not s.enabled else "") for s in found]
    return "\n".join(lines)


@router.command(
    "停用供应商",
    "禁用供应商",
    roles=(Role.ADMIN,),
    slots=("details",),
    examples=setup_phrasings.SUPPLIER_DISABLE_EXAMPLES,
    phrasings=setup_phrasings.SUPPLIER_DISABLE,
)
async def disable_supplier(ctx: Context) -> str:
    """停用供应商 晨光（管理员）"""
    return await _toggle(ctx, enabled=False)


@router.command(
    "恢复供应商",
    roles=(Role.ADMIN,),
    slots=("details",),
    examples=setup_phrasings.SUPPLIER_ENABLE_EXAMPLES,
    phrasings=setup_phrasings.SUPPLIER_ENABLE,
)
async def enable_supplier(ctx: Context) -> str:
    """恢复供应商 晨光：停用的供应商重新可以采购（管理员）"""
    return await _toggle(ctx, enabled=True)


async def _toggle(ctx: Context, *, enabled: bool) -> str:
    if not ctx.args.strip():
        raise UserFacingError(TOGGLE_USAGE)
    supplier = await find_supplier(ctx.tenant.id, ctx.args)
    if supplier.enabled == enabled:
        return ALREADY.format(name=supplier.name, state="启用" if enabled else "停用")
    supplier.enabled, supplier.updated_at = enabled, ctx.clock.now()
    await supplier.save(update_fields=["enabled", "updated_at"])
    return (ENABLED if enabled else DISABLED).format(name=supplier.name)
