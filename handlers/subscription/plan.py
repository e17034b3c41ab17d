"""套餐, 席位, 分配席位, 收回席位, 账单: what the tenant has, who holds its seats, its orders.

Core commands: they work whatever the subscription's state, so a suspended tenant can still
see what it had and renew. ``locked_router`` (a hint: only text nothing else took)
answers text that asks for a module the plan lacks (``bot.subscription.wants``) with that
module's price; a module's word inside unrelated text is no request.
"""

from __future__ import annotations

from bot.admin.colleagues import colleague_userid
from bot.dispatch.context import Context
from bot.dispatch.filters import Command
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.dispatch.types import ChatType
from bot.people.resolve import answers_choice
from bot.subscription import refusals, seats
from bot.subscription.catalog import Module
from bot.subscription.lifecycle import Term, paid_end
from bot.subscription.money import format_cny
from bot.subscription.orders import order_line
from bot.subscription.periods import last_day
from bot.subscription.phrases import END, LOOK, WANT, WHO
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
SEATS = r"(?:席位|座席|账号)"


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


@router.command(
    "套餐",
    "plan",
    "subscription",
    chats=IN_GROUPS,
    slots=(),
    examples=(
        "套餐",
        "我们现在是什么套餐",
        "现在是什么套餐？",
        "我们用的什么版本",
        "目前是哪个版本",
        "当前套餐",
        "看看套餐",
        "查一下我们的套餐",
        "套餐情况",
        "套餐什么时候到期",
        "什么时候到期",
        "服务什么时候到期？",
        "还有多久到期",
        "还剩几天到期",
        "到期时间是哪天",
        "我们买了哪些模块",
        "开通了哪些功能",
        "我能用哪些功能",
        "plan",
        "subscription",
    ),
    phrasings=(
        (
            rf"{WANT}(?:现在|目前|当前)?(?:是|用的是?|买的是?|开的是?)(?:什么|哪个|啥)"
            rf"(?:套餐|版本){END}",
            "套餐",
        ),
        (
            rf"{LOOK}(?:我们|咱们|公司)?的?(?:当前|现在|目前)?的?(?:套餐|订阅)(?:情况|信息|详情)?{END}",
            "套餐",
        ),
        (
            rf"(?:我们|咱们|套餐|服务|系统|账号)?的?(?:什么时候|啥时候|哪天|几号)(?:到期|过期){END}",
            "套餐",
        ),
        (rf"(?:还有|还剩)(?:多久|几天|多少天)(?:到期|过期){END}", "套餐"),
        (rf"(?:套餐|服务)?到期(?:时间|日期|日)(?:是)?(?:哪天|什么时候|几号)?{END}", "套餐"),
        (rf"(?:我们|咱们)?(?:买|开通|开)了(?:哪些|什么)(?:模块|功能){END}", "套餐"),
        (rf"我?(?:能|可以)用(?:哪些|什么)功能{END}", "套餐"),
    ),
)
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


@router.command(
    "席位",
    "seats",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    slots=(),
    examples=(
        "席位",
        "还剩几个席位",
        "还有几个席位？",
        "剩几个席位",
        "有几个空席位",
        "我们有多少席位",
        "席位还剩多少",
        "席位够不够",
        "席位满了吗",
        "席位用了多少",
        "用了几个席位",
        "谁占了席位",
        "谁在用席位",
        "席位都给了谁",
        "看看席位",
        "查一下席位",
        "席位情况",
        "席位使用情况",
        "seats",
        "还有空席位吗",
        "账号够不够用",
    ),
    phrasings=(
        (
            rf"(?:我们|咱们)?(?:还)?(?:剩|剩下|有|空着|空)(?:几个|多少个?)(?:空)?{SEATS}{END}",
            "席位",
        ),
        (rf"(?:还)?有空(?:的)?{SEATS}{END}", "席位"),
        (
            rf"{SEATS}(?:还)?(?:剩|剩下|还有|用了|够不够|够吗|满了|满没满|都给了谁|给了谁)"
            rf"(?:几个|多少个?|多少)?{END}",
            "席位",
        ),
        (rf"{SEATS}(?:的)?(?:使用)?情况{END}", "席位"),
        (rf"(?:谁|哪些人)(?:占了|占着|在用|占用了?|有){SEATS}{END}", "席位"),
        (rf"{SEATS}(?:还)?(?:够用吗|够用不|够不够用|够用)(?:吗|不)?{END}", "席位"),
        (rf"{LOOK}(?:我们的)?{SEATS}(?:情况|使用情况)?{END}", "席位"),
        (rf"(?:用了|已用)(?:几个|多少个?){SEATS}{END}", "席位"),
    ),
)
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


