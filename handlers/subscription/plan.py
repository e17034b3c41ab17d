"""套餐, 席位, 分配席位, 收回席位, 账单: what the tenant has, who holds its seats, its orders.

Core commands: they work whatever the subscription's state, so a suspended tenant can still
see what it had and renew. ``locked_router`` (a hint: only text nothing else took)
answers text that asks for a module the plan lacks (``bot.subscription.wants``) with that
module's price; a module's word inside unrelated text is no request.
"""

from __future__ import annotations

from bot.dispatch.args import userid_arg
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.dispatch.types import ChatType
from bot.subscription import refusals, seats
from bot.subscription.catalog import Module
from bot.subscription.lifecycle import Term, paid_end
from bot.subscription.money import format_cny
from bot.subscription.orders import order_line
from bot.subscription.periods import last_day
from bot.subscription.plan import Plan, granted_modules
from bot.subscription.pricing import recurring_total
from bot.subscription.seats import SeatChange
from bot.subscription.service import Billing
from models.subscriptions import Order
from models.subscriptions import SubscriptionStatus as Status
from models.tenants import Role

router = Router(__name__, title="套餐与席位", module="core", open_when_cancelled=True)
locked_router = Router(f"{__name__}.locked", title="套餐与席位", module="core", tier=Tier.HINT)

STATUS_NAMES = {
    Status.TRIAL: "试用中",
    Status.ACTIVE: "使用中",
    Status.GRACE: "已到期，宽限期内",
    Status.SUSPENDED: "已暂停",
    Status.CANCELLED: "已停用",
}
PLAN_HEAD = "【当前套餐】{edition}（{status}）"
PLAN_MODULES = "模块：{names}"
PLAN_SEATS = "席位：已用 {used} / {seats}"
PLAN_PERIOD = "服务期：{start} 至 {last}"
PLAN_PREPAID = "已预付：后续 {count} {counter}，至 {last}"
PLAN_NEXT = "自 {start} 起：{plan}"
PLAN_PRICE = "续费价格：每{unit} {price}"
PLAN_COMMANDS = "可发送：续费 12个月 · 加席位 5 · 开通 工单 · 升级 售后服务版 · 席位 · 账单"
MINE_HEAD = "【你可以使用】{edition}（{status}）"
MINE_SEAT = "你的席位：已分配"
MINE_NO_SEAT = "你的席位：未分配（第一次使用付费功能时自动分配；席位已满时请联系管理员）"
MINE_MORE = "想用更多功能，请联系管理员。"
SEATS_HEAD = "【席位】已用 {used} / {seats}"
SEAT_ROW = "{n}. {who} · {day} {how}"
SEAT_AUTO = "首次使用时自动分配"
SEAT_BY = "由 {by} 分配"
SEATS_NONE = "还没有人占用席位：员工第一次使用付费功能时会自动分配。"
SEATS_FOOT = "发送「分配席位 userid」分配，「收回席位 userid」收回。"
ASSIGNED = "已为 {userid} 分配席位（已用 {used} / {seats}）。"
ALREADY = "{userid} 已经有席位了。"
FULL = "席位已满（{seats} 个都已分配）。先「收回席位 userid」，或发送「加席位 1」购买。"
REVOKED = "已收回 {userid} 的席位。数据都保留，之后可重新分配。"
NOT_HELD = "{userid} 没有席位。发送「席位」查看谁有席位。"
NO_ORDERS = "还没有订单。发送「续费 12个月」或「加席位 5」等查看报价。"
ORDERS_HEAD = "【账单】最近的订单："
ORDERS_FOOT = "待付款的订单请联系服务商付款，确认收款后立即生效。"
RECENT_ORDERS = 10
IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)


def billing_of(ctx: Context) -> Billing:
    billing: Billing = ctx.deps["billing"]
    return billing


async def current_term(ctx: Context) -> tuple[Billing, Term, frozenset[str]]:
    billing = billing_of(ctx)
    snapshot = await billing.snapshot(ctx.tenant.id)
    return billing, billing.current(snapshot.term, ctx.tenant.timezone), snapshot.seat_holders


def describe_plan(billing: Billing, plan: Plan) -> str:
    catalog = billing.catalog
    extras = [catalog.module(m).name for m in sorted(plan.modules)]
    extras += [catalog.bundle(b).name for b in sorted(plan.bundles)]
    head = f"{catalog.edition(plan.edition).name} {plan.seats} 席"
    return "，".join([head, *extras])


def module_names(billing: Billing, plan: Plan) -> list[str]:
    granted = granted_modules(billing.catalog, plan)
    return [m.name for m in billing.catalog.modules if m.code in granted]


@router.command("套餐", "plan", "subscription", chats=IN_GROUPS)
async def show_plan(ctx: Context) -> str:
    """查看当前套餐、席位和到期时间"""
    billing, term, holders = await current_term(ctx)
    if not ctx.is_admin:
        return _my_plan(billing, term, ctx.update.user_id in holders)
    catalog = billing.catalog
    lines = [
        PLAN_HEAD.format(
            edition=catalog.edition(term.plan.edition).name, status=STATUS_NAMES[term.status]
        ),
        PLAN_MODULES.format(names="、".join(module_names(billing, term.plan))),
        PLAN_SEATS.format(used=len(holders), seats=term.plan.seats),
        PLAN_PERIOD.format(start=term.period_start, last=last_day(term.period_end)),
    ]
    if term.prepaid_periods:
        counter = catalog.period(term.next_plan.period).counter
        last = last_day(paid_end(catalog, term))
        lines.append(PLAN_PREPAID.format(count=term.prepaid_periods, counter=counter, last=last))
    if term.pending:
        lines.append(
            PLAN_NEXT.format(start=term.period_end, plan=describe_plan(billing, term.pending))
        )
    unit = catalog.period(term.next_plan.period).unit
    price = format_cny(recurring_total(catalog, term.next_plan))
    lines += [PLAN_PRICE.format(unit=unit, price=price), PLAN_COMMANDS]
    return "\n".join(lines)


