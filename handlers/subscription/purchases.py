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
from bot.subscription.order_notices import tell_admins, tell_operators
from bot.subscription.orders import Settlement, cancel, create_quote, pay, place
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


@router.command("续费", "renew", roles=[Role.ADMIN])
async def renew(ctx: Context) -> str:
    """（管理员）续费，例如：续费 12个月"""
    return await offer(ctx, renewal_for(ctx.args))


@router.command("加席位", "add seats", roles=[Role.ADMIN])
async def add_seats(ctx: Context) -> str:
    """（管理员）增加席位，例如：加席位 5"""
    return await offer(ctx, seats_for(ctx.args))


@router.command("开通", "enable", roles=[Role.ADMIN])
async def add_module(ctx: Context) -> str:
    """（管理员）开通模块或套餐包，例如：开通 工单"""
    return await offer(ctx, module_for(ctx.args))


@router.command("升级", "upgrade", roles=[Role.ADMIN])
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


@router.command("确认收款", "paid")
async def confirm_payment(ctx: Context) -> str:
    """（服务商）确认订单已收款，例如：确认收款 12"""
    billing = billing_of(ctx)
    if not billing.settings.is_operator(ctx.tenant.key, ctx.update.user_id):
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