@router.command(
    "分配席位",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    slots=("who",),
    examples=(
        "分配席位 lisi",
        "给李四开个席位",
        "给lisi分配一个席位",
        "给王五分个席位",
        "给李四开通席位",
        "给wangwu配个席位",
        "给李四加个席位",
        "给李四一个席位",
        "给李四开个账号",
        "把席位分给李四",
        "把一个席位分配给wangwu",
        "席位分给李四",
        "李四分配席位",
        "lisi分个席位",
        "给新来的赵六开个席位吧",
        "给zhaoliu分配席位",
        "给李四也开个席位",
        "分配个席位给李四",
        "给李四分配一下席位",
        "赵六也要用，给他开个席位",
        "新同事周八需要一个席位",
        "让钱七占一个席位",
        "分配席位 zhaoliu",
    ),
    phrasings=(
        (
            rf"给(?:新来的|新同事)?(?P<who>{WHO})(?:也)?(?:开|开通|分配|分|配|加)(?:一下|个|一个|上)?"
            rf"{SEATS}{END}",
            "分配席位 {who}",
        ),
        (rf"给(?P<who>{WHO})(?:一个|个){SEATS}{END}", "分配席位 {who}"),
        (rf"(?:把|将)?(?:一个|个)?席位(?:分配|分)给(?P<who>{WHO}){END}", "分配席位 {who}"),
        (rf"(?:分配|分)(?:一个|个)席位给(?P<who>{WHO}){END}", "分配席位 {who}"),
        (rf"(?P<who>{WHO})(?:分配|分|开)(?:个|一个)?席位{END}", "分配席位 {who}"),
        (
            # 「王五也要用，给他开个席位」「新同事钱七需要一个账号席位」「让孙八占一个席位」
            rf"(?:新同事|新来的)?(?P<who>{WHO})(?:也)?(?:要用|想用|需要用|要用系统|要用这个)[，,]\s*"
            rf"(?:给(?:他|她|ta))?(?:开|开通|分配|分|配|加)(?:一下|个|一个|上)?{SEATS}{END}",
            "分配席位 {who}",
        ),
        (
            rf"(?:新同事|新来的)(?P<who>{WHO})(?:也)?(?:需要|要)(?:一个|个)(?:账号)?{SEATS}{END}",
            "分配席位 {who}",
        ),
        (rf"让(?P<who>{WHO})(?:占|用)(?:一个|个){SEATS}{END}", "分配席位 {who}"),
    ),
)
@answers_choice
async def assign_seat(ctx: Context) -> str:
    """（管理员）给员工分配席位，例如：分配席位 lisi"""
    userid = await colleague_userid(ctx, "分配席位", what="使用席位")
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


