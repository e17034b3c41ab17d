"""What the console's pages show, read from the same places as the operators' chat commands:
health from ``bot.provider.health``, usage from the daily roll-ups, announcements with their
reach, and MRR from paid orders.

MRR of a month (of the provider's calendar): every paid subscription order (renewals and plan
changes; one-off services are not recurring) spread over the days it pays for,
[``effective_on``, ``ends_on``), and the share falling in that month summed. An order without
``ends_on`` (a plan change paid up to the end of the current period) counts in the month it
takes effect. So a client paying ¥1,200 a year adds about ¥100 to each of its twelve months,
and "MRR now" is the current month's. Beside it the page shows what ``scrm-bot revenue`` says:
the current plans at list price (``bot.subscription.revenue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction

from tortoise.functions import Count

from bot.announcements.audience import describe
from bot.provider import views
from bot.provider.care import care_of
from bot.provider.clients import ClientFacts, client_facts, module_name
from bot.provider.health import TIER_NAMES, TIER_ORDER, Health, Tier, health_of, healths_of
from bot.provider.roster import every_client_facts
from bot.provider.value import PAID, growth, headcount, lifetime_value, monthly_revenue, to_fen
from bot.subscription.operations import revenue_now
from bot.subscription.service import Billing
from models.announcements import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementStatus,
)
from models.provider import TenantDailyUsage
from models.subscriptions import Order, OrderKind
from models.tenants import Tenant

TREND_MONTHS = 12
RECURRING = (OrderKind.RENEWAL, OrderKind.CHANGE)
USAGE_DAYS = 30
ANNOUNCEMENTS_SHOWN = 50
STATUS_WORDS = {
    AnnouncementStatus.DRAFT: "草稿",
    AnnouncementStatus.SCHEDULED: "定时",
    AnnouncementStatus.PUBLISHED: "已发布",
    AnnouncementStatus.REVOKED: "已撤回",
}


@dataclass(frozen=True, slots=True)
class MonthPoint:
    label: str  # 2026-11
    mrr_fen: int


@dataclass(frozen=True, slots=True)
class TenantRow:
    key: str
    name: str
    tier: Tier
    tier_name: str
    signals: tuple[str, ...]
    seats_used: int
    seats_paid: int
    last_paid: date | None  # the provider's calendar


@dataclass(frozen=True, slots=True)
class Dashboard:
    mrr_fen: int  # the current month's, from paid orders
    list_mrr_fen: int  # the current plans at list price, as ``scrm-bot revenue``
    trend: tuple[MonthPoint, ...]  # oldest first, the current month last
    tiers: tuple[tuple[str, int], ...]  # (tier name, clients), red first
    tenants: tuple[TenantRow, ...]  # red first, then by score


@dataclass(frozen=True, slots=True)
class UsageDay:
    day: date
    commands: int
    active_members: int


@dataclass(frozen=True, slots=True)
class TenantPage:
    key: str
    name: str
    tier_name: str
    profile: tuple[str, ...]  # the lines of 企业概况
    days: tuple[UsageDay, ...]  # every day of the window, oldest first
    refusals: tuple[tuple[str, int], ...]  # (module name or 席位已满, attempts in 30 days)


@dataclass(frozen=True, slots=True)
class AnnouncementRow:
    id: int
    title: str
    status: str
    audience: str
    when: str  # published, scheduled or drafted, in the provider's timezone
    delivered: int
    read: int


def _months_back(today: date, count: int) -> list[date]:
    """The first day of each of the last ``count`` months, oldest first."""
    firsts = [today.replace(day=1)]
    while len(firsts) < count:
        previous = firsts[-1] - timedelta(days=1)
        firsts.append(previous.replace(day=1))
    return list(reversed(firsts))


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _spread(order: Order, shares: dict[date, Fraction]) -> None:
    """Adds the order's total to ``shares`` (first day of a month → yuan) by days paid for."""
    total = Fraction(order.total)
    start, end = order.effective_on, order.ends_on
    if end is None or end <= start:
        month = _month_of(start)
        shares[month] = shares.get(month, Fraction(0)) + total
        return
    days = (end - start).days
    day = start
    while day < end:
        following = (_month_of(day) + timedelta(days=32)).replace(day=1)
        upto = min(following, end)
        month = _month_of(day)
        shares[month] = shares.get(month, Fraction(0)) + total * (upto - day).days / days
        day = upto


async def mrr_by_month(now: datetime, tz: tzinfo) -> list[MonthPoint]:
    """The last ``TREND_MONTHS`` months, oldest first; the current month last."""
    firsts = _months_back(now.astimezone(tz).date(), TREND_MONTHS)
    paid = await Order.filter(
        status__in=PAID, paid_at__isnull=False, paid_at__lte=now, kind__in=RECURRING
    )
    shares: dict[date, Fraction] = {}
    for order in paid:
        _spread(order, shares)
    return [
        MonthPoint(first.strftime("%Y-%m"), to_fen(shares.get(first, Fraction(0))))
        for first in firsts
    ]


