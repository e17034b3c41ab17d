"""续费, 加席位, 开通, 升级: a quote with line items, then 确认 or 取消; 确认收款 for operators.

A purchase command stores the quote as an order and asks to confirm; the step is persisted
(``PurchaseStep.CONFIRM``), so a restart between quote and answer loses nothing. 确认 turns
the quote into an order awaiting payment and tells the vendor's operators; an operator's
``确认收款 ORDER`` applies it and tells the tenant's admins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import StateIs
from bot.dispatch.router import Router
from bot.subscription import asks, purchases
from bot.subscription.catalog import Catalog
from bot.subscription.lifecycle import Term
from bot.subscription.money import format_cny
from bot.subscription.operators import is_operator
from bot.subscription.order_notices import tell_admins, tell_operators
from bot.subscription.orders import Settlement, cancel, create_quote, pay, place
from bot.subscription.phrases import (
    BECAUSE,
    COUNT,
    DURATION,
    END,
    ITEM,
    MODULE,
    NAMED_MODULE,
    SEAT,
    WANT,
)
from bot.subscription.plan import PlanChange, granted_modules
from bot.subscription.purchases import BillingError, Purchase
from bot.subscription.service import Billing
from handlers.subscription.plan import billing_of, current_term
from models.subscriptions import Order, OrderStatus
from models.tenants import Role, Tenant

# While a quote waits, other commands still work: the re-prompt is a step that takes only
# what no command took (bot.dispatch.registry).
router = Router(__name__, title="购买与续费", module="core", open_when_cancelled=True)


class PurchaseStep(StrEnum):
    CONFIRM = "purchase.confirm"


QUOTE_HEAD = "【报价】{summary}"
ASK_CONFIRM = "回复「确认」下单，回复「取消」放弃（订单 {id}，30 分钟内有效）。"
PLACED = (
    "已下单：订单 {id}（{summary}，{total}），待付款。\n"
    "付款后由服务商确认收款，立即生效；发送「账单」可随时查看。"
)
APPLIED = "已生效：订单 {id}（{summary}）。发送「套餐」查看当前套餐。"
SCHEDULED = "已确认：订单 {id}（{summary}），{day} 起生效。发送「套餐」查看当前套餐。"
CANCELLED = "已取消订单 {id}。"
REPROMPT = "订单 {id} 等你确认：回复「确认」下单，回复「取消」放弃。"
GONE = "这张报价已失效，请重新发送购买命令。"
HAS_MODULE = "「{name}」已包含在当前套餐中，无需开通。"
SAME_EDITION = "当前已经是{name}。"
OPERATORS_ONLY = "只有服务商的运营人员可以确认收款。"
ASK_ORDER = "请写上订单编号，例如：确认收款 12"
NO_SUCH_ORDER = "没有编号为 {id} 的订单。"
PAID = "订单 {id} 已确认收款并生效：{tenant}，{summary}，{total}。已通知该企业的管理员。"
CONFIRM_WORDS = frozenset({"确认", "确定", "是", "好", "ok", "yes", "y"})
CANCEL_WORDS = frozenset({"取消", "算了", "不", "否", "no", "n", "cancel"})


def _admin(ctx: Context) -> str:
    return ctx.update.user_id or "admin"


@dataclass(frozen=True, slots=True)
class Shop:
    """What a purchase is priced against: the catalog, the tenant's term and seat holders,
    and today in the tenant's timezone."""

    billing: Billing
    term: Term
    holders: frozenset[str]
    today: date

    @property
    def catalog(self) -> Catalog:
        return self.billing.catalog


Build = Callable[[Shop], Purchase]


async def priced(ctx: Context, build: Build) -> tuple[Shop, Purchase]:
    """What ``build`` makes of the tenant's term, priced; a ``BillingError`` becomes the
    reply that says what to type. Nothing is stored."""
    billing, term, holders = await current_term(ctx)
    shop = Shop(billing, term, holders, billing.today(ctx.tenant.timezone))
    try:
        return shop, build(shop)
    except BillingError as exc:
        raise UserFacingError(exc.message) from exc