@router.command(
    "收回席位",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    slots=("who",),
    examples=(
        "收回席位 lisi",
        "把李四的席位收回",
        "把lisi的席位收回来",
        "收回李四的席位",
        "回收王五的席位",
        "释放李四的席位",
        "取消李四的席位",
        "把李四的席位去掉",
        "把wangwu的席位拿掉",
        "李四离职了，把席位收回",
        "李四离职了，席位收回吧",
        "王五走了，把他的席位收回",
        "李四不用了，释放席位",
        "撤掉李四的席位",
        "把李四的席位回收了",
        "李四的席位收回",
        "李四的席位不要了",
        "收回zhaoliu的席位",
        "把赵六的账号收回",
        "收回席位 wangwu",
        "王五那个席位拿回来给新同事",
    ),
    phrasings=(
        (
            rf"(?:把|将)?(?P<who>{WHO})的(?:席位|账号|座席)(?:收回|收回来|回收|拿掉|去掉|撤掉|释放|不要)"
            rf"(?:了)?{END}",
            "收回席位 {who}",
        ),
        (
            rf"(?:收回|回收|释放|取消|撤销|撤掉|拿掉)(?P<who>{WHO})的(?:席位|座席){END}",
            "收回席位 {who}",
        ),
        (
            # 「孙八那个席位拿回来给别人用」
            rf"(?:把|将)?(?P<who>{WHO})(?:那个|的)(?:席位|账号|座席)(?:拿回来|收回来|腾出来|空出来|让出来)"
            r"(?:[，,]?\s*(?:给别人用|给别人|给新人用|给新同事))?(?:吧|了)?",
            "收回席位 {who}",
        ),
        (
            rf"(?P<who>{WHO})(?:离职了|走了|不用了|不干了)[，,]?(?:把|将)?(?:他|她)?的?席位"
            rf"(?:收回|回收|释放)(?:吧|了)?{END}",
            "收回席位 {who}",
        ),
        (
            rf"(?P<who>{WHO})(?:离职了|走了|不用了|不干了)[，,]?(?:收回|回收|释放)(?:他|她)?的?席位{END}",
            "收回席位 {who}",
        ),
    ),
)
@answers_choice
async def revoke_seat(ctx: Context) -> str:
    """（管理员）收回员工的席位，例如：收回席位 lisi"""
    userid = await colleague_userid(ctx, "收回席位", allow_left=True)
    by = ctx.update.user_id or "admin"
    change = await seats.revoke(ctx.tenant.id, userid, by, ctx.clock.now())
    billing_of(ctx).cache.invalidate(ctx.tenant.id)
    return (REVOKED if change is SeatChange.REVOKED else NOT_HELD).format(userid=userid)


@router.command(
    "账单",
    "orders",
    "bills",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    slots=(),
    examples=(
        "账单",
        "看看账单",
        "查一下账单",
        "查看账单",
        "我们的账单",
        "最近的账单",
        "历史账单",
        "购买记录",
        "看下购买记录",
        "付款记录",
        "缴费记录",
        "续费记录",
        "支付记录",
        "我们买过什么",
        "都买过哪些",
        "有没付的账单吗",
        "待付款的续费订单",
        "购买订单",
        "orders",
        "bills",
    ),
    phrasings=(
        (
            rf"{LOOK}(?:我们|咱们|公司)?的?(?:最近的|历史|所有)?(?:账单|购买记录|付款记录|缴费记录"
            rf"|续费记录|支付记录|购买订单|续费订单|套餐订单|付费记录){END}",
            "账单",
        ),
        (rf"(?:我们|咱们)?(?:都)?买过(?:什么|哪些|些什么)(?:东西)?{END}", "账单"),
        (
            rf"(?:我们)?(?:有)?(?:没付|没付款|未付|待付|待付款|未付款)的?(?:账单|单子|购买订单|续费订单){END}",
            "账单",
        ),
    ),
)
async def show_orders(ctx: Context) -> str:
    """（管理员）查看订单和付款状态"""
    orders = await Order.filter(tenant_id=ctx.tenant.id).order_by("-id").limit(RECENT_ORDERS)
    if not orders:
        return NO_ORDERS
    rows = [order_line(order, ctx.tenant.timezone) for order in orders]
    return "\n".join([ORDERS_HEAD, *rows, ORDERS_FOOT])


def module_commands(ctx: Context) -> dict[str, tuple[str, ...]]:
    """Each module's command words that take this text, from the routes the app runs
    (``Route.module``): "工单系统的培训…" starts with 工单 but is no 工单 command, so it asks
    for nothing."""
    words: dict[str, tuple[str, ...]] = {}
    for route in ctx.routes:
        module = getattr(route, "module", "")
        commands = [f for f in getattr(route, "filters", ()) if isinstance(f, Command)]
        if module and any(command(ctx) for command in commands):
            words[module] = (*words.get(module, ()), *route.commands)
    return words


async def _requested_module(ctx: Context) -> Module | None:
    billing: Billing | None = ctx.deps.get("billing")
    if billing is None or not ctx.update.text:
        return None
    snapshot = await billing.snapshot(ctx.tenant.id)
    term = billing.current(snapshot.term, ctx.tenant.timezone)
    if not refusals.locked_modules(billing.catalog, term):
        return None  # a plan with every module: nothing to ask for (and no routes to scan)
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
