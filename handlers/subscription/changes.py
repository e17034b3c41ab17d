"""减席位, 停用, 付费周期, 服务项目 and 购买服务: the purchases that are not increases.

Decreases and a new billing period take effect from the next period and are never refunded
inside the current one, so their quote costs ¥0.00 now and says what the next period costs;
confirming stores them as the plan's pending change. Service items are one-off purchases the
vendor arranges once paid. All of them go through the same quote → 确认 flow as 续费.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.subscription import asks, purchases
from bot.subscription.money import format_cny
from bot.subscription.plan import PlanChange
from bot.subscription.purchases import BillingError, Purchase
from handlers.subscription.plan import billing_of
from handlers.subscription.purchases import Shop, offer
from models.tenants import Role

router = Router(__name__, title="购买与续费", module="core")

HELD_SEATS = (
    "下个周期起只剩 {seats} 个席位，但目前有 {held} 人占用席位。"
    "请先用「收回席位 userid」收回 {extra} 个，再减席位。"
)
SERVICES_HEAD = "可购买的服务项目（一次性收费，付款后服务商会联系你安排）："
SERVICE_LINE = "· {name}：{price}/{unit}，{description}"
SERVICES_HINT = "购买：购买服务 远程支持 2次"


@router.command("减席位", "remove seats", roles=[Role.ADMIN])
async def remove_seats(ctx: Context) -> str:
    """（管理员）从下个周期起减少席位，例如：减席位 3"""

    def build(shop: Shop) -> Purchase:
        seats = asks.seats_after_decrease(shop.term.next_plan, ctx.args)
        if len(shop.holders) > seats:
            extra, held = len(shop.holders) - seats, len(shop.holders)
            raise BillingError(HELD_SEATS.format(seats=seats, held=held, extra=extra))
        removed = shop.term.next_plan.seats - seats
        summary = f"减席位 {removed} 个"
        return purchases.change(
            shop.catalog, shop.term, PlanChange(seats=seats), summary, shop.today
        )

    return await offer(ctx, build)


@router.command("停用", "disable", roles=[Role.ADMIN])
async def remove_module(ctx: Context) -> str:
    """（管理员）从下个周期起停用单独开通的模块或套餐包，例如：停用 工单"""

    def build(shop: Shop) -> Purchase:
        wanted, name = asks.item_removal(shop.catalog, shop.term.next_plan, ctx.args)
        return purchases.change(shop.catalog, shop.term, wanted, f"停用 {name}", shop.today)

    return await offer(ctx, build)


@router.command("付费周期", "billing period", roles=[Role.ADMIN])
async def change_period(ctx: Context) -> str:
    """（管理员）从下个周期起改付费周期，例如：付费周期 按年"""

    def build(shop: Shop) -> Purchase:
        period = asks.period_named(shop.catalog, shop.term.next_plan, ctx.args)
        summary = f"付费周期改为{period.name}"
        wanted = PlanChange(period=period.code)
        return purchases.change(shop.catalog, shop.term, wanted, summary, shop.today)

    return await offer(ctx, build)


@router.command("服务项目", "services")
async def list_services(ctx: Context) -> str:
    """看可购买的服务项目和价格（远程支持、上门服务……）"""
    catalog = billing_of(ctx).catalog
    lines = [SERVICES_HEAD]
    for item in catalog.services:
        price = format_cny(item.price)
        lines.append(
            SERVICE_LINE.format(
                name=item.name, price=price, unit=item.unit, description=item.description
            )
        )
    return "\n".join([*lines, SERVICES_HINT])


@router.command("购买服务", "buy service", roles=[Role.ADMIN])
async def buy_service(ctx: Context) -> str:
    """（管理员）购买服务项目，例如：购买服务 远程支持 2次"""

    def build(shop: Shop) -> Purchase:
        items = asks.service_items(shop.catalog, ctx.args)
        return purchases.services(shop.catalog, items, shop.today)

    return await offer(ctx, build)
