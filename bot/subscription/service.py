"""``Billing``: the subscription services handlers, the guard, sweeps and the CLI share.

One instance per process, built at start-up and passed in (``ctx.deps["billing"]``): the
catalog and settings from config, the clock, and the snapshot cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.subscription.catalog import Catalog
from bot.subscription.lifecycle import LifecyclePolicy, Term, advance
from bot.subscription.plan import granted_modules
from bot.subscription.settings import SubscriptionSettings
from bot.subscription.snapshots import Snapshot, SnapshotCache
from bot.subscription.store import start_trial, term_of
from models.subscriptions import SeatAssignment, Subscription
from models.tenants import Tenant


@dataclass(slots=True)
class Billing:
    settings: SubscriptionSettings
    clock: Clock
    cache: SnapshotCache = field(init=False)

    def __post_init__(self) -> None:
        self.cache = SnapshotCache(self._load)

    @property
    def catalog(self) -> Catalog:
        return self.settings.catalog

    @property
    def policy(self) -> LifecyclePolicy:
        return LifecyclePolicy(self.catalog.grace_days, self.settings.cancel_after_days)

    def today(self, timezone: ZoneInfo) -> date:
        """Periods are counted in whole days of the tenant's own calendar."""
        return self.clock.now().astimezone(timezone).date()

    def current(self, term: Term, timezone: ZoneInfo) -> Term:
        """``term`` as it stands today: begun periods rolled in, status by the calendar."""
        return advance(self.catalog, term, self.today(timezone), self.policy)

    async def snapshot(self, tenant_id: int) -> Snapshot:
        return await self.cache.get(tenant_id)

    async def grants(self, tenant_id: int, timezone: ZoneInfo, module: str) -> bool:
        """True if the tenant's plan today lets it use ``module`` (for features that are not
        commands, which the guard checks on its own: a customer-facing answer, say)."""
        term = self.current((await self.snapshot(tenant_id)).term, timezone)
        return module in granted_modules(self.catalog, term.plan)

    async def _load(self, tenant_id: int) -> Snapshot:
        row = await Subscription.get_or_none(tenant_id=tenant_id)
        if row is None:
            # Tenants added with the CLI start their trial the first time anyone uses the bot.
            await self.start_trial(tenant_id)
            row = await Subscription.get(tenant_id=tenant_id)
        holders = await SeatAssignment.filter(tenant_id=tenant_id).values_list(
            "employee__userid", flat=True
        )
        return Snapshot(tenant_id, term_of(row), frozenset(str(u) for u in holders))

    async def start_trial(self, tenant_id: int) -> bool:
        tenant = await Tenant.get(id=tenant_id)
        today = self.today(ZoneInfo(tenant.timezone))
        started = await start_trial(tenant_id, self.catalog, today, self.clock.now())
        if started:
            self.cache.invalidate(tenant_id)
        return started
