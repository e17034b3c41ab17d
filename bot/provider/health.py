"""A client's health: green, amber or red, from five signals, each worth points.

The README ("For the provider") states the table; in short, points below zero hurt:

* active members in 30 days ÷ paid seats: ≥ 60 % +1, 30–60 % −1, below 30 % −3;
* commands in the last 14 days against the 14 before: up 20 % or more +1, down 20–50 % −1,
  down 50 % or more −3; none in either −2; none before and some now +1;
* breadth, capabilities used in 30 days ÷ capabilities owned: ≥ 50 % +1, below 25 % −1;
* 3 or more commands refused for want of a seat in 30 days −1;
* renewal: lapsed −3, due within 7 days −2, within 30 days −1.

Total ≥ −1 is green, −2 or −3 amber, −4 or less red. The signals shown are the three that
moved the total most (largest points either way), ties in the order above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from bot.provider.clients import ClientFacts
from models.provider import TenantDailyUsage


class Tier(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


TIER_NAMES = {Tier.GREEN: "🟢 健康", Tier.AMBER: "🟡 关注", Tier.RED: "🔴 风险"}
TIER_ORDER = (Tier.RED, Tier.AMBER, Tier.GREEN)


@dataclass(frozen=True, slots=True)
class Signal:
    points: int
    text: str


@dataclass(frozen=True, slots=True)
class Health:
    tier: Tier
    score: int
    signals: tuple[Signal, ...]  # the three that moved the score most

    def reasons(self) -> str:
        return "；".join(s.text for s in self.signals) or "各项正常"


@dataclass(frozen=True, slots=True)
class UsageWindow:
    """What the roll-ups of the 28 days up to yesterday say."""

    last_14: int  # commands
    previous_14: int
    capabilities_used: int  # distinct, in the last 30 days
    capabilities_owned: int  # on the latest day rolled up


class DayRow(NamedTuple):
    """What the health reads of one roll-up."""

    day: date
    commands: int
    capabilities_owned: int
    by_capability: dict[str, int]


def usage_window(days: Sequence[DayRow], yesterday: date) -> UsageWindow:
    recent_start = yesterday - timedelta(days=13)
    previous_start = recent_start - timedelta(days=14)
    month_start = yesterday - timedelta(days=29)
    last = sum(d.commands for d in days if recent_start <= d.day <= yesterday)
    before = sum(d.commands for d in days if previous_start <= d.day < recent_start)
    used = {c for d in days if month_start <= d.day <= yesterday for c in d.by_capability}
    latest = max(days, key=lambda d: d.day, default=None)
    owned = latest.capabilities_owned if latest is not None else 0
    return UsageWindow(last, before, len(used), owned)


def _percent(part: float) -> str:
    return f"{round(part * 100)}%"


def active_signal(facts: ClientFacts) -> Signal:
    ratio = facts.active_30 / facts.seats_paid
    text = f"30天活跃 {facts.active_30}/{facts.seats_paid} 席位（{_percent(ratio)}）"
    if ratio >= 0.6:
        return Signal(1, text)
    return Signal(-1 if ratio >= 0.3 else -3, text)


def trend_signal(window: UsageWindow) -> Signal:
    last, before = window.last_14, window.previous_14
    if before == 0:
        if last == 0:
            return Signal(-2, "近28天没有使用")
        return Signal(1, f"近14天开始使用（{last} 次）")
    change = (last - before) / before
    sign = "+" if change >= 0 else ""
    text = f"近14天指令 {last} 次，前14天 {before} 次（{sign}{_percent(change)}）"
    if change >= 0.2:
        return Signal(1, text)
    if change <= -0.5:
        return Signal(-3, text)
    return Signal(-1 if change <= -0.2 else 0, text)


def breadth_signal(window: UsageWindow) -> Signal:
    owned = window.capabilities_owned
    if owned == 0:
        return Signal(0, "尚无用量汇总")
    ratio = window.capabilities_used / owned
    text = f"功能广度 {window.capabilities_used}/{owned}（{_percent(ratio)}）"
    if ratio >= 0.5:
        return Signal(1, text)
    return Signal(-1 if ratio < 0.25 else 0, text)


def seat_signal(facts: ClientFacts) -> Signal:
    text = f"30天内 {facts.refused_seats} 次因席位已满被拒"
    return Signal(-1 if facts.refused_seats >= 3 else 0, text)


def renewal_signal(facts: ClientFacts) -> Signal:
    left = facts.days_left
    if left < 0:
        return Signal(-3, f"已于 {facts.renews_on.isoformat()} 到期")
    text = f"{left} 天后到期（{facts.renews_on.isoformat()}）"
    if left <= 7:
        return Signal(-2, text)
    return Signal(-1 if left <= 30 else 0, text)


def assess(facts: ClientFacts, window: UsageWindow) -> Health:
    signals = [
        active_signal(facts),
        trend_signal(window),
        breadth_signal(window),
        seat_signal(facts),
        renewal_signal(facts),
    ]
    score = sum(s.points for s in signals)
    tier = Tier.GREEN if score >= -1 else Tier.AMBER if score >= -3 else Tier.RED
    moved = sorted((s for s in signals if s.points), key=lambda s: -abs(s.points))
    return Health(tier, score, tuple(moved[:3]))


async def health_of(facts: ClientFacts) -> Health:
    [health] = await healths_of([facts])
    return health


async def healths_of(clients: Sequence[ClientFacts]) -> list[Health]:
    """Each client's health from its roll-ups of the 30 days up to its yesterday: one query
    per date that is some client's yesterday (clients in far-apart timezones), not one per
    client."""
    by_yesterday: dict[date, list[int]] = {}
    for facts in clients:
        by_yesterday.setdefault(facts.today - timedelta(days=1), []).append(facts.tenant.id)
    days: dict[int, list[DayRow]] = {}
    for yesterday, ids in by_yesterday.items():
        rows = await TenantDailyUsage.filter(
            tenant_id__in=ids, day__gte=yesterday - timedelta(days=29), day__lte=yesterday
        ).values_list("tenant_id", "day", "commands", "capabilities_owned", "by_capability")
        for tenant_id, day, commands, owned, by_capability in rows:
            days.setdefault(tenant_id, []).append(DayRow(day, commands, owned, by_capability))
    return [
        assess(facts, usage_window(days.get(facts.tenant.id, []), facts.today - timedelta(days=1)))
        for facts in clients
    ]