async def offer(ctx: Context, build: Build) -> str:
    """Price what ``build`` makes of the tenant's term, keep the quote as an order, and ask
    to confirm it."""
    shop, purchase = await priced(ctx, build)
    term = shop.term
    order = await create_quote(ctx.tenant.id, purchase, term, _admin(ctx), ctx.clock.now())
    assert ctx.conversation is not None, "text messages always carry a conversation"
    await ctx.conversation.set(PurchaseStep.CONFIRM, {"order_id": order.id})
    head = QUOTE_HEAD.format(summary=purchase.summary)
    return "\n".join([head, purchase.quote.render(), ASK_CONFIRM.format(id=order.id)])


def renewal_for(args: str) -> Build:
    """续费 12个月: more periods of the plan the tenant will have next period."""

    def build(shop: Shop) -> Purchase:
        periods = asks.renewal_periods(shop.catalog, shop.term.next_plan, args)
        return purchases.renewal(shop.catalog, shop.term, periods, shop.today)

    return build


def seats_for(args: str) -> Build:
    """加席位 5: more seats from today."""

    def build(shop: Shop) -> Purchase:
        count = asks.seat_count(args)
        wanted = PlanChange(seats=shop.term.plan.seats + count)
        return purchases.change(shop.catalog, shop.term, wanted, f"加席位 {count} 个", shop.today)

    return build


def module_for(args: str) -> Build:
    """开通 工单: a module or bundle from today."""

    def build(shop: Shop) -> Purchase:
        wanted, name = asks.item_change(shop.catalog, args)
        added = wanted.add_modules - granted_modules(shop.catalog, shop.term.plan)
        if wanted.add_modules and not added:
            raise BillingError(HAS_MODULE.format(name=name))
        return purchases.change(shop.catalog, shop.term, wanted, f"开通 {name}", shop.today)

    return build


def edition_for(args: str) -> Build:
    """升级 售后服务版: another edition from today."""

    def build(shop: Shop) -> Purchase:
        edition = asks.edition_named(shop.catalog, args)
        if edition.code == shop.term.plan.edition:
            raise BillingError(SAME_EDITION.format(name=edition.name))
        wanted = PlanChange(edition=edition.code)
        summary = f"升级 {edition.name}"
        return purchases.change(shop.catalog, shop.term, wanted, summary, shop.today)

    return build


@router.command(
    "续费",
    "renew",
    roles=[Role.ADMIN],
    slots=("duration",),
    examples=(
        "续费 12个月",
        "续费",
        "续一年",
        "续费一年",
        "再续一年",
        "续费半年",
        "续三个月",
        "续费两年",
        "续一个季度",
        "续个一年",
        "续6个月",
        "续30天",
        "我要续费",
        "我们续一年吧",
        "想续费一年",
        "套餐续一年",
        "给我们续一年",
        "续一下",
        "帮我续一年",
        "renew 12个月",
    ),
    phrasings=(
        (
            rf"{WANT}(?:给我们|给公司)?(?:套餐)?(?:再)?续(?:费)?(?:一下)?(?:个)?(?P<duration>{DURATION})?"
            rf"{END}",
            "续费 {duration}",
        ),
    ),
)
async def renew(ctx: Context) -> str:
    """（管理员）续费，例如：续费 12个月"""
    return await offer(ctx, renewal_for(ctx.args))


@router.command(
    "加席位",
    "add seats",
    roles=[Role.ADMIN],
    slots=("count",),
    examples=(
        "加席位 5",
        "再加5个人",
        "加5个席位",
        "增加3个席位",
        "多加两个席位",
        "再买5个席位",
        "买3个席位",
        "添两个席位",
        "再加一个人",
        "加10个账号",
        "再来5个席位",
        "新增2个席位",
        "我们要加5个席位",
        "想再加2个人",
        "加两个席位吧",
        "席位加5个",
        "席位再加5个",
        "席位不够了，加3个",
        "增加席位 2",
        "add seats 5",
    ),
    phrasings=(
        (
            rf"{WANT}(?:再)?(?:加|增加|多加|添|买|来|新增|追加|多买)(?P<count>{COUNT})\s*个?\s*{SEAT}{END}",
            "加席位 {count}",
        ),
        (
            rf"{BECAUSE}(?:席位|座席)(?:不够了?|不够用了?)?[，,]?(?:再)?(?:加|增加|多加|添)(?P<count>{COUNT})\s*个?"
            rf"{END}",
            "加席位 {count}",
        ),
        (rf"(?:增加|添加|多加)席位\s*(?P<count>{COUNT})\s*个?{END}", "加席位 {count}"),
    ),
)
async def add_seats(ctx: Context) -> str:
    """（管理员）增加席位，例如：加席位 5"""
    return await offer(ctx, seats_for(ctx.args))


