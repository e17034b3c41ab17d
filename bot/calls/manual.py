"""Calls told in chat (the Manual medium): the row, the customer's timeline, a follow-up.

A call made from someone's own phone leaves no record anywhere else, so the sentence is the
record: it ended when it was told, and lasted as long as the person said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.calls.effects import close_callbacks
from bot.calls.numbers import spaced
from bot.calls.store import CallIn, claim_once, save_call
from bot.calls.talk import Said, tidy
from bot.calls.timeline import on_timeline
from bot.crm.search import search_customers
from bot.followups.requests import content_of, due_time
from bot.followups.store import create_followup, customers_named
from bot.nlu.names import NameRef, find_reference
from bot.nlu.timeparse import parse_time
from models.calls import CallDirection, CallRecord, CallSource, Disposition
from models.crm.customers import Customer
from models.followups import Followup
from models.tenants import Employee


@dataclass(frozen=True, slots=True)
class Logged:
    call: CallRecord
    followup: Followup | None
    callbacks_closed: int = 0


async def customers_for(tenant_id: int, who: str) -> list[Customer]:
    """张总 is anyone named 张 with two or three characters; a full name, a company or a
    phone prefix is looked up as the customer book's search does."""
    ref = find_reference(who) or NameRef(who, who, False)
    found = await customers_named(tenant_id, ref)
    return found or (await search_customers(tenant_id, who))[:5]


async def log_told_call(
    employee: Employee,
    customer: Customer | None,
    said: Said,
    now: datetime,
    number: str = "",
    dialled_at: datetime | None = None,
) -> Logged:
    """The call as told; a time in the note (下周三回访) also makes a follow-up. A connected
    call completes the callbacks still open for its number (回拨 0003, then 打通了). Without
    a customer (calling back an unknown number) the number is the record."""
    talk = said.talk_secs or 0
    ended = now
    started = min(dialled_at or ended - timedelta(seconds=talk), ended - timedelta(seconds=talk))
    note, due = _note_and_due(said.rest, now)
    number = number or (customer.phone if customer else "")
    who = str(customer.id) if customer else number
    call, _ = await save_call(
        CallIn(
            tenant_id=employee.tenant_id,
            dedup_key=f"manual:{employee.id}:{who}:{int(now.timestamp())}",
            source=CallSource.MANUAL,
            direction=CallDirection.OUTBOUND,
            started_at=started,
            number=number,
            employee_id=employee.id,
            customer_id=customer.id if customer else None,
            answered_at=ended - timedelta(seconds=talk) if talk else None,
            ended_at=ended,
            said=said.outcome,
            note=note,
        ),
        now,
    )
    if customer is not None and await claim_once(call, "noted"):
        await on_timeline(customer, call, now, employee)
    closed = 0
    if call.disposition is Disposition.ANSWERED and now.tzinfo is not None:
        closed = await close_callbacks(call, now, now.tzinfo)
    followup = None
    if due is not None:
        name = customer.display_name if customer else spaced(number)
        content = f"{name}：{note}" if note else f"回访{name}"
        followup = await create_followup(employee, content, due, said.rest, now, customer)
    return Logged(call, followup, closed)


def _note_and_due(text: str, now: datetime) -> tuple[str, datetime | None]:
    parsed = parse_time(text, now) if text else None
    if parsed is None:
        return text, None
    return tidy(content_of(text, parsed)), due_time(parsed, now)