def _my_plan(billing: Billing, term: Term, has_seat: bool) -> str:
    catalog = billing.catalog
    head = MINE_HEAD.format(
        edition=catalog.edition(term.plan.edition).name, status=STATUS_NAMES[term.status]
    )
    granted = granted_modules(catalog, term.plan)
    rows = [f"· {m.name}：{m.description}" for m in catalog.modules if m.code in granted]
    return "\n".join([head, *rows, MINE_SEAT if has_seat else MINE_NO_SEAT, MINE_MORE])


@router.command("席位", "seats", roles=[Role.ADMIN], chats=IN_GROUPS)
async def show_seats(ctx: Context) -> str:
    """（管理员）查看谁占用了席位"""
    _, term, _ = await current_term(ctx)
    held = await seats.holders(ctx.tenant.id)
    lines = [SEATS_HEAD.format(used=len(held), seats=term.plan.seats)]
    for n, holder in enumerate(held, 1):
        who = f"{holder.userid} {holder.name}".strip()
        how = (
            SEAT_AUTO if holder.assigned_by == seats.AUTO else SEAT_BY.format(by=holder.assigned_by)
        )
        day = holder.assigned_at.astimezone(ctx.tenant.timezone).date()
        lines.append(SEAT_ROW.format(n=n, who=who, day=day, how=how))
    lines.append(SEATS_FOOT if held else SEATS_NONE)
    return "\n".join(lines)


@router.command("分配席位", roles=[Role.ADMIN], chats=IN_GROUPS)
async def assign_seat(ctx: Context) -> str:
    """（管理员）给员工分配席位，例如：分配席位 lisi"""
    userid = userid_arg(ctx, "分配席位")
    billing, term, _ = await current_term(ctx)
    by = ctx.update.user_id or "admin"
    change = await seats.assign(ctx.tenant.id, userid, term.plan.seats, by, ctx.clock.now())
    billing.cache.invalidate(ctx.tenant.id)
    if change is SeatChange.ALREADY:
        return ALREADY.format(userid=userid)
    if change is SeatChange.FULL:
        return FULL.format(seats=term.plan.seats)
    used = len(await seats.holders(ctx.tenant.id))
    return ASSIGNED.format(userid=userid, used=used, seats=term.plan.seats)


@router.command("收回席位", roles=[Role.ADMIN], chats=IN_GROUPS)
async def revoke_seat(ctx: Context) -> str:
    """（管理员）收回员工的席位，例如：收回席位 lisi"""
    userid = userid_arg(ctx, "收回席位")
    by = ctx.update.user_id or "admin"
    change = await seats.revoke(ctx.tenant.id, userid, by, ctx.clock.now())
    billing_of(ctx).cache.invalidate(ctx.tenant.id)
    return (REVOKED if change is SeatChange.REVOKED else NOT_HELD).format(userid=userid)


@router.command("账单", "orders", "bills", roles=[Role.ADMIN], chats=IN_GROUPS)
async def show_orders(ctx: Context) -> str:
    """（管理员）查看订单和付款状态"""
    orders = await Order.filter(tenant_id=ctx.tenant.id).order_by("-id").limit(RECENT_ORDERS)
    if not orders:
        return NO_ORDERS
    rows = [order_line(order, ctx.tenant.timezone) for order in orders]
    return "\n".join([ORDERS_HEAD, *rows, ORDERS_FOOT])


def module_commands(ctx: Context) -> dict[str, tuple[str, ...]]:
    """Each module's command words, from the routes the app runs (``Route.module``)."""
    words: dict[str, tuple[str, ...]] = {}
    for route in ctx.routes:
        module = getattr(route, "module", "")
        if module:
            words[module] = (*words.get(module, ()), *route.commands)
    return words


async def _requested_module(ctx: Context) -> Module | None:
    billing: Billing | None = ctx.deps.get("billing")
    if billing is None or not ctx.update.text:
        return None
    snapshot = await billing.snapshot(ctx.tenant.id)
    term = billing.current(snapshot.term, ctx.tenant.timezone)
    return refusals.locked_module_in(ctx.update.text, billing.catalog, term, module_commands(ctx))


async def asks_for_locked_module(ctx: Context) -> bool:
    return await _requested_module(ctx) is not None


@locked_router.message(asks_for_locked_module)
async def ask_for_locked_module(ctx: Context) -> str:
    """Text no other route took that asks for a module the plan lacks ("新建工单 …" without
    the tickets module, "我想用进销存"): the same answer a command of that module would get.
    Text that merely contains a module's word is left to the fallback."""
    billing, term, _ = await current_term(ctx)
    module = await _requested_module(ctx)
    assert module is not None, "the filter found one"
    return await refusals.refuse_module(ctx, billing, term, module)
