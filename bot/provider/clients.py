"""What the provider knows about one client enterprise: its seats, who used the bot lately,
the modules it pays for and uses, what it asked for and was refused, and when it renews.

Read from the tenant's subscription and its usage events (30 days at most, well inside the
events' retention), for many tenants at once in a few grouped queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.provider.window import EventFigures, UsageWindow, count_by_tenant, event_figures
from bot.subscription.catalog import Catalog, UnknownItemError
from bot.subscription.lifecycle import Term
from bot.subscription.periods import last_day
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from bot.subscription.store import term_of
from models.subscriptions import SeatAssignment, Subscription
from models.tenants import Tenant


@dataclass(frozen=True, slots=True)
class Client:
    """A client enterprise as the operators' lists and profiles name it."""

    id: int
    key: str
    name: str
    timezone: str

    @classmethod
    def of(cls, tenant: Tenant) -> Client:
        return cls(tenant.id, tenant.key, tenant.name, tenant.timezone)


@dataclass(frozen=True, slots=True)
class ClientFacts:
    tenant: Client
    term: Term
    today: date  # in the tenant's timezone
    seats_used: int
    active_7: int  # members who ran a command in the last 7 days
    active_30: int
    modules_paid: tuple[str, ...]  # module codes the plan grants
    modules_used: tuple[str, ...]  # of those, the ones used in 30 days
    refused_modules: dict[str, int]  # module code → refused attempts in 30 days
    refused_seats: int  # attempts refused for want of a seat in 30 days
    window: UsageWindow | None = None  # the roll-ups' trend and breadth, when stored nightly

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


# What ``term_of`` reads of a subscription: loading only these skips parsing timestamps nobody
# reads.
TERM_COLUMNS = (
    "id", "tenant_id", "status", "is_trial", "edition", "modules", "bundles", "seats", "period",
    "period_start", "period_end", "anchor_day", "prepaid_periods", "pending", "highest_paid_seats",
)  # fmt: skip


async def client_facts(billing: Billing, tenant: Tenant, now: datetime) -> ClientFacts:
    [facts] = await clients_facts(billing, [Client.of(tenant)], now)
    return facts


async def clients_facts(
    billing: Billing, clients: Sequence[Client], now: datetime
) -> list[ClientFacts]:
    """The facts of many clients in a fixed number of queries, whatever their number, with
    their events counted up to ``now``. (The operators' lists read every client's stored
    window instead: ``bot.provider.roster``.)"""
    ids = [c.id for c in clients]
    counted = await event_figures(ids, now - timedelta(days=30), now - timedelta(days=7))
    subscriptions = {
        r.tenant_id: r for r in await Subscription.filter(tenant_id__in=ids).only(*TERM_COLUMNS)
    }
    seats = await count_by_tenant(SeatAssignment.filter(tenant_id__in=ids))
    found = []
    for client in clients:
        row = subscriptions.get(client.id)
        term, used = (
            (term_of(row), seats.get(client.id, 0)) if row else await first_term(billing, client)
        )
        events = counted.get(client.id, EventFigures())
        found.append(facts_of(billing, client, term, used, now, events))
    return found


async def first_term(billing: Billing, client: Client) -> tuple[Term, int]:
    """A client that never used the bot: its snapshot starts the trial, as a first command
    would. The term, and the seats taken."""
    snapshot = await billing.snapshot(client.id)
    return snapshot.term, len(snapshot.seat_holders)


def facts_of(
    billing: Billing,
    client: Client,
    term: Term,
    seats_used: int,
    now: datetime,
    events: EventFigures,
    window: UsageWindow | None = None,
) -> ClientFacts:
    """One client's facts from what was read of it: its plan advanced to its today."""
    timezone = ZoneInfo(client.timezone)
    term = billing.current(term, timezone)
    paid = tuple(sorted(granted_modules(billing.catalog, term.plan)))
    refused = sorted(events.refused_modules.items(), key=lambda item: (-item[1], item[0]))
    return ClientFacts(
        tenant=client,
        term=term,
        today=now.astimezone(timezone).date(),
        seats_used=seats_used,
        active_7=events.active_7,
        active_30=events.active_30,
        modules_paid=paid,
        modules_used=tuple(m for m in paid if m in events.modules_used),
        refused_modules=dict(refused),
        refused_seats=events.refused_seats,
        window=window,
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
