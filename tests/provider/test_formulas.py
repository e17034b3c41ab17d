"""The README's formulas ("For the provider") on hand-computed fixtures: the health tier and
its signals, lifetime value and growth potential. No database, no clock: every input is
given."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from bot.provider import views
from bot.provider.clients import ClientFacts
from bot.provider.health import Tier, UsageWindow, assess
from bot.provider.value import growth, lifetime_value, months_paying, to_fen
from bot.subscription.catalog import load_catalog
from bot.subscription.lifecycle import Term
from bot.subscription.plan import Plan
from models.subscriptions import SubscriptionStatus
from models.tenants import Tenant

TODAY = date(2026, 11, 23)
STANDARD_10 = Plan("standard", 10, "month")


def facts(
    *,
    active: int = 8,
    seats: int = 10,
    renews_in: int = 60,
    refused_seats: int = 0,
    refused: dict[str, int] | None = None,
    plan: Plan | None = None,
) -> ClientFacts:
    chosen = plan or Plan("standard", seats, "month")
    end = TODAY + timedelta(days=renews_in + 1)  # exclusive: the last paid day is renews_in away
    term = Term(chosen, SubscriptionStatus.ACTIVE, False, TODAY - timedelta(days=30), end)
    return ClientFacts(
        tenant=Tenant(id=1, key="acme", name="艾克米科技"),
        term=term,
        today=TODAY,
        seats_used=seats,
        active_7=active,
        active_30=active,
        modules_paid=("crm",),
        modules_used=("crm",),
        refused_modules=refused or {},
        refused_seats=refused_seats,
    )


def test_a_busy_client_is_green_with_what_lifted_it() -> None:
    # 8/10 active (+1), 120 vs 100 commands (+20 %: +1), 5 of 8 capabilities (+1)
    health = assess(facts(), UsageWindow(120, 100, 5, 8))
    assert (health.tier, health.score) == (Tier.GREEN, 3)
    assert [s.points for s in health.signals] == [1, 1, 1]


def test_a_slipping_client_is_amber() -> None:
    # 4/10 active (−1), 70 vs 100 (−30 %: −1), 2 of 8 (25 %: 0), renewal in 20 days (−1)
    health = assess(facts(active=4, renews_in=20), UsageWindow(70, 100, 2, 8))
    assert (health.tier, health.score) == (Tier.AMBER, -3)
    assert health.reasons() == (
        "30天活跃 4/10 席位（40%）；近14天指令 70 次，前14天 100 次（-30%）；"
        "20 天后到期（2026-12-13）"
    )


def test_a_client_leaving_is_red_and_shows_the_three_worst_signals() -> None:
    # 2/10 (−3), 40 vs 100 (−60 %: −3), 1 of 8 (−1), 4 seat refusals (−1), 5 days (−2)
    health = assess(facts(active=2, renews_in=5, refused_seats=4), UsageWindow(40, 100, 1, 8))
    assert (health.tier, health.score) == (Tier.RED, -10)
    assert [s.points for s in health.signals] == [-3, -3, -2]


@pytest.mark.parametrize(
    ("score_inputs", "tier"),
    [
        # −1 is still green: 5/10 active (−1) and nothing else
        ((5, UsageWindow(100, 100, 3, 8)), Tier.GREEN),
        # −2 is amber: no use in 28 days (−2), 8/10 active (+1), breadth 0/8 (−1)
        ((8, UsageWindow(0, 0, 0, 8)), Tier.AMBER),
        # −4 is red: 2/10 active (−3), 100 vs 100 (0), breadth 1/8 (−1)
        ((2, UsageWindow(100, 100, 1, 8)), Tier.RED),
    ],
)
def test_the_tier_boundaries(score_inputs: tuple[int, UsageWindow], tier: Tier) -> None:
    active, window = score_inputs
    assert assess(facts(active=active), window).tier is tier


def test_lifetime_value_is_monthly_revenue_over_the_tiers_churn() -> None:
    # ¥1,200 a month: ÷1 % = ¥120,000; ÷3 % = ¥40,000; ÷8 % = ¥15,000
    assert lifetime_value(120_000, Tier.GREEN) == 12_000_000
    assert lifetime_value(120_000, Tier.AMBER) == 4_000_000
    assert lifetime_value(120_000, Tier.RED) == 1_500_000
    # ¥99.99 ÷ 3 % = ¥3,333.00
    assert lifetime_value(9_999, Tier.AMBER) == 333_300


def test_months_paying_counts_whole_months_up_to_twelve() -> None:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    assert months_paying(now, now) == 1
    assert months_paying(now - timedelta(days=31), now) == 2
    assert months_paying(now - timedelta(days=60), now) == 2
    assert months_paying(now - timedelta(days=900), now) == 12
    assert to_fen(Fraction(1, 200)) == 1  # half a fen rounds up


def test_growth_prices_the_seat_gap_and_the_modules_asked_for() -> None:
    catalog = load_catalog()
    # 13 people on 10 standard seats: 3 × ¥99 = ¥297 a month;
    # 安装服务 (¥30 a seat, 10 seats = ¥300) refused 4 times: × 4/10 = ¥120.
    found = growth(catalog, facts(refused={"installation": 4}), members=13)
    assert [(d.what, d.count, d.monthly_fen) for d in found.demands] == [
        ("席位", 3, 29_700),
        ("安装服务", 4, 12_000),
    ]
    assert found.monthly_fen == 41_700
    # 25 attempts are certainty: the full ¥300.
    many = growth(catalog, facts(refused={"installation": 25}), members=10)
    assert [(d.what, d.monthly_fen) for d in many.demands] == [("安装服务", 30_000)]
    assert growth(catalog, facts(), members=9).demands == ()


def test_client_health_names_ten_of_a_tier_worst_first_and_counts_the_rest() -> None:
    clients = []
    for n in range(13):  # red: renewal lapsed, nobody active; the later ones a little worse
        client = replace(
            facts(active=0, renews_in=-1, refused_seats=3 if n >= 10 else 0),
            tenant=Tenant(id=n + 1, key=f"t{n}", name=f"客户{n}"),
        )
        clients.append((client, assess(client, UsageWindow(0, 0, 0, 0))))
    lines = views.by_tier(clients).split("\n")
    assert lines[:2] == ["客户健康（共 13 家）：", "🔴 风险 13 家"]
    named = [line.split("：")[0] for line in lines[2:-1]]
    assert named == ["· 客户10", "· 客户11", "· 客户12", *(f"· 客户{n}" for n in range(7))]
    assert lines[-1] == "· …另有 3 家（发送「企业概况 名称」查看一家）"
