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
from datetime import timedelta
from enum import StrEnum

from bot.provider.clients import ClientFacts
from bot.provider.window import UsageWindow, rolled_up_windows


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
    """Each client's health: its stored window when the facts came with one, otherwise its
    roll-ups, read for all such clients at once."""
    missing = {f.tenant.id: f.today - timedelta(days=1) for f in clients if f.window is None}
    rolled_up = await rolled_up_windows(missing) if missing else {}
    return [assess(f, f.window or rolled_up[f.tenant.id]) for f in clients]
