"""What the provider knows about one client enterprise: its seats, who used the bot lately,
the modules it pays for and uses, what it asked for and was refused, and when it renews.

Read from the tenant's subscription and its usage events (30 days at most, well inside the
events' retention), for many tenants at once in a few grouped queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from bot.dispatch.router import CORE_MODULE
from bot.subscription.catalog import Catalog, UnknownItemError
from bot.subscription.lifecycle import Term
from bot.subscription.periods import last_day
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from bot.subscription.store import term_of
from models.provider import Outcome, UsageEvent
from models.subscriptions import SeatAssignment, Subscription
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
    [facts] = await clients_facts(billing, [tenant], now)
    return facts


@dataclass(slots=True)
class _Usage:
    """One tenant's last 30 days of events, summed by the database."""

    active_7: int = 0
    active_30: int = 0
    modules_used: set[str] = field(default_factory=set)
    refused_modules: Counter[str] = field(default_factory=Counter)
    refused_seats: int = 0


async def clients_facts(
    billing: Billing, tenants: Sequence[Tenant], now: datetime
) -> list[ClientFacts]:
    """The facts of many clients in a fixed number of queries, whatever their number: the
    operators' lists (客户健康 and the rest) read every client at once."""
    ids = [t.id for t in tenants]
    stored = {row.tenant_id: row for row in await Subscription.filter(tenant_id__in=ids)}
    seats = await count_by_tenant(SeatAssignment.filter(tenant_id__in=ids))
    usage = await _usage(ids, now)
    found = []
    for tenant in tenants:
        timezone = ZoneInfo(tenant.timezone)
        row = stored.get(tenant.id)
        if row is not None:
            term, used_seats = term_of(row), seats.get(tenant.id, 0)
        else:  # never used: the snapshot starts its trial, as a first command would
            snapshot = await billing.snapshot(tenant.id)
            term, used_seats = snapshot.term, len(snapshot.seat_holders)
        term = billing.current(term, timezone)
        paid = tuple(sorted(granted_modules(billing.catalog, term.plan)))
        events = usage.get(tenant.id, _Usage())
        refused = sorted(events.refused_modules.items(), key=lambda item: (-item[1], item[0]))
        found.append(
            ClientFacts(
                tenant=tenant,
                term=term,
                today=now.astimezone(timezone).date(),
                seats_used=used_seats,
                active_7=events.active_7,
                active_30=events.active_30,
                modules_paid=paid,
                modules_used=tuple(m for m in paid if m in events.modules_used),
                refused_modules=dict(refused),
                refused_seats=events.refused_seats,
            )
        )
    return found


async def count_by_tenant(query: QuerySet[Any]) -> dict[int, int]:
    rows = await query.annotate(n=Count("id")).group_by("tenant_id").values_list("tenant_id", "n")
    return {int(tenant): int(n) for tenant, n in rows}


async def _usage(ids: Sequence[int], now: datetime) -> dict[int, _Usage]:
    month = UsageEvent.filter(tenant_id__in=ids, at__gte=now - timedelta(days=30))
    ran = month.filter(outcome=Outcome.OK)
    found: dict[int, _Usage] = {}

    def of(tenant_id: Any) -> _Usage:
        return found.setdefault(int(tenant_id), _Usage())

    members = Count("userid", distinct=True)
    for tenant_id, n in (
        await ran.annotate(n=members).group_by("tenant_id").values_list("tenant_id", "n")
    ):
        of(tenant_id).active_30 = int(n)
    week = ran.filter(at__gte=now - timedelta(days=7))
    for tenant_id, n in (
        await week.annotate(n=members).group_by("tenant_id").values_list("tenant_id", "n")
    ):
        of(tenant_id).active_7 = int(n)
    for tenant_id, module in await ran.distinct().values_list("tenant_id", "module"):
        if module != CORE_MODULE:
            of(tenant_id).modules_used.add(str(module))
    refused = month.filter(outcome=Outcome.REFUSED_MODULE).annotate(n=Count("id"))
    for tenant_id, module, n in await refused.group_by("tenant_id", "module").values_list(
        "tenant_id", "module", "n"
    ):
        of(tenant_id).refused_modules[str(module)] = int(n)
    seats = month.filter(outcome=Outcome.REFUSED_SEAT)
    for tenant_id, n in (await count_by_tenant(seats)).items():
        of(tenant_id).refused_seats = n
    return found


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
