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
from bot.subscription.phrases import (
    BECAUSE,
    COUNT,
    END,
    ITEM,
    LOOK,
    MODULE,
    NAMED_MODULE,
    PERIOD,
    SEAT,
    SERVICE,
    SERVICE_NAME,
    WANT,
)
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


@router.command(
    "减席位",
    "remove seats",
    roles=[Role.ADMIN],
    slots=("count",),
    examples=(
        "减席位 3",
        "减3个席位",
        "减少两个席位",
        "减两个人",
        "减掉1个席位",
        "退掉2个席位",
        "退2个席位",
        "去掉一个席位",
        "砍掉3个席位",
        "少要3个席位",
        "下个月减5个席位",
        "下个周期减2个席位",
        "我们要减3个席位",
        "想减少2个席位",
        "席位减2个",
        "席位太多了，减3个",
        "减少席位 2",
        "减 2 个席位",
        "remove seats 2",
        "减席位 1",
    ),
    phrasings=(
        (
            rf"{WANT}(?:下个?(?:月|周期|季度|年)(?:起|开始)?|从下个?(?:月|周期)起?)?(?:减|减少|减掉|退|退掉"
            rf"|去掉|砍掉|少要)\s*(?P<count>{COUNT})\s*个?\s*{SEAT}{END}",
            "减席位 {count}",
        ),
        (
            rf"{BECAUSE}席位(?:太多了?|用不完)?[，,]?(?:减|减少|减掉|退|退掉|砍|砍掉|去掉)(?P<count>{COUNT})\s*个?{END}",
            "减席位 {count}",
        ),
        (rf"减少席位\s*(?P<count>{COUNT})\s*个?{END}", "减席位 {count}"),
    ),
)
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


@router.command(
    "停用",
    "disable",
    roles=[Role.ADMIN],
    slots=("item",),
    examples=(
        "停用 工单",
        "停用工单模块",
        "停用一下知识库",
        "退订进销存",
        "取消订阅知识库",
        "停掉订单管理模块",
        "关掉呼叫中心模块",
        "关闭安装服务模块",
        "退掉知识库模块",
        "取消工单模块",
        "把知识库停了",
        "把服务增值包停掉",
        "把呼叫中心模块停用吧",
        "我们不要呼叫中心模块了",
        "下个月不用工单模块了",
        "工单模块不要了",
        "知识库功能不用了",
        "增长套餐包不要了",
        "安装服务用不上，停掉",
        "订单管理下个月不要了",
        "停用 知识库",
        "disable 工单",
    ),
    phrasings=(
        (
            rf"{WANT}(?:停用|退订|取消订阅)(?:一下)?(?P<item>{MODULE})(?:模块|功能|套餐包)?{END}",
            "停用 {item}",
        ),
        (
            rf"{WANT}(?:停掉|退掉|关掉|关闭|取消|去掉)(?P<item>{MODULE})(?:模块|功能|套餐包){END}",
            "停用 {item}",
        ),
        (
            rf"(?:把|将)(?P<item>{MODULE})(?:模块|功能)?(?:停用|停掉|停了)(?:吧|了)?{END}",
            "停用 {item}",
        ),
        (
            rf"{WANT}(?:下个?(?:月|周期)(?:起|开始)?)?(?:不要|不用|不需要)(?:了)?(?P<item>{MODULE})"
            rf"(?:模块|功能|套餐包)了?{END}",
            "停用 {item}",
        ),
        (rf"(?P<item>{MODULE})(?:模块|功能|套餐包)(?:不要了|不用了|停了吧?){END}", "停用 {item}"),
        (rf"(?P<item>{ITEM}套餐)包(?:不要了|不用了|停了吧?){END}", "停用 {item}"),
        (
            # 「进销存不用了，停了吧」「呼叫中心下期取消」
            rf"(?P<item>{NAMED_MODULE})(?:模块|功能)?(?:(?:不用了|不要了|用不上)[，,]?\s*"
            rf"(?:停了|停掉|退了|关了|取消)?|(?:下期|下个月|下个周期)(?:就)?(?:取消|不续了|停掉|不要了)){END}",
            "停用 {item}",
        ),
    ),
)
async def remove_module(ctx: Context) -> str:
    """（管理员）从下个周期起停用单独开通的模块或套餐包，例如：停用 工单"""

    def build(shop: Shop) -> Purchase:
        wanted, name = asks.item_removal(shop.catalog, shop.term.next_plan, ctx.args)
        return purchases.change(shop.catalog, shop.term, wanted, f"停用 {name}", shop.today)

    return await offer(ctx, build)


