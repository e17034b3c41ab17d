"""The lifecycle sweep: store what the calendar did to each subscription, and tidy up.

The entitlement check already derives the status from the date, so this sweep is what makes
the database (reports, the CLI, other replicas) agree: periods roll over, pending changes
apply, seats above a lowered count are freed, lapses are announced once, unconfirmed quotes and
unpaid orders expire, and day-scoped notice claims older than a month are dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from bot.notices import tenant_for_notices
from bot.outbox import OutboxSender
from bot.subscription import notify, seats
from bot.subscription.lifecycle import Term
from bot.subscription.orders import expire_stale
from bot.subscription.periods import last_day
from bot.subscription.service import Billing
from bot.subscription.store import SYSTEM, locked, save_term, term_of
from models.outbox import OutboxMessage
from models.subscriptions import Notice, Subscription
from models.subscriptions import SubscriptionStatus as Status
from models.tenants import Tenant

LAPSE_NOTICES = {
    Status.SUSPENDED: (
        "【套餐已暂停】{tenant}的套餐已于 {last} 到期，现在只能使用 帮助、套餐 和续费。"
        "数据都完好保留，发送「续费 12个月」即可恢复。"
    ),
    Status.CANCELLED: (
        "【服务已停用】{tenant}的套餐已于 {last} 到期并停用。数据都完好保留，"
        "发送「续费 12个月」查看报价，付款后立即恢复。"
    ),
}
# Day-scoped claims (upgrade, seat refused, lapse reminder) only matter within their day.
DAILY_KINDS = ("upgrade", "seat", "lapsed")
DAILY_KEPT = timedelta(days=30)


class LifecycleSweep:
    def __init__(self, billing: Billing, sender: OutboxSender) -> None:
        self._billing = billing
        self._sender = sender

    async def run(self) -> int:
        """Returns how many subscriptions changed."""
        now = self._billing.clock.now()
        changed = 0
        for row in await Subscription.all().select_related("tenant"):
            tenant: Tenant = row.tenant
            stored = term_of(row)
            if self._billing.current(stored, ZoneInfo(tenant.timezone)) != stored:
                changed += await self._store(tenant, now)
        await expire_stale(now)
        await Notice.filter(kind__in=DAILY_KINDS, created_at__lt=now - DAILY_KEPT).delete()
        return changed

    async def _store(self, tenant: Tenant, now: datetime) -> int:
        async with in_transaction():
            # Read again under the lock: another replica may have stored this change already.
            row = await locked(tenant.id)
            if row is None:
                return 0
            before = term_of(row)
            term = self._billing.current(before, ZoneInfo(tenant.timezone))
            action = f"status_{term.status}" if term.status != before.status else "period_started"
            if not await save_term(row, term, actor=SYSTEM, action=action, now=now):
                return 0
            await seats.trim(tenant.id, term.plan.seats, SYSTEM, now)
            rows = await self._announce(tenant, row.id, term, now)
        self._billing.cache.invalidate(tenant.id)
        await self._sender.send_rows(rows)
        return 1

    async def _announce(
        self, tenant: Tenant, subscription_id: int, term: Term, now: datetime
    ) -> list[OutboxMessage]:
        template = LAPSE_NOTICES.get(term.status)
        if template is None:
            return []
        last = last_day(term.period_end).isoformat()
        key = f"status:{subscription_id}:{term.period_end}:{term.status}"
        info = await tenant_for_notices(tenant.id)
        if info is None:
            return []
        text = template.format(tenant=tenant.name, last=last)
        return await notify.send_once(
            info, key, "status", text, now=now, lease=self._sender.policy.lease
        )
