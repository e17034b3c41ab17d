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
from handlers.purchases import offer
from handlers.subscription import billing_of, current_term
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
    billing, term, holders = await current_term(ctx)
    today = billing.today(ctx.tenant.timezone)

    def build() -> Purchase:
        seats = asks.seats_after_decrease(term.next_plan, ctx.args)
        if len(holders) > seats:
            extra = len(holders) - seats
            raise BillingError(HELD_SEATS.format(seats=seats, held=len(holders), extra=extra))
        removed = term.next_plan.seats - seats
        wanted = PlanChange(seats=seats)
        return purchases.change(billing.catalog, term, wanted, f"减席位 {removed} 个", today)

    return await offer(ctx, term, build)


@router.command("停用", "disable", roles=[Role.ADMIN])
async def remove_module(ctx: Context) -> str:
    """（管理员）从下个周期起停用单独开通的模块或套餐包，例如：停用 工单"""
    billing, term, _ = await current_term(ctx)
    today = billing.today(ctx.tenant.timezone)

    def build() -> Purchase:
        wanted, name = asks.item_removal(billing.catalog, term.next_plan, ctx.args)
        return purchases.change(billing.catalog, term, wanted, f"停用 {name}", today)

    return await offer(ctx, term, build)


@router.command("付费周期", "billing period", roles=[Role.ADMIN])
async def change_period(ctx: Context) -> str:
    """（管理员）从下个周期起改付费周期，例如：付费周期 按年"""
    billing, term, _ = await current_term(ctx)
    today = billing.today(ctx.tenant.timezone)

    def build() -> Purchase:
        period = asks.period_named(billing.catalog, term.next_plan, ctx.args)
        wanted = PlanChange(period=period.code)
        return purchases.change(billing.catalog, term, wanted, f"付费周期改为{period.name}", today)

    return await offer(ctx, term, build)


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
    billing, term, _ = await current_term(ctx)
    today = billing.today(ctx.tenant.timezone)

    def build() -> Purchase:
        items = asks.service_items(billing.catalog, ctx.args)
        return purchases.services(billing.catalog, items, today)

    return await offer(ctx, term, build)
