"""Materials used on an installation go out of stock (领用, to the installer) when the tenant
has the ERP-lite module: the installation capability's ``install_materials`` hook
(``bot.installation.materials``), posted through the same guarded path as any stock-out.
Each material posts under its own key (``install-material:<id>``), so a retried message or a
second 用料 never takes it out twice.

A material the stock refuses (short, not in the catalog, another unit) does not block the
completion: the installer is at the customer's, the work is done and the cable is in the
wall. Refusing 完工 would hold back the customer's confirmation link and the job's record over
a stock figure the installer cannot correct from the site. The reply says what is available
and the material stays on the job unposted; once the stock is put right (入库, 盘点),
``用料 AZ0001`` posts what is left.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.erp.catalog import find_product
from bot.erp.stock import AlreadyPosted, Move, Shortage, amount, post
from bot.erp.warehouses import default_warehouse
from bot.installation.materials import MaterialsPoster
from bot.installation.numbers import tail
from models.erp import MoveKind, Warehouse
from models.installation import InstallJob, InstallMaterial
from models.products import Product

MODULE = "erp"
POSTED = "用料已从{warehouse}出库：{items}。"
NOT_POSTED = "没有出库：{reasons}。库存补上后发送「用料 {tail}」再出库。"
NO_PRODUCT = "「{name}」不在商品目录里"
OTHER_UNIT = "「{name}」的库存单位是{unit}，用料写的是{said}"
NOTE = "安装用料"

OpenModules = Callable[[Context], Awaitable[frozenset[str]]]


def materials_poster(open_modules: OpenModules) -> MaterialsPoster:
    async def take_out_of_stock(
        ctx: Context, job: InstallJob, materials: Sequence[InstallMaterial]
    ) -> str:
        if MODULE not in await open_modules(ctx):
            return ""
        return await post_materials(ctx, job, materials)

    return take_out_of_stock


async def post_materials(
    ctx: Context, job: InstallJob, materials: Sequence[InstallMaterial]
) -> str:
    """Posts each material on its own, so one short item leaves the others posted."""
    warehouse = await default_warehouse(ctx.tenant.id, ctx.clock.now())
    posted, refused = [], []
    for material in materials:
        try:
            product = await find_product(ctx.tenant.id, material.name)
        except UserFacingError as several:  # the name fits more than one product
            refused.append(several.message.rstrip("。"))
            continue
        reason = _unfit(material, product)
        if reason:
            refused.append(reason)
            continue
        assert product is not None
        left = await _post_one(ctx, job, material, product, warehouse)
        if isinstance(left, str):
            refused.append(left)
        else:
            posted.append(f"{product.name}{amount(material.qty, product.unit)}")
    said = []
    if posted:
        said.append(POSTED.format(warehouse=warehouse.name, items="、".join(posted)))
    if refused:
        said.append(NOT_POSTED.format(reasons="；".join(refused), tail=tail(job)))
    return "\n".join(said)


def _unfit(material: InstallMaterial, product: Product | None) -> str:
    if product is None:
        return NO_PRODUCT.format(name=material.name)
    if material.unit and product.unit and material.unit != product.unit:
        return OTHER_UNIT.format(name=product.name, unit=product.unit, said=material.unit)
    return ""


async def _post_one(
    ctx: Context,
    job: InstallJob,
    material: InstallMaterial,
    product: Product,
    warehouse: Warehouse,
) -> int | str:
    """The balance left after the stock-out, or why it was refused."""
    now = ctx.clock.now()
    move = Move(
        product,
        warehouse,
        -material.qty,
        MoveKind.ISSUE,
        reference=job.number,
        member=ctx.employee.name if ctx.employee is not None else "",
        note=NOTE,
        key=f"install-material:{material.id}",
    )
    actor = ctx.employee.id if ctx.employee is not None else None
    try:
        [result] = await post(ctx.tenant.id, [move], actor, now)
    except Shortage as short:
        await short.keep()  # the refusal row: nothing else of this command is rolled back
        return short.message.removeprefix("库存不足：").rstrip("。")
    except AlreadyPosted:
        result = None
    await InstallMaterial.filter(id=material.id, posted_at=None).update(
        posted_at=now, product_id=product.id, warehouse=warehouse.name
    )
    return result.on_hand if result is not None else 0