@router.command(
    "开通",
    "enable",
    roles=[Role.ADMIN],
    slots=("item",),
    examples=(
        "开通 工单",
        "开通工单模块",
        "开通进销存",
        "开通一下订单管理",
        "开通呼叫中心功能",
        "开通服务增值包",
        "给我们开通工单",
        "我要开通知识库",
        "我们想开通安装服务",
        "启用工单模块",
        "开个知识库模块",
        "加一个工单模块",
        "买一个进销存模块",
        "买个增长套餐包",
        "上个呼叫中心模块",
        "把知识库开通",
        "把工单模块开通了",
        "把呼叫中心启用吧",
        "我们想用上安装服务",
        "呼叫中心模块也开一下",
        "开通 tickets",
        "enable 工单",
    ),
    phrasings=(
        (
            rf"{WANT}(?:给我们|给公司|帮我们)?(?:开通|启用)(?:一下|个|一个|上)?(?P<item>{MODULE})"
            rf"(?:模块|功能|套餐包)?{END}",
            "开通 {item}",
        ),
        (
            rf"{WANT}(?:开|加|买|上)(?:一下|个|一个)?(?P<item>{MODULE})(?:模块|功能|套餐包){END}",
            "开通 {item}",
        ),
        (
            rf"(?:把|将)(?P<item>{MODULE})(?:模块|功能)?(?:开通|开起来|启用)(?:了|吧|一下)?{END}",
            "开通 {item}",
        ),
        (
            rf"{WANT}(?:开|加|买|上|用上)(?:一下|个|一个)?(?P<item>{NAMED_MODULE})(?:模块|功能)?{END}",
            "开通 {item}",
        ),
        (
            rf"(?P<item>{NAMED_MODULE})(?:模块|功能)?(?:也)?(?:开一下|开通一下|开起来|开了吧|开通吧|开通)"
            rf"{END}",
            "开通 {item}",
        ),
    ),
)
async def add_module(ctx: Context) -> str:
    """（管理员）开通模块或套餐包，例如：开通 工单"""
    return await offer(ctx, module_for(ctx.args))


@router.command(
    "升级",
    "upgrade",
    roles=[Role.ADMIN],
    slots=("edition",),
    examples=(
        "升级 售后服务版",
        "升级到售后服务版",
        "升级售后服务版",
        "升到ERP版",
        "升级为售后版",
        "升级为ERP版吧",
        "升级到专业版",
        "升级到进销存版",
        "我们想升级到呼叫中心版",
        "我要升级售后版",
        "给我们升级到售后服务版",
        "把版本升级到ERP版",
        "版本升到售后服务版",
        "套餐升级到呼叫中心版",
        "版本换成ERP版",
        "版本改成售后服务版",
        "套餐换成呼叫中心版",
        "升一下级到ERP版",
        "升级到专业",
        "upgrade 售后服务版",
    ),
    phrasings=(
        (
            rf"{WANT}(?:帮我们|给我们)?(?:把)?(?:版本|套餐)?(?:升级|升)(?:一下级|一下)?(?:到|成|为)?"
            rf"(?P<edition>{ITEM}版){END}",
            "升级 {edition}",
        ),
        (
            rf"{WANT}(?:把)?(?:版本|套餐)(?:换|改|切换)(?:到|成|为)(?P<edition>{ITEM}版){END}",
            "升级 {edition}",
        ),
    ),
)
async def change_edition(ctx: Context) -> str:
    """（管理员）升级版本，例如：升级 售后服务版"""
    return await offer(ctx, edition_for(ctx.args))


def answered(ctx: Context) -> bool:
    """确认 or 取消 (in any spelling we accept) while a quote waits for an answer."""
    return ctx.update.text.strip().lower() in CONFIRM_WORDS | CANCEL_WORDS