@router.command(
    "付费周期",
    "billing period",
    roles=[Role.ADMIN],
    slots=("period",),
    examples=(
        "付费周期 按年",
        "付费周期改成按月",
        "付费周期改为季付",
        "付款方式改成按年",
        "改成按年付",
        "改为年付",
        "改成月付",
        "换成年付",
        "换成按季度付",
        "改半年付",
        "改按年付费",
        "按年付费吧",
        "按季度付",
        "以后按年付费",
        "以后按月付",
        "以后年付",
        "下个周期起按年付",
        "我们想改成年付",
        "改为按半年付费",
        "billing period 按年",
    ),
    phrasings=(
        (
            rf"{WANT}(?:以后|下个?(?:月|周期)(?:起|开始)?|从下个?周期起)?(?:付费周期|付款方式|付费方式)?"
            rf"(?:改成|改为|换成|换为|改|换|切换到|调整为)?(?P<period>{PERIOD})"
            rf"(?:付费|付款|付|缴费|交)(?:吧)?{END}",
            "付费周期 {period}",
        ),
        (
            rf"(?:付费周期|付款方式|付费方式)(?:改成|改为|换成|改|换|调整为)(?P<period>{PERIOD})"
            rf"(?:付费|付款|付)?{END}",
            "付费周期 {period}",
        ),
    ),
)
async def change_period(ctx: Context) -> str:
    """（管理员）从下个周期起改付费周期，例如：付费周期 按年"""

    def build(shop: Shop) -> Purchase:
        period = asks.period_named(shop.catalog, shop.term.next_plan, ctx.args)
        summary = f"付费周期改为{period.name}"
        wanted = PlanChange(period=period.code)
        return purchases.change(shop.catalog, shop.term, wanted, summary, shop.today)

    return await offer(ctx, build)


@router.command(
    "服务项目",
    "services",
    slots=(),
    examples=(
        "服务项目",
        "服务项目有哪些",
        "看看服务项目",
        "查一下服务项目",
        "有哪些服务",
        "你们有什么服务",
        "有什么付费服务",
        "提供哪些增值服务",
        "可以买哪些服务",
        "增值服务有哪些",
        "服务都多少钱",
        "付费服务怎么收费",
        "有上门服务吗",
        "有没有远程协助",
        "有实施服务吗",
        "远程支持多少钱",
        "上门服务怎么收费",
        "部署要多少钱",
        "实施费多少钱",
        "services",
    ),
    phrasings=(
        (
            rf"(?:你们|这边)?(?:都)?(?:有|提供)(?:哪些|什么|啥)(?:付费|增值|收费)?服务(?:项目)?"
            rf"(?:可以买|可以购买|可选)?{END}",
            "服务项目",
        ),
        (rf"(?:可以|能)(?:买|购买)(?:哪些|什么)服务{END}", "服务项目"),
        (rf"服务(?:项目)?(?:都|分别)?(?:多少钱|怎么收费|什么价格?){END}", "服务项目"),
        (
            rf"{LOOK}(?:服务项目|增值服务|付费服务)(?:有哪些|都有什么|都多少钱|价格|多少钱|怎么收费)?{END}",
            "服务项目",
        ),
        (rf"(?:有没有|有)(?:{SERVICE})(?:服务)?{END}", "服务项目"),
        (rf"(?:{SERVICE})(?:费)?(?:要|需要)?(?:多少钱|怎么收费|什么价){END}", "服务项目"),
    ),
)
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


@router.command(
    "购买服务",
    "buy service",
    roles=[Role.ADMIN],
    slots=("service", "count"),
    examples=(
        "购买服务 远程支持 2次",
        "购买服务 上门服务",
        "买一次远程支持",
        "买两次上门服务",
        "买3次远程协助",
        "我要买远程支持",
        "我们要买安装部署",
        "买个部署服务",
        "约一次上门服务",
        "预约上门服务",
        "预约一次远程协助",
        "订一次上门服务",
        "约两次远程支持",
        "要一次实施服务",
        "买一次版本升级服务",
        "下单远程支持",
        "购买上门服务2次",
        "买远程支持 2次",
        "想约个上门服务",
        "buy service 上门服务",
    ),
    phrasings=(
        (
            rf"{WANT}(?:买|购买|约|预约|订|下单|要)(?:(?P<count>{COUNT})\s*次|一个|个)?"
            rf"(?P<service>{SERVICE_NAME}){END}",
            "购买服务 {service} {count}",
        ),
        (
            rf"{WANT}(?:买|购买|约|预约|订)(?P<service>{SERVICE_NAME})\s*(?P<count>{COUNT})\s*次{END}",
            "购买服务 {service} {count}",
        ),
    ),
)
async def buy_service(ctx: Context) -> str:
    """（管理员）购买服务项目，例如：购买服务 远程支持 2次"""

    def build(shop: Shop) -> Purchase:
        items = asks.service_items(shop.catalog, ctx.args)
        return purchases.services(shop.catalog, items, shop.today)

    return await offer(ctx, build)
