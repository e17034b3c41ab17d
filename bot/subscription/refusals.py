"""What the bot says when a tenant's plan does not cover a request, and what admins hear.

A refusal names the module, what it adds, what it costs for the rest of the period and how to
get it. The tenant's admins get an upgrade notice at most once per module per day, and a seat
notice at most once per day, claimed by milestone key so replicas never double them.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.dispatch.context import Context
from bot.notices import notice_replies, told
from bot.subscription import notify
from bot.subscription.catalog import Catalog, Module
from bot.subscription.lifecycle import Term
from bot.subscription.money import format_cny
from bot.subscription.offers import cheapest_offer
from bot.subscription.periods import last_day
from bot.subscription.plan import PlanChange, granted_modules, split_change
from bot.subscription.pricing import recurring_total
from bot.subscription.purchases import change
from bot.subscription.service import Billing
from bot.subscription.wants import requested_module

MODULE_REFUSED = "「{name}」未开通：{description}。"
PRICE_NOW = "本期还剩 {days} 天，现在开通需 {now}，之后每{unit}加 {per}。"
PRICE_TRIAL = "试用期内可免费开通，试用结束后每{unit}加 {per}。"
CHEAPER = "更划算：{action}「{via}」每{unit}只加 {per}。"
ASK_SELF = "发送「开通 {name}」查看报价并下单。"
ASK_ADMIN = "请联系管理员开通，我已通知管理员。"
UPGRADE_NOTICE = (
    "【升级提醒】{who} 想使用「{name}」，当前套餐未包含。{price}发送「开通 {name}」查看报价并下单。"
)
SEAT_FULL = (
    "席位已满（已用 {used}/{seats}），暂时不能使用「{name}」。"
    "请联系管理员分配席位，我已通知管理员。"
)
SEAT_NOTICE = (
    "【席位提醒】{who} 想使用「{name}」，但席位已满（{used}/{seats}）。"
    "加 1 个席位{price}：发送「加席位 1」；或发送「席位」查看后收回不再使用的席位。"
)
SEAT_PRICE_NOW = "本期需 {now}"
SEAT_PRICE_TRIAL = "试用期内免费"
SUSPENDED = (
    "套餐已于 {last} 到期并暂停，现在只能使用 帮助、套餐 和续费。"
    "数据都完好保留，管理员发送「续费 12个月」即可恢复。"
)
CANCELLED = (
    "服务已停用（套餐于 {last} 到期）。数据都完好保留："
    "管理员发送「续费 12个月」查看报价，付款后立即恢复。"
)
LAPSE_REMINDER = (
    "提醒：套餐已于 {last} 到期，{suspend} 起将暂停使用。请管理员发送「续费 12个月」续费。"
)


def suspended(term: Term) -> str:
    return SUSPENDED.format(last=last_day(term.period_end).isoformat())


def cancelled(term: Term) -> str:
    return CANCELLED.format(last=last_day(term.period_end).isoformat())


def lapse_reminder(billing: Billing, term: Term) -> str:
    suspend = term.period_end + timedelta(days=billing.policy.grace_days)
    return LAPSE_REMINDER.format(
        last=last_day(term.period_end).isoformat(), suspend=suspend.isoformat()
    )


def module_price(catalog: Catalog, term: Term, module: Module, today: date) -> str:
    """What adding ``module`` costs: now for the rest of the period, then per period."""
    wanted = PlanChange(add_modules=frozenset({module.code}))
    later = split_change(catalog, term.next_plan, wanted).next_period
    unit = catalog.period(later.period).unit
    per = format_cny(recurring_total(catalog, later) - recurring_total(catalog, term.next_plan))
    if term.is_trial:
        text = PRICE_TRIAL.format(unit=unit, per=per)
    else:
        now = format_cny(change(catalog, term, wanted, "", today).quote.total)
        days = (term.period_end - today).days
        text = PRICE_NOW.format(days=days, now=now, unit=unit, per=per)
    return text + _cheaper(catalog, term, module)


def _cheaper(catalog: Catalog, term: Term, module: Module) -> str:
    offer = cheapest_offer(catalog, term.next_plan, module.code)
    if offer is None or isinstance(offer.via, Module):
        return ""
    action = "升级" if offer.change.edition else "开通"
    unit = catalog.period(term.next_plan.period).unit
    return CHEAPER.format(
        action=action, via=offer.via.name, unit=unit, per=format_cny(offer.per_period)
    )


def _who(ctx: Context) -> str:
    employee = ctx.employee
    if employee is not None and employee.name:
        return f"{employee.name}（{employee.userid}）"
    return ctx.update.user_id or "有人"


async def _notify_admins(ctx: Context, key: str, kind: str, text: str) -> None:
    """Tell the tenant's admins once per ``key``; 1:1, only the others (the asker already
    has the answer)."""
    notices = [n for n in await notice_replies(ctx.tenant, text) if n.to_user != ctx.update.user_id]
    if notices and await notify.claim(ctx.tenant.id, key, kind, told(notices), ctx.clock.now()):
        ctx.replies.extend(notices)


async def refuse_module(ctx: Context, billing: Billing, term: Term, module: Module) -> str:
    today = billing.today(ctx.tenant.timezone)
    price = module_price(billing.catalog, term, module, today)
    notice = UPGRADE_NOTICE.format(who=_who(ctx), name=module.name, price=price)
    await _notify_admins(ctx, f"upgrade:{module.code}:{today}", "upgrade", notice)
    ask = ASK_SELF.format(name=module.name) if ctx.is_admin else ASK_ADMIN
    head = MODULE_REFUSED.format(name=module.name, description=module.description)
    return f"{head}\n{price}\n{ask}"


async def refuse_seat(ctx: Context, billing: Billing, term: Term, module: Module, used: int) -> str:
    today = billing.today(ctx.tenant.timezone)
    if term.is_trial:
        price = SEAT_PRICE_TRIAL
    else:
        wanted = PlanChange(seats=term.plan.seats + 1)
        price = SEAT_PRICE_NOW.format(
            now=format_cny(change(billing.catalog, term, wanted, "", today).quote.total)
        )
    seats = term.plan.seats
    notice = SEAT_NOTICE.format(
        who=_who(ctx), name=module.name, used=used, seats=seats, price=price
    )
    await _notify_admins(ctx, f"seat-full:{today}", "seat", notice)
    return SEAT_FULL.format(used=used, seats=seats, name=module.name)


def locked_module_in(
    text: str, catalog: Catalog, term: Term, commands: dict[str, tuple[str, ...]]
) -> Module | None:
    """A module the plan lacks that ``text`` asks for ("新建工单 …" without 售后工单,
    "我想用进销存"); a word found inside unrelated text ("…上海远航贸易的采购") is no
    request (``bot.subscription.wants``)."""
    return requested_module(text, catalog, locked_modules(catalog, term), commands)


def locked_modules(catalog: Catalog, term: Term) -> list[str]:
    """The codes of the modules the catalog sells that the plan lacks."""
    granted = granted_modules(catalog, term.plan)
    return [m.code for m in catalog.modules if m.code not in granted]