@router.message(StateIs(PurchaseStep.CONFIRM), answered)
async def confirm_or_cancel(ctx: Context) -> str:
    assert ctx.conversation is not None
    order = await _waiting_order(ctx)
    await ctx.conversation.clear()
    if order is None:
        return GONE
    if ctx.update.text.strip().lower() in CANCEL_WORDS:
        await cancel(order, _admin(ctx), ctx.clock.now())
        return CANCELLED.format(id=order.id)
    return await _place(ctx, order)


@router.message(StateIs(PurchaseStep.CONFIRM))
async def reprompt(ctx: Context) -> str:
    """Anything else no command took, while a quote waits: say what answer it needs."""
    order = await _waiting_order(ctx)
    if order is None:
        assert ctx.conversation is not None
        await ctx.conversation.clear()
        return GONE
    return REPROMPT.format(id=order.id)


async def _waiting_order(ctx: Context) -> Order | None:
    assert ctx.conversation is not None
    return await Order.get_or_none(
        id=ctx.conversation.data.get("order_id"), tenant_id=ctx.tenant.id, status=OrderStatus.QUOTE
    )


async def _place(ctx: Context, order: Order) -> str:
    billing = billing_of(ctx)
    now = ctx.clock.now()
    settlement = await place(billing, order, _admin(ctx), now)
    if settlement.applied:
        if order.effective_on > billing.today(ctx.tenant.timezone):
            day = order.effective_on.isoformat()
            return SCHEDULED.format(id=order.id, summary=order.summary, day=day)
        return APPLIED.format(id=order.id, summary=order.summary)
    if settlement.message:
        return settlement.message
    tenant = await Tenant.get(id=ctx.tenant.id)
    await tell_operators(billing.settings.operators, order, tenant, now)
    return PLACED.format(id=order.id, summary=order.summary, total=format_cny(order.total))


@router.command(
    "确认收款",
    "paid",
    slots=("order",),
    examples=(
        "确认收款 12",
        "确认收款12",
        "确认收款 #12",
        "订单12已收款",
        "订单 12 已付款",
        "订单12付款了",
        "订单12已经付了",
        "订单#12已到账",
        "确认订单12已付款",
        "12号订单已付款",
        "12号订单到账了",
        "12号单已收款",
        "确认12号订单收款",
        "订单12的钱收到了",
        "订单12款已收到",
        "订单12的款到了",
        "收到订单12的钱了",
        "收到12号订单的款",
        "paid 12",
        "确认收款 7",
    ),
    phrasings=(
        (
            rf"(?:确认)?(?:订单|单)\s*#?(?P<order>\d+)\s*(?:已经|已)?(?:收款|收到款|付款|付了|到账)(?:了)?{END}",
            "确认收款 {order}",
        ),
        (
            rf"(?:确认)?#?(?P<order>\d+)\s*号(?:订单|单)(?:已经|已)?(?:收款|收到款|付款|付了|到账)(?:了)?{END}",
            "确认收款 {order}",
        ),
        (
            rf"(?:订单|单)\s*#?(?P<order>\d+)\s*的?(?:钱|款)(?:已经|已)?(?:收到|到账|到)(?:了)?{END}",
            "确认收款 {order}",
        ),
        (
            rf"收到(?:了)?(?:订单|单)?\s*#?(?P<order>\d+)\s*号?(?:订单|单)?的(?:钱|款)(?:了)?{END}",
            "确认收款 {order}",
        ),
    ),
)
async def confirm_payment(ctx: Context) -> str:
    """（服务商）确认订单已收款，例如：确认收款 12"""
    billing = billing_of(ctx)
    if not is_operator(ctx):
        return OPERATORS_ONLY
    number = ctx.args.strip().lstrip("#")
    if not number.isdigit():
        return ASK_ORDER
    now = ctx.clock.now()
    settlement = await pay(billing, int(number), f"operator:{ctx.tenant.key}:{_admin(ctx)}", now)
    if settlement is None:
        return NO_SUCH_ORDER.format(id=number)
    return await _paid(settlement, now)


async def _paid(settlement: Settlement, now: datetime) -> str:
    order = settlement.order
    if not settlement.applied:
        return settlement.message
    await tell_admins(order, now)
    tenant = await Tenant.get(id=order.tenant_id)
    return PAID.format(
        id=order.id, tenant=tenant.name, summary=order.summary, total=format_cny(order.total)
    )
