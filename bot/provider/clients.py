"""What the provider knows about one client enterprise: its seats, who used the bot lately,
the modules it pays for and uses, what it asked for and was refused, and when it renews.

Read from the tenant's subscription and its usage events (30 days at most, well inside the
events' retention).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.dispatch.router import CORE_MODULE
from bot.subscription.catalog import Catalog, UnknownItemError
from bot.subscription.lifecycle import Term
from bot.subscription.periods import last_day
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from models.provider import Outcome, UsageEvent
from models.tenants import Tenant


@dataclass(frozen=True, slots=True)
class ClientFacts:
    tenant: Tenant
    term: Term
    today: date  # in the tenant's timezone
    seats_used: int
    active_7: int  # members who ran a command in the last 7 days
    active_30: int
    modules_paid: tuple[str, ...]  # module codes the plan grants
    modules_used: tuple[str, ...]  # of those, the ones used in 30 days
    refused_modules: dict[str, int]  # module code → refused attempts in 30 days
    refused_seats: int  # attempts refused for want of a seat in 30 days

    @property
    def seats_paid(self) -> int:
        return self.term.plan.seats

    @property
    def renews_on(self) -> date:
        """The last day paid for (or of the trial)."""
        return last_day(self.term.period_end)

    @property
    def days_left(self) -> int:
        return (self.renews_on - self.today).days


async def active_members(tenant_id: int, since: datetime) -> int:
    rows = await UsageEvent.filter(
        tenant_id=tenant_id, outcome=Outcome.OK, at__gte=since
    ).values_list("userid", flat=True)
    return len(set(rows))


async def client_facts(billing: Billing, tenant: Tenant, now: datetime) -> ClientFacts:
    timezone = ZoneInfo(tenant.timezone)
    snapshot = await billing.snapshot(tenant.id)
    term = billing.current(snapshot.term, timezone)
    month_ago = now - timedelta(days=30)
    recent = await UsageEvent.filter(tenant_id=tenant.id, at__gte=month_ago).values_list(
        "userid", "module", "outcome", "at"
    )
    week_ago = now - timedelta(days=7)
    ran = [(u, m, at) for u, m, o, at in recent if Outcome(o) is Outcome.OK]
    paid = tuple(sorted(granted_modules(billing.catalog, term.plan)))
    used = {m for _, m, _ in ran if m != CORE_MODULE}
    refused = Counter(m for _, m, o, _ in recent if Outcome(o) is Outcome.REFUSED_MODULE)
    return ClientFacts(
        tenant=tenant,
        term=term,
        today=now.astimezone(timezone).date(),
        seats_used=len(snapshot.seat_holders),
        active_7=len({u for u, _, at in ran if at >= week_ago}),
        active_30=len({u for u, _, _ in ran}),
        modules_paid=paid,
        modules_used=tuple(m for m in paid if m in used),
        refused_modules=dict(refused.most_common()),
        refused_seats=sum(1 for _, _, o, _ in recent if Outcome(o) is Outcome.REFUSED_SEAT),
    )


def module_name(catalog: Catalog, code: str) -> str:
    try:
        return catalog.module(code).name
    except UnknownItemError:
        return code


async def find_tenant(text: str) -> Tenant | None:
    """The tenant called ``text``: by key, by full name, or by the one name containing it."""
    wanted = text.strip()
    if not wanted:
        return None
    exact = (
        await Tenant.filter(key=wanted.lower()).first() or await Tenant.filter(name=wanted).first()
    )
    if exact is not None:
        return exact
    if len(wanted) < 2:
        return None
    partial = await Tenant.filter(name__contains=wanted).limit(2)
    return partial[0] if len(partial) == 1 else None
