"""Every client at once, as the operators' lists (客户健康, 续费风险, 增长潜力, the console's
dashboard) read them: one statement over the tenants, their subscriptions, their seat counts
and their stored 30-day windows.

Built through the ORM, 客户健康 over 2,000 clients spent most of its time making a tenant, a
subscription and a window object of each and parsing their dates (bench/provider_health.py).
The lists use a few columns of each, so one raw statement reads just those, converted here.
A client the nightly job has not reached yet (its window is older than its yesterday) is
counted live from its events, all such clients in one pass; a client without a subscription
row starts its trial, as a first command would.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.provider.clients import Client, ClientFacts, facts_of, first_term
from bot.provider.window import EventFigures, UsageWindow, event_figures
from bot.subscription.lifecycle import Term
from bot.subscription.service import Billing
from bot.subscription.store import term_of
from models.subscriptions import SubscriptionStatus
from models.tenants import Tenant

ROSTER = """
SELECT t."id", t."key", t."name", t."timezone",
       s."status", s."is_trial", s."edition", s."modules", s."bundles", s."seats", s."period",
       s."period_start", s."period_end", s."anchor_day", s."prepaid_periods", s."pending",
       s."highest_paid_seats",
       (SELECT COUNT(*) FROM "seat_assignment" a WHERE a."tenant_id" = t."id"),
       w."as_of", w."active_7", w."active_30", w."modules_used", w."refused_modules",
       w."refused_seats", w."commands_last_14", w."commands_previous_14",
       w."capabilities_used", w."capabilities_owned"
FROM "tenant" t
LEFT JOIN "subscription" s ON s."tenant_id" = t."id"
LEFT JOIN "tenant_usage_window" w ON w."tenant_id" = t."id"
ORDER BY t."id"
"""


class SubscriptionColumns(NamedTuple):
    """A subscription row's columns as ``term_of`` reads them."""

    status: SubscriptionStatus
    is_trial: bool
    edition: str
    modules: list[str]
    bundles: list[str]
    seats: int
    period: str
    period_start: date
    period_end: date
    anchor_day: int | None
    prepaid_periods: int
    pending: dict[str, Any] | None
    highest_paid_seats: int


class JsonColumns(dict[str, Any]):
    """JSON columns decoded once per read: text on SQLite and from asyncpg (decoded values
    pass through). Most clients share a handful of module lists, so each distinct text is
    decoded once; every use below copies what it keeps (frozenset, set, Counter)."""

    def __missing__(self, text: str) -> Any:
        value = self[text] = json.loads(text)
        return value

    def of(self, value: Any) -> Any:
        return self[value] if isinstance(value, str) else value


def _date(value: Any) -> date:
    """A date column: ISO text on SQLite, a date on PostgreSQL."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _term(columns: Sequence[Any], decoded: JsonColumns) -> Term:
    status, trial, edition, modules, bundles, seats, period, start, end, anchor, prepaid = columns[
        :11
    ]
    pending, highest = columns[11:13]
    return term_of(
        SubscriptionColumns(
            status=SubscriptionStatus(status),
            is_trial=bool(trial),
            edition=edition,
            modules=decoded.of(modules),
            bundles=decoded.of(bundles),
            seats=seats,
            period=period,
            period_start=_date(start),
            period_end=_date(end),
            anchor_day=anchor,
            prepaid_periods=prepaid,
            pending=decoded.of(pending),
            highest_paid_seats=highest,
        )
    )


def _stored(columns: Sequence[Any], decoded: JsonColumns) -> tuple[EventFigures, UsageWindow]:
    active_7, active_30, modules, refused, seats, *window = columns
    modules_used, refused_modules = set(decoded.of(modules)), Counter(decoded.of(refused))
    events = EventFigures(active_7, active_30, modules_used, refused_modules, seats)
    return events, UsageWindow(*window)


async def every_client_facts(billing: Billing, now: datetime) -> list[ClientFacts]:
    """Every client's facts, by id, each with its stored window when it is up to date."""
    _, rows = await Tenant._meta.db.execute_query(ROSTER)
    decoded = JsonColumns()
    found: list[ClientFacts | None] = []
    unsummed: dict[int, tuple[int, Client, Term, int]] = {}  # id → (place, client, term, seats)
    for row in rows:
        client = Client(row[0], row[1], row[2], row[3])
        if row[4] is None:
            term, seats_used = await first_term(billing, client)
        else:
            term, seats_used = _term(row[4:17], decoded), row[17]
        as_of = row[18]
        yesterday = now.astimezone(ZoneInfo(client.timezone)).date() - timedelta(days=1)
        if as_of is not None and _date(as_of) == yesterday:
            events, window = _stored(row[19:], decoded)
            found.append(facts_of(billing, client, term, seats_used, now, events, window))
        else:
            unsummed[client.id] = (len(found), client, term, seats_used)
            found.append(None)
    if unsummed:
        counted = await event_figures(
            list(unsummed), now - timedelta(days=30), now - timedelta(days=7)
        )
        for tenant_id, (place, client, term, seats_used) in unsummed.items():
            events = counted.get(tenant_id, EventFigures())
            found[place] = facts_of(billing, client, term, seats_used, now, events)
    return [facts for facts in found if facts is not None]
