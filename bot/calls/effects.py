"""What a call sets off once stored: the screen pop while it rings, and once it ended the
customer's timeline, a callback for a missed inbound call, and closing callbacks a later
connected call answered.

Each is claimed by a conditional update on the call's row (``popped``, ``noted``,
``callback_claimed``), so two deliveries of the same event, on two replicas, do it once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from bot.calls.cards import missed_card
from bot.calls.numbers import Match, spaced
from bot.calls.popcard import pop_reply
from bot.calls.store import claim_once
from bot.calls.timeline import on_timeline
from bot.followups.store import complete, create_followup
from bot.outbox import enqueue
from models.calls import CallDirection, CallRecord, CallSettings, CallStage, Disposition
from models.crm.customers import Customer
from models.followups import Followup, FollowupStatus
from models.outbox import OutboxMessage
from models.tenants import Employee, Role

SEND_LEASE = timedelta(minutes=1)  # this process sends the pop itself, at once
CALLBACK = "回拨 {who}（{when} 未接来电）"
CLOSED_BY = "已通话（{when}）"


async def after_save(
    call: CallRecord, match: Match, settings: CallSettings, now: datetime, tz: tzinfo
) -> list[OutboxMessage]:
    """The pop rows to send now; the rest is written here."""
    rows = await _pop(call, match, now)
    if call.stage is not CallStage.ENDED:
        return rows
    customer = match.customer
    if customer is not None and await claim_once(call, "noted"):
        await on_timeline(customer, call, now, None)
    if call.disposition is Disposition.ANSWERED:
        await close_callbacks(call, now, tz)
    elif call.direction is CallDirection.INBOUND and not match.own:
        followup = await make_callback(call, customer, settings, now, tz)
        if followup is not None:
            rows += await _missed_card(call, customer, followup, now, tz)
    return rows


async def _missed_card(
    call: CallRecord, customer: Customer | None, followup: Followup, now: datetime, tz: tzinfo
) -> list[OutboxMessage]:
    """The callback's owner hears of the missed call at once, with 回拨 (and 新建客户)."""
    owner = await Employee.get_or_none(id=followup.owner_id)
    if owner is None:
        return []
    return await enqueue(
        call.tenant_id,
        [replace(missed_card(call, customer, followup, tz), to_user=owner.userid)],
        default_user=owner.userid,
        key_prefix=f"call-missed:{call.id}",
        channel="app",
        now=now,
        lease=SEND_LEASE,
    )


async def _pop(call: CallRecord, match: Match, now: datetime) -> list[OutboxMessage]:
    ringing = call.stage in (CallStage.RINGING, CallStage.ANSWERED)
    inbound = call.direction is CallDirection.INBOUND
    if not (ringing and inbound and call.employee_id) or match.own:
        return []
    agent = await Employee.get_or_none(id=call.employee_id)
    if agent is None or not await claim_once(call, "popped"):
        return []
    return await enqueue(
        call.tenant_id,
        [await pop_reply(call, match, agent.userid)],
        default_user=agent.userid,
        key_prefix=f"call-pop:{call.id}",
        channel="app",
        now=now,
        lease=SEND_LEASE,
    )


async def _callback_owner(call: CallRecord, customer: Customer | None) -> Employee | None:
    """The number's owner, else the agent it rang, else an admin: someone always has it."""
    for employee_id in (customer.owner_id if customer else None, call.employee_id):
        if employee_id:
            found = await Employee.get_or_none(id=employee_id)
            if found is not None:
                return found
    return await Employee.filter(tenant_id=call.tenant_id, role=Role.ADMIN).order_by("id").first()


async def make_callback(
    call: CallRecord, customer: Customer | None, settings: CallSettings, now: datetime, tz: tzinfo
) -> Followup | None:
    """Exactly one callback per missed call, due within the tenant's callback time."""
    owner = await _callback_owner(call, customer)
    if owner is None or not call.number or not await claim_once(call, "callback_claimed"):
        return None
    who = f"{customer.display_name} {spaced(call.number)}" if customer else spaced(call.number)
    when = call.started_at.astimezone(tz).strftime("%H:%M")
    due = max(now, call.started_at + timedelta(minutes=settings.callback_minutes))
    content = CALLBACK.format(who=who, when=when)
    followup = await create_followup(owner, content, due, content, now, customer)
    await CallRecord.filter(id=call.id).update(callback_id=followup.id)
    call.callback_id = followup.id
    return followup


async def close_callbacks(call: CallRecord, now: datetime, tz: tzinfo) -> int:
    """A connected call with the number answers every callback still open for it."""
    if not call.number:
        return 0
    ids = await CallRecord.filter(
        tenant_id=call.tenant_id,
        number=call.number,
        callback_id__isnull=False,
        started_at__lte=call.started_at,
    ).values_list("callback_id", flat=True)
    open_ones = await Followup.filter(id__in=list(ids), status=FollowupStatus.OPEN)
    note = CLOSED_BY.format(when=call.started_at.astimezone(tz).strftime("%m-%d %H:%M"))
    for followup in open_ones:
        await complete(followup, now, note, None)
    return len(open_ones)
