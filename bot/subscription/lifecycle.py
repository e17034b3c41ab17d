"""The subscription lifecycle: pure functions over a ``Term``, driven by the date it is applied on.

trial → active → grace → suspended → cancelled, and back to active on renewal. The status is a
function of the term and today's date (in the tenant's timezone): nothing has to run at
midnight for a lapsed tenant to be treated as lapsed, and the sweep that stores the status only
records what these functions say.

A term is one billing period [period_start, period_end) plus ``prepaid_periods`` paid periods
after it. When a period ends, the next paid one starts and pending changes (decreases wait for
the next period) take effect; when none is paid, the subscription lapses. A trial that ends
unpaid is suspended at once: grace is the courtesy for a paying customer whose payment is late,
and a trial is free time already.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.subscription.catalog import Catalog
from bot.subscription.periods import period_end
from bot.subscription.plan import Plan, PlanChange, split_change
from models.subscriptions import SubscriptionStatus as Status

# The billing period a new tenant's plan renews on until it picks another.
DEFAULT_PERIOD = "month"
LAPSED = frozenset({Status.SUSPENDED, Status.CANCELLED})


@dataclass(frozen=True, slots=True)
class LifecyclePolicy:
    grace_days: int
    cancel_after_days: int  # days suspended before cancelled


@dataclass(frozen=True, slots=True)
class Term:
    plan: Plan
    status: Status
    is_trial: bool
    period_start: date
    period_end: date  # exclusive
    prepaid_periods: int = 0
    pending: Plan | None = None
    highest_paid_seats: int = 0
    anchor_day: int | None = None

    @property
    def next_plan(self) -> Plan:
        """The plan from the next period on."""
        return self.pending or self.plan


def trial_term(catalog: Catalog, start: date) -> Term:
    plan = Plan(edition=catalog.trial_edition, seats=catalog.trial_seats, period=DEFAULT_PERIOD)
    end = start + timedelta(days=catalog.trial_days)
    return Term(plan, Status.TRIAL, True, start, end, highest_paid_seats=plan.seats)


def paid_end(catalog: Catalog, term: Term) -> date:
    """The exclusive end of all the time paid for (or tried, during a trial)."""
    if not term.prepaid_periods:
        return term.period_end
    billing = catalog.period(term.next_plan.period)
    anchor = _anchor(term, billing.months > 0)
    return period_end(term.period_end, billing, term.prepaid_periods, anchor_day=anchor)


def renewal_anchor(catalog: Catalog, term: Term) -> int | None:
    """The day of the month paid periods after the current one land on."""
    return _anchor(term, catalog.period(term.next_plan.period).months > 0)


def _anchor(term: Term, monthly: bool) -> int | None:
    if not monthly:
        return None
    # Paid periods after a trial line up with the day the trial ended.
    return term.period_end.day if term.is_trial else term.anchor_day


def status_on(term: Term, today: date, policy: LifecyclePolicy) -> Status:
    """The status of a term whose paid periods have all been rolled over up to ``today``."""
    if today < term.period_end:
        return Status.TRIAL if term.is_trial else Status.ACTIVE
    overdue = (today - term.period_end).days
    grace = 0 if term.is_trial else policy.grace_days
    if overdue < grace:
        return Status.GRACE
    if overdue < grace + policy.cancel_after_days:
        return Status.SUSPENDED
    return Status.CANCELLED


def _next_period(catalog: Catalog, term: Term) -> Term:
    plan = term.next_plan
    billing = catalog.period(plan.period)
    anchor = _anchor(term, billing.months > 0)
    return replace(
        term,
        plan=plan,
        pending=None,
        status=Status.ACTIVE,
        is_trial=False,
        period_start=term.period_end,
        period_end=period_end(term.period_end, billing, anchor_day=anchor),
        prepaid_periods=term.prepaid_periods - 1,
        highest_paid_seats=plan.seats,
        anchor_day=anchor,
    )


def advance(catalog: Catalog, term: Term, today: date, policy: LifecyclePolicy) -> Term:
    """``term`` as of ``today``: paid periods that have begun are rolled into, and the status
    follows the calendar."""
    while today >= term.period_end and term.prepaid_periods > 0:
        term = _next_period(catalog, term)
    status = status_on(term, today, policy)
    # Most terms are read on an ordinary day: no copy when the status stands.
    return term if status == term.status else replace(term, status=status)


def renew(catalog: Catalog, term: Term, periods: int, today: date, policy: LifecyclePolicy) -> Term:
    """``periods`` more billing periods paid. In grace the new period continues the old one
    (grace days were used); once suspended or cancelled it starts afresh today."""
    if periods < 1:
        raise ValueError(f"a renewal covers at least one period, got {periods}")
    term = advance(catalog, term, today, policy)
    if term.status in LAPSED:
        return advance(catalog, restart(catalog, term, today, periods), today, policy)
    return advance(
        catalog, replace(term, prepaid_periods=term.prepaid_periods + periods), today, policy
    )


def restart(catalog: Catalog, term: Term, start: date, periods: int = 1) -> Term:
    """A fresh paid period from ``start`` (a lapsed tenant renewing, or an operator activating
    a contract), with ``periods - 1`` more paid after it."""
    plan = term.next_plan
    billing = catalog.period(plan.period)
    anchor = start.day if billing.months else None
    return replace(
        term,
        plan=plan,
        pending=None,
        status=Status.ACTIVE,
        is_trial=False,
        period_start=start,
        period_end=period_end(start, billing, anchor_day=anchor),
        prepaid_periods=periods - 1,
        highest_paid_seats=plan.seats,
        anchor_day=anchor,
    )


def renews_from(catalog: Catalog, term: Term, today: date) -> date:
    """The first day a renewal quoted today pays for (``term`` already advanced)."""
    return today if term.status in LAPSED else paid_end(catalog, term)


def apply_change(catalog: Catalog, term: Term, change: PlanChange) -> Term:
    """Increases take effect now; the plan from the next period on keeps any decrease already
    pending and gets this change too."""
    split = split_change(catalog, term.plan, change)
    later = split_change(catalog, term.pending, change).next_period if term.pending else None
    later = later or split.next_period
    return replace(
        term,
        plan=split.now,
        pending=None if later == split.now else later,
        highest_paid_seats=max(term.highest_paid_seats, split.now.seats),
    )


def extend_days(
    catalog: Catalog, term: Term, days: int, today: date, policy: LifecyclePolicy
) -> Term:
    """Goodwill time from an operator: the current period (or trial) lasts ``days`` longer; a
    lapsed one gets ``days`` from today, unpaid periods never being charged after the fact."""
    if days < 1:
        raise ValueError(f"an extension is at least one day, got {days}")
    term = advance(catalog, term, today, policy)
    if term.status in LAPSED:
        term = replace(term, period_start=today, period_end=today)
    return advance(
        catalog, replace(term, period_end=term.period_end + timedelta(days=days)), today, policy
    )
