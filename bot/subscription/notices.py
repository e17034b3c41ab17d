"""Renewal and seat-usage notices to each tenant's admins, each sent exactly once.

Each notice has a milestone key (tenant, subscription, kind, period end, days before). The
sweep claims it by inserting a ``Notice`` row in the same transaction as the notice's outbox
rows: of two replicas sweeping at the same moment one wins, and if the process dies before
sending, the outbox sweep sends the rows after a restart.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.notices import tenant_for_notices
from bot.outbox import OutboxSender
from bot.subscription import notify
from bot.subscription.lifecycle import Term, paid_end
from bot.subscription.money import format_cny
from bot.subscription.periods import last_day
from bot.subscription.plan import PlanChange
from bot.subscription.purchases import change, renewal
from bot.subscription.service import Billing
from bot.subscription.store import term_of
from models.outbox import OutboxMessage
from models.subscriptions import SeatAssignment, Subscription
from models.subscriptions import SubscriptionStatus as Status
from models.tenants import Tenant

RENEWAL = (
    "【续费提醒】{tenant}的{edition}{when}。续费 1 {counter}的报价：\n{quote}\n"
    "发送「续费 12个月」等即可下单。"
)
ENDS_IN = "将于 {last} 到期（还有 {days} 天）"
ENDS_TODAY = "今天（{last}）到期"
TRIAL_ENDS_IN = "试用将于 {last} 结束（还有 {days} 天）"
TRIAL_ENDS_TODAY = "试用今天（{last}）结束"
IN_GRACE = "已于 {last} 到期，{suspend} 起将暂停使用"
SEAT_USAGE = (
    "【席位提醒】{tenant}的席位已用 {used}/{seats}。席位用完后，新同事将无法使用付费模块。"
    "{price}发送「加席位 5」等即可下单，或发送「席位」查看并收回不再使用的席位。"
)
SEAT_PRICE = "加 1 个席位本期需 {now}。"
NOTICED = (Status.TRIAL, Status.ACTIVE, Status.GRACE)


def renewal_days_before(
    end: date, status: Status, today: date, notice_days: tuple[int, ...], since: date
) -> int | None:
    """Which renewal milestone ``today`` has reached, in days before the last paid day
    (``end`` is exclusive): the latest configured one reached, so a milestone missed while
    the bot was down is sent late, once; in grace, every day (negative). Milestones that fell
    before ``since`` (the start of the current period) do not count: a 15-day trial gets no
    "30 days left" notice. None when none is due."""
    last = last_day(end)
    before = (last - today).days
    if status is Status.GRACE:
        return before
    if before < 0 or status not in (Status.TRIAL, Status.ACTIVE):
        return None
    reached = [d for d in notice_days if before <= d <= (last - since).days]
    return min(reached) if reached else None


class NoticeSweep:
    def __init__(self, billing: Billing, sender: OutboxSender) -> None:
        self._billing = billing
        self._sender = sender

    async def run(self) -> int:
        """Send whatever notices are due; returns how many milestones this run claimed."""
        sent = 0
        for row in await Subscription.all().select_related("tenant"):
            tenant: Tenant = row.tenant
            term = self._billing.current(term_of(row), ZoneInfo(tenant.timezone))
            if term.status not in NOTICED:
                continue
            sent += await self._renewal(tenant, row.id, term)
            sent += await self._seat_usage(tenant, row.id, term)
        return sent

    async def _renewal(self, tenant: Tenant, subscription_id: int, term: Term) -> int:
        catalog = self._billing.catalog
        today = self._billing.today(ZoneInfo(tenant.timezone))
        end = paid_end(catalog, term)
        milestones = self._billing.settings.renewal_notice_days
        days = renewal_days_before(end, term.status, today, milestones, term.period_start)
        if days is None:
            return 0
        key = f"renewal:{subscription_id}:{end}:{days}"
        return await self._send(tenant, key, "renewal", self._renewal_text(tenant, term, today))

    def _renewal_text(self, tenant: Tenant, term: Term, today: date) -> str:
        catalog = self._billing.catalog
        plan = term.next_plan
        return RENEWAL.format(
            tenant=tenant.name,
            edition=catalog.edition(plan.edition).name,
            when=self._when(term, today),
            counter=catalog.period(plan.period).counter,
            quote=renewal(catalog, term, 1, today).quote.render(),
        )

    def _when(self, term: Term, today: date) -> str:
        end = paid_end(self._billing.catalog, term)
        last = last_day(end).isoformat()
        days = (last_day(end) - today).days
        if term.status is Status.GRACE:
            suspend = end + timedelta(days=self._billing.policy.grace_days)
            return IN_GRACE.format(last=last, suspend=suspend.isoformat())
        trial = term.is_trial and not term.prepaid_periods
        if days == 0:
            return (TRIAL_ENDS_TODAY if trial else ENDS_TODAY).format(last=last)
        return (TRIAL_ENDS_IN if trial else ENDS_IN).format(last=last, days=days)

    async def _seat_usage(self, tenant: Tenant, subscription_id: int, term: Term) -> int:
        used = await SeatAssignment.filter(tenant_id=tenant.id).count()
        seats = term.plan.seats
        if used * 100 < seats * self._billing.settings.seat_usage_notice_percent:
            return 0
        key = f"seats:{subscription_id}:{term.period_end}:{seats}"
        text = SEAT_USAGE.format(
            tenant=tenant.name, used=used, seats=seats, price=self._seat_price(tenant, term)
        )
        return await self._send(tenant, key, "seats", text)

    def _seat_price(self, tenant: Tenant, term: Term) -> str:
        if term.is_trial or term.status is not Status.ACTIVE:
            return ""
        today = self._billing.today(ZoneInfo(tenant.timezone))
        wanted = PlanChange(seats=term.plan.seats + 1)
        total = change(self._billing.catalog, term, wanted, "", today).quote.total
        return SEAT_PRICE.format(now=format_cny(total))

    async def _send(self, tenant: Tenant, key: str, kind: str, text: str) -> int:
        info = await tenant_for_notices(tenant.id)
        if info is None:
            return 0
        rows: list[OutboxMessage] = await notify.send_once(
            info, key, kind, text, now=self._billing.clock.now(), lease=self._sender.policy.lease
        )
        await self._sender.send_rows(rows)
        return 1 if rows else 0
