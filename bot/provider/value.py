"""What a client is worth to the provider, and what more it could buy. Money in integer fen.

* Lifetime value = monthly revenue ÷ the monthly churn assumed for its health tier
  (green 1 %, amber 3 %, red 8 %). Monthly revenue = what its paid orders brought in the 12
  months up to today ÷ the months of those 12 it has been paying (from its first paid order
  ever, whole months rounded up, 1 to 12).
* Growth potential per month = the seat gap (members in its WeCom address book, or members
  seen by the bot before the first sync, less paid seats) × the monthly price of one more
  seat + Σ over locked modules refused in 30 days of the module's monthly price × the chance
  it is bought, attempts ÷ 10 capped at 1. Prices come from the subscription pricing
  (``recurring_total`` of the plan with and without the addition, over its billing period).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from fractions import Fraction

from bot.provider.clients import ClientFacts, count_by_tenant, module_name
from bot.provider.health import Tier
from bot.subscription.catalog import Catalog, UnknownItemError
from bot.subscription.plan import Plan
from bot.subscription.pricing import recurring_total
from bot.subscription.revenue import monthly_share
from models.people import DirectoryMember, MemberStatus
from models.subscriptions import Order, OrderStatus
from models.tenants import Employee

MONTHLY_CHURN = {
    Tier.GREEN: Fraction(1, 100),
    Tier.AMBER: Fraction(3, 100),
    Tier.RED: Fraction(8, 100),
}
ATTEMPTS_FOR_CERTAINTY = 10
PAID = (OrderStatus.PAID, OrderStatus.APPLIED)


def to_fen(amount: Fraction) -> int:
    """Half up, as the subscription rounds money."""
    return int((amount * 100 + Fraction(1, 2)) // 1)


@dataclass(frozen=True, slots=True)
class Demand:
    what: str  # 席位 or a module's name
    count: int  # seats missing, or refused attempts
    monthly_fen: int  # what it would add per month, weighted by its chance


@dataclass(frozen=True, slots=True)
class Growth:
    monthly_fen: int
    demands: tuple[Demand, ...]


def lifetime_value(monthly_revenue_fen: int, tier: Tier) -> int:
    return to_fen(Fraction(monthly_revenue_fen, 100) / MONTHLY_CHURN[tier])


def months_paying(first_paid: datetime, now: datetime) -> int:
    days = (now - first_paid).days
    return max(1, min(12, -(-days // 30) if days > 0 else 1))


async def monthly_revenue(tenant_id: int, now: datetime) -> int:
    paid = await Order.filter(tenant_id=tenant_id, status__in=PAID, paid_at__isnull=False)
    if not paid:
        return 0
    first = min(o.paid_at for o in paid if o.paid_at is not None)
    year_ago = now - timedelta(days=365)
    total = sum(
        (Fraction(o.total) for o in paid if o.paid_at is not None and year_ago < o.paid_at <= now),
        Fraction(0),
    )
    return to_fen(total / months_paying(first, now))


def _monthly_price(catalog: Catalog, plan: Plan, bigger: Plan) -> Fraction:
    added = recurring_total(catalog, bigger) - recurring_total(catalog, plan)
    return monthly_share(catalog, added, plan.period)


def growth(catalog: Catalog, facts: ClientFacts, members: int) -> Growth:
    plan = facts.term.plan
    demands = []
    gap = members - plan.seats
    if gap > 0:
        price = _monthly_price(catalog, plan, replace(plan, seats=plan.seats + gap))
        demands.append(Demand("席位", gap, to_fen(price)))
    for code, attempts in facts.refused_modules.items():
        if code in facts.modules_paid:
            continue  # bought since it was refused
        try:
            price = _monthly_price(catalog, plan, replace(plan, modules=plan.modules | {code}))
        except UnknownItemError:
            continue  # no longer sold
        chance = Fraction(min(attempts, ATTEMPTS_FOR_CERTAINTY), ATTEMPTS_FOR_CERTAINTY)
        demands.append(Demand(module_name(catalog, code), attempts, to_fen(price * chance)))
    return Growth(sum(d.monthly_fen for d in demands), tuple(demands))


async def headcount(tenant_id: int) -> int:
    return (await headcounts([tenant_id]))[tenant_id]


async def headcounts(tenant_ids: Sequence[int]) -> dict[int, int]:
    """Members in each WeCom address book; before its first sync, those the bot has met."""
    synced = await count_by_tenant(
        DirectoryMember.filter(tenant_id__in=tenant_ids, status=MemberStatus.ACTIVE)
    )
    met = await count_by_tenant(Employee.filter(tenant_id__in=tenant_ids))
    return {t: synced.get(t) or met.get(t, 0) for t in tenant_ids}
