"""What the operators read: one client's profile, the clients by health, renewals due."""

from __future__ import annotations

from collections.abc import Sequence

from bot.provider.clients import ClientFacts, module_name
from bot.provider.health import TIER_NAMES, TIER_ORDER, Health
from bot.subscription.catalog import Catalog

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
NO_RENEWALS = "未来30天没有客户到期。"
RENEWALS_HEAD = "未来30天到期的客户共 {count} 家："


def _when(days_left: int) -> str:
    if days_left < 0:
        return f"已过期 {-days_left} 天"
    return "今天到期" if days_left == 0 else f"还有 {days_left} 天"


def profile(catalog: Catalog, facts: ClientFacts, health: Health) -> str:
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
        SIGNALS.format(reasons=health.reasons()),
    ]
    return "\n".join(lines)


def by_tier(clients: Sequence[tuple[ClientFacts, Health]]) -> str:
    lines = [f"客户健康（共 {len(clients)} 家）："]
    for tier in TIER_ORDER:
        members = sorted(
            (c for c in clients if c[1].tier is tier), key=lambda c: (c[1].score, c[0].tenant.id)
        )
        if not members:
            continue
        lines.append(f"{TIER_NAMES[tier]} {len(members)} 家")
        for facts, health in members:
            lines.append(CLIENT_LINE.format(name=facts.tenant.name, reasons=health.reasons()))
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
