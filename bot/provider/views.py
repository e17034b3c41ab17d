"""What the operators read: one client's profile, the clients by health, renewals due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.provider.care import Care
from bot.provider.clients import ClientFacts, module_name
from bot.provider.health import TIER_NAMES, TIER_ORDER, Health
from bot.provider.value import MONTHLY_CHURN, Demand, Growth
from bot.subscription.catalog import Catalog
from bot.subscription.money import format_fen

PROFILE_HEAD = "{name}（{key}）· {health}"
SEATS = "席位：已用 {used} / 已购 {paid}"
ACTIVE = "活跃成员：近7天 {week} 人，近30天 {month} 人"
MODULES = "模块：已用 {used} / 已购 {paid}{names}"
REFUSED = "近30天被拒：{items}"
NO_REFUSALS = "近30天没有被拒的请求"
RENEWAL = "到期日：{day}（{when}）"
SIGNALS = "健康信号：{reasons}"
CLIENT_LINE = "· {name}：{reasons}"
RENEWAL_LINE = "· {name}：{day}（{when}），活跃 {active}/{seats}"
VALUE = "价值：月均收入 {monthly}，生命周期价值约 {ltv}（按月流失 {churn}%）"
GROWTH = "增长潜力：每月约 {total}（{reasons}）"
NO_GROWTH = "增长潜力：暂无（席位够用，也没有请求未开通的模块）"
GROWTH_HEAD = "增长潜力排行（每月可增收）："
GROWTH_LINE = "{rank}. {name} {total}/月：{reasons}"
GROWTH_NONE = "暂时没有客户显示增长信号（席位缺口或请求未开通模块）。"
NO_RENEWALS = "未来30天没有客户到期。"
RENEWALS_HEAD = "未来30天到期的客户共 {count} 家："


def _when(days_left: int) -> str:
    if days_left < 0:
        return f"已过期 {-days_left} 天"
    return "今天到期" if days_left == 0 else f"还有 {days_left} 天"


@dataclass(frozen=True, slots=True)
class Value:
    monthly_fen: int
    lifetime_fen: int
    growth: Growth


def _demand(demand: Demand) -> str:
    count = f"缺 {demand.count} 个" if demand.what == "席位" else f"被拒 {demand.count} 次"
    return f"{demand.what}{count} {format_fen(demand.monthly_fen)}"


def _reasons(growth: Growth) -> str:
    return "；".join(_demand(d) for d in growth.demands)


def _value_lines(health: Health, value: Value) -> list[str]:
    churn = MONTHLY_CHURN[health.tier] * 100
    worth = VALUE.format(
        monthly=format_fen(value.monthly_fen), ltv=format_fen(value.lifetime_fen), churn=churn
    )
    if not value.growth.demands:
        return [worth, NO_GROWTH]
    total = format_fen(value.growth.monthly_fen)
    return [worth, GROWTH.format(total=total, reasons=_reasons(value.growth))]


def growth_ranking(clients: Sequence[tuple[ClientFacts, Growth]]) -> str:
    ranked = sorted(
        (c for c in clients if c[1].demands), key=lambda c: (-c[1].monthly_fen, c[0].tenant.id)
    )
    if not ranked:
        return GROWTH_NONE
    lines = [GROWTH_HEAD]
    for rank, (facts, growth) in enumerate(ranked, 1):
        lines.append(
            GROWTH_LINE.format(
                rank=rank,
                name=facts.tenant.name,
                total=format_fen(growth.monthly_fen),
                reasons=_reasons(growth),
            )
        )
    return "\n".join(lines)


def profile(catalog: Catalog, facts: ClientFacts, health: Health, value: Value, care: Care) -> str:
    tenant = facts.tenant
    used = [module_name(catalog, m) for m in facts.modules_used]
    unused = [module_name(catalog, m) for m in facts.modules_paid if m not in facts.modules_used]
    names = "（" + "、".join(used) + "）" if used else ""
    if unused:
        names += "，未用：" + "、".join(unused)
    refused = [f"{module_name(catalog, m)} {n} 次" for m, n in facts.refused_modules.items()]
    if facts.refused_seats:
        refused.append(f"席位已满 {facts.refused_seats} 次")
    lines = [
        PROFILE_HEAD.format(name=tenant.name, key=tenant.key, health=TIER_NAMES[health.tier]),
        SEATS.format(used=facts.seats_used, paid=facts.seats_paid),
        ACTIVE.format(week=facts.active_7, month=facts.active_30),
        MODULES.format(used=len(used), paid=len(facts.modules_paid), names=names),
        REFUSED.format(items="，".join(refused)) if refused else NO_REFUSALS,
        RENEWAL.format(day=facts.renews_on.isoformat(), when=_when(facts.days_left)),
        *care.lines(),
        SIGNALS.format(reasons=health.reasons()),
        *_value_lines(health, value),
    ]
    return "\n".join(lines)


# 客户健康 names this many clients of each tier (the worst first) and counts the rest: one
# chat message, however many clients the provider has.
LISTED_PER_TIER = 10
MORE_IN_TIER = "· …另有 {count} 家（发送「企业概况 名称」查看一家）"


def by_tier(clients: Sequence[tuple[ClientFacts, Health]]) -> str:
    lines = [f"客户健康（共 {len(clients)} 家）："]
    for tier in TIER_ORDER:
        members = sorted(
            (c for c in clients if c[1].tier is tier), key=lambda c: (c[1].score, c[0].tenant.id)
        )
        if not members:
            continue
        lines.append(f"{TIER_NAMES[tier]} {len(members)} 家")
        for facts, health in members[:LISTED_PER_TIER]:
            lines.append(CLIENT_LINE.format(name=facts.tenant.name, reasons=health.reasons()))
        if len(members) > LISTED_PER_TIER:
            lines.append(MORE_IN_TIER.format(count=len(members) - LISTED_PER_TIER))
    return "\n".join(lines)


def renewals(clients: Sequence[tuple[ClientFacts, Health]]) -> str:
    due = [c for c in clients if c[0].days_left <= 30]
    if not due:
        return NO_RENEWALS
    lines = [RENEWALS_HEAD.format(count=len(due))]
    for tier in TIER_ORDER:
        members = sorted(
            (c for c in due if c[1].tier is tier), key=lambda c: (c[0].days_left, c[0].tenant.id)
        )
        if not members:
            continue
        lines.append(f"{TIER_NAMES[tier]} {len(members)} 家")
        for facts, _ in members:
            lines.append(
                RENEWAL_LINE.format(
                    name=facts.tenant.name,
                    day=facts.renews_on.isoformat(),
                    when=_when(facts.days_left),
                    active=facts.active_30,
                    seats=facts.seats_paid,
                )
            )
    return "\n".join(lines)