async def _last_paid(tenant_id: int, tz: tzinfo) -> date | None:
    order = (
        await Order.filter(tenant_id=tenant_id, status__in=PAID, paid_at__isnull=False)
        .order_by("-paid_at")
        .first()
    )
    if order is None or order.paid_at is None:
        return None
    return order.paid_at.astimezone(tz).date()


def _row(facts: ClientFacts, health: Health, last_paid: date | None) -> TenantRow:
    tenant = facts.tenant
    return TenantRow(
        key=tenant.key,
        name=tenant.name,
        tier=health.tier,
        tier_name=TIER_NAMES[health.tier],
        signals=tuple(s.text for s in health.signals),
        seats_used=facts.seats_used,
        seats_paid=facts.seats_paid,
        last_paid=last_paid,
    )


async def dashboard(billing: Billing, now: datetime, tz: tzinfo) -> Dashboard:
    clients = await every_client_facts(billing, now)  # as 客户健康 reads them
    rows = []
    scores = {}
    for facts, health in zip(clients, await healths_of(clients), strict=True):
        scores[facts.tenant.key] = health.score
        rows.append(_row(facts, health, await _last_paid(facts.tenant.id, tz)))
    rank = {tier: n for n, tier in enumerate(TIER_ORDER)}
    rows.sort(key=lambda r: (rank[r.tier], scores[r.key], r.key))
    trend = await mrr_by_month(now, tz)
    tiers = tuple((TIER_NAMES[t], sum(1 for r in rows if r.tier is t)) for t in TIER_ORDER)
    listed = await revenue_now(billing)
    listed_fen = to_fen(Fraction(listed.total))
    return Dashboard(trend[-1].mrr_fen, listed_fen, tuple(trend), tiers, tuple(rows))


async def _usage_days(tenant: Tenant, today: date) -> list[UsageDay]:
    first = today - timedelta(days=USAGE_DAYS)
    rows = await TenantDailyUsage.filter(tenant_id=tenant.id, day__gte=first, day__lt=today)
    by_day = {r.day: r for r in rows}
    days = []
    for n in range(USAGE_DAYS):
        day = first + timedelta(days=n)
        row = by_day.get(day)
        days.append(UsageDay(day, row.commands if row else 0, row.active_members if row else 0))
    return days


async def tenant_page(billing: Billing, tenant: Tenant, now: datetime) -> TenantPage:
    facts = await client_facts(billing, tenant, now)
    health = await health_of(facts)
    monthly = await monthly_revenue(tenant.id, now)
    value = views.Value(
        monthly_fen=monthly,
        lifetime_fen=lifetime_value(monthly, health.tier),
        growth=growth(billing.catalog, facts, await headcount(tenant.id)),
    )
    care = await care_of(tenant.id, now)
    profile = views.profile(billing.catalog, facts, health, value, care).split("\n")
    refusals = [(module_name(billing.catalog, m), n) for m, n in facts.refused_modules.items()]
    if facts.refused_seats:
        refusals.append(("席位已满", facts.refused_seats))
    return TenantPage(
        key=tenant.key,
        name=tenant.name,
        tier_name=TIER_NAMES[health.tier],
        profile=tuple(profile[1:]),  # the first line is the page's heading
        days=tuple(await _usage_days(tenant, facts.today)),
        refusals=tuple(refusals),
    )


def _when(announcement: Announcement, tz: tzinfo) -> str:
    if announcement.status is AnnouncementStatus.PUBLISHED and announcement.published_at:
        at = announcement.published_at
    elif announcement.status is AnnouncementStatus.SCHEDULED and announcement.publish_at:
        at = announcement.publish_at
    elif announcement.status is AnnouncementStatus.REVOKED and announcement.revoked_at:
        at = announcement.revoked_at
    else:
        at = announcement.created_at
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _by_announcement(rows: list[tuple[int, int]]) -> dict[int, int]:
    return {int(i): int(n) for i, n in rows}


async def announcements(billing: Billing, tz: tzinfo) -> list[AnnouncementRow]:
    recent = await Announcement.all().order_by("-id").limit(ANNOUNCEMENTS_SHOWN)
    ids = [a.id for a in recent]
    delivered = _by_announcement(
        await AnnouncementDelivery.filter(announcement_id__in=ids)
        .annotate(n=Count("id"))
        .group_by("announcement_id")
        .values_list("announcement_id", "n")
    )
    read = _by_announcement(
        await AnnouncementRead.filter(announcement_id__in=ids)
        .annotate(n=Count("id"))
        .group_by("announcement_id")
        .values_list("announcement_id", "n")
    )
    return [
        AnnouncementRow(
            id=a.id,
            title=a.title,
            status=STATUS_WORDS[a.status],
            audience=await describe(billing.catalog, a.audience, a.audience_values),
            when=_when(a, tz),
            delivered=delivered.get(a.id, 0),
            read=read.get(a.id, 0),
        )
        for a in recent
    ]
