"""SLA clocks on a ticket: due and warning times, the pause while waiting for the customer,
and what was measured when the clock stopped.

Decision (as Zendesk does for pending tickets): while a ticket waits for the customer its
resolution clock is paused, and the due time moves on by the paused SLA time when work
resumes. The first-response clock is never paused: only a reply to the customer stops it.
A target already missed before the pause stays missed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.tickets.hours import WorkingTime, add_working, working_between
from bot.tickets.settings import TicketSettings
from models.tickets import Ticket


def _share(duration: timedelta, percent: int) -> timedelta:
    return duration * percent / 100


def start_clocks(
    ticket: Ticket, now: datetime, settings: TicketSettings, working: WorkingTime
) -> None:
    """Due and warning times of a new ticket (or a priority change) from ``ticket.created_at``."""
    target = settings.sla[ticket.priority]
    start = ticket.created_at
    ticket.response_due_at = add_working(start, target.first_response, working)
    ticket.response_warn_at = add_working(
        start, _share(target.first_response, settings.warn_percent), working
    )
    restart_resolution(ticket, start, settings, working)


def restart_resolution(
    ticket: Ticket, start: datetime, settings: TicketSettings, working: WorkingTime
) -> None:
    """A fresh resolution target from ``start`` (creation, or a reopen)."""
    target = settings.sla[ticket.priority].resolution
    ticket.resolution_due_at = add_working(start, target, working)
    ticket.resolution_warn_at = add_working(start, _share(target, settings.warn_percent), working)
    ticket.resolution_warned_at = None
    ticket.resolution_breached_at = None
    ticket.resolution_seconds = None
    ticket.resolution_met = None


def pause(ticket: Ticket, now: datetime) -> None:
    if ticket.paused_at is None:
        ticket.paused_at = now


def resume(ticket: Ticket, now: datetime, working: WorkingTime) -> None:
    """Move the resolution due and warning times on by the SLA time spent paused."""
    paused_at = ticket.paused_at
    if paused_at is None:
        return

    def shifted(moment: datetime) -> datetime:
        if moment <= paused_at:
            return moment
        return add_working(now, working_between(paused_at, moment, working), working)

    ticket.resolution_due_at = shifted(ticket.resolution_due_at)
    ticket.resolution_warn_at = shifted(ticket.resolution_warn_at)
    ticket.paused_seconds += int(working_between(paused_at, now, working).total_seconds())
    ticket.paused_at = None


def record_response(ticket: Ticket, now: datetime, working: WorkingTime) -> bool:
    """Stop the first-response clock; False when it had stopped before."""
    if ticket.first_responded_at is not None:
        return False
    ticket.first_responded_at = now
    ticket.response_seconds = int(working_between(ticket.created_at, now, working).total_seconds())
    ticket.response_met = now <= ticket.response_due_at
    return True


def record_resolution(ticket: Ticket, now: datetime, working: WorkingTime) -> None:
    resume(ticket, now, working)
    ticket.resolved_at = now
    spent = working_between(ticket.created_at, now, working).total_seconds()
    ticket.resolution_seconds = max(int(spent) - ticket.paused_seconds, 0)
    ticket.resolution_met = now <= ticket.resolution_due_at
