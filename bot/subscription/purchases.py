"""What a purchase costs today: renewals and plan changes, quoted against a tenant's term.

A change during a trial is free for the rest of the trial (the tenant is trying the product);
its price shows from the first paid period. Periods already prepaid pay the change in full,
period by period, since they were bought for the old plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.subscription import wording
from bot.subscription.catalog import Catalog
from bot.subscription.changes import increases
from bot.subscription.lifecycle import LAPSED, Term, renewal_anchor, renews_from
from bot.subscription.periods import last_day
from bot.subscription.plan import PlanChange, split_change
from bot.subscription.pricing import quote_change, quote_renewal, quote_services, recurring_total
from bot.subscription.quote import LineItem, Quote
from models.subscriptions import OrderKind
from models.subscriptions import SubscriptionStatus as Status

TRIAL_FREE = "试用期内免费使用，试用至 {last}"
PREPAID = "{text}，已预付的后续 {count} {counter}"
RESTARTS = "服务期自确认收款之日起计算"
RENEW_FIRST = "套餐已到期，请先续费再调整套餐。发送「续费 12个月」查看报价。"


class BillingError(Exception):
    """A purchase that cannot be made as asked; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Purchase:
    kind: OrderKind
    request: dict[str, Any]  # enough to apply the order later (see ``change_of``)
    summary: str
    quote: Quote


def renewal(catalog: Catalog, term: Term, periods: int, today: date) -> Purchase:
    """``periods`` more billing periods of the plan the tenant will have next period."""
    start = renews_from(catalog, term, today)
    lapsed = term.status in LAPSED
    anchor = None if lapsed else renewal_anchor(catalog, term)
    quote = quote_renewal(catalog, term.next_plan, periods, start, anchor_day=anchor)
    if lapsed:
        quote = Quote.of(quote.lines, quote.effective_on, [*quote.notes, RESTARTS], quote.ends_on)
    counter = catalog.period(term.next_plan.period).counter
    summary = f"续费 {periods} {counter}"
    return Purchase(OrderKind.RENEWAL, {"periods": periods}, summary, quote)


def change_request(change: PlanChange) -> dict[str, Any]:
    return {
        "seats": change.seats,
        "edition": change.edition,
        "add_modules": sorted(change.add_modules),
        "add_bundles": sorted(change.add_bundles),
        "remove_modules": sorted(change.remove_modules),
        "remove_bundles": sorted(change.remove_bundles),
        "period": change.period,
    }


def change_of(request: dict[str, Any]) -> PlanChange:
    return PlanChange(
        seats=request.get("seats"),
        edition=request.get("edition"),
        add_modules=frozenset(request.get("add_modules", ())),
        add_bundles=frozenset(request.get("add_bundles", ())),
        remove_modules=frozenset(request.get("remove_modules", ())),
        remove_bundles=frozenset(request.get("remove_bundles", ())),
        period=request.get("period"),
    )


def services(catalog: Catalog, items: Mapping[str, int], today: date) -> Purchase:
    """One-off service items (remote support, an on-site visit, ...): priced as listed,
    whatever the plan; the vendor arranges them once paid."""
    quote = quote_services(catalog, items, today)
    names = "、".join(
        f"{catalog.service(code).name}×{count}" if count > 1 else catalog.service(code).name
        for code, count in items.items()
    )
    request = {"services": {catalog.service(code).code: count for code, count in items.items()}}
    return Purchase(OrderKind.SERVICE, request, f"购买服务 {names}", quote)


def change(catalog: Catalog, term: Term, wanted: PlanChange, summary: str, today: date) -> Purchase:
    """``wanted`` applied to ``term`` today: prorated for the rest of this period, in full for
    prepaid periods, free for the rest of a trial."""
    if term.status not in (Status.TRIAL, Status.ACTIVE):
        raise BillingError(RENEW_FIRST)
    if term.is_trial:
        current = _trial_quote(catalog, term, wanted, today)
    else:
        current = quote_change(
            catalog,
            term.plan,
            wanted,
            today,
            period_start=term.period_start,
            period_end=term.period_end,
            highest_paid_seats=term.highest_paid_seats,
        )
    lines = [*current.lines, *_prepaid_lines(catalog, term, wanted)]
    quote = Quote.of(lines, current.effective_on, current.notes)
    return Purchase(OrderKind.CHANGE, change_request(wanted), summary, quote)


def _trial_quote(catalog: Catalog, term: Term, wanted: PlanChange, today: date) -> Quote:
    later = split_change(catalog, term.next_plan, wanted).next_period
    billing = catalog.period(later.period)
    notes = [
        TRIAL_FREE.format(last=last_day(term.period_end).isoformat()),
        wording.next_price(term.period_end, billing, recurring_total(catalog, later)),
    ]
    return Quote.of([], today, notes)


def _prepaid_lines(catalog: Catalog, term: Term, wanted: PlanChange) -> list[LineItem]:
    count = term.prepaid_periods
    if not count:
        return []
    base = term.next_plan
    counter = catalog.period(base.period).counter
    now = split_change(catalog, base, wanted).now
    return [
        LineItem(
            PREPAID.format(text=item.description, count=count, counter=counter),
            item.quantity * count,
            item.unit_price,
            item.per_period * count,
            item.code,
        )
        for item in increases(catalog, base, now, base.seats)
    ]
