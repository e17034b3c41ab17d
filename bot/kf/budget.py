"""Each kf customer's send budget, kept in the database.

``kf/send_msg`` reaches a customer only within 48 hours of their last message, and at most 5
times per message they send; WeCom refuses the rest. A customer message opens the window
again with 5 sends; each send takes one with a conditional UPDATE, so two senders never
spend the last one twice. Handlers read ``budget_for`` to decide what to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F

from bot.wecom.kf import KfAddress
from models.kf import KfWindow
from models.outbox import OutboxMessage, OutboxStatus

SEND_WINDOW = timedelta(hours=48)
SENDS_PER_MESSAGE = 5


@dataclass(frozen=True, slots=True)
class KfBudget:
    sends_left: int  # after the messages already queued for the customer
    open_until: datetime | None  # when the 48 hours run out; None: the customer never wrote

    def allows(self, messages: int = 1) -> bool:
        return self.sends_left >= messages


async def note_customer_message(tenant_id: int, to: KfAddress, at: datetime) -> None:
    """The customer wrote at ``at``: 5 sends for the next 48 hours. Call in the transaction
    that stores the message."""
    window = await KfWindow.get_or_none(
        tenant_id=tenant_id, open_kfid=to.open_kfid, external_userid=to.external_userid
    )
    if window is None:
        await KfWindow.create(
            tenant_id=tenant_id,
            open_kfid=to.open_kfid,
            external_userid=to.external_userid,
            last_customer_message_at=at,
            sends_left=SENDS_PER_MESSAGE,
            updated_at=at,
        )
    elif at >= window.last_customer_message_at:
        await KfWindow.filter(id=window.id).update(
            last_customer_message_at=at, sends_left=SENDS_PER_MESSAGE, updated_at=at
        )


async def budget_for(tenant_id: int, to: KfAddress, now: datetime) -> KfBudget:
    window = await KfWindow.get_or_none(
        tenant_id=tenant_id, open_kfid=to.open_kfid, external_userid=to.external_userid
    )
    if window is None:
        return KfBudget(0, None)
    open_until = window.last_customer_message_at + SEND_WINDOW
    if open_until <= now:
        return KfBudget(0, open_until)
    queued = await OutboxMessage.filter(
        tenant_id=tenant_id, channel="kf", recipient=str(to), status=OutboxStatus.PENDING
    ).count()
    return KfBudget(max(window.sends_left - queued, 0), open_until)


async def spend(tenant_id: int, to: KfAddress, now: datetime) -> bool:
    """Take one send, or False when the budget is used up or the 48 hours are over."""
    taken = await KfWindow.filter(
        tenant_id=tenant_id,
        open_kfid=to.open_kfid,
        external_userid=to.external_userid,
        sends_left__gt=0,
        last_customer_message_at__gt=now - SEND_WINDOW,
    ).update(sends_left=F("sends_left") - 1, updated_at=now)
    return taken == 1


async def refund(tenant_id: int, to: KfAddress, now: datetime) -> None:
    """Give back a send WeCom did not deliver (a transport error before it took it)."""
    await KfWindow.filter(
        tenant_id=tenant_id,
        open_kfid=to.open_kfid,
        external_userid=to.external_userid,
        sends_left__lt=SENDS_PER_MESSAGE,
    ).update(sends_left=F("sends_left") + 1, updated_at=now)


async def open_address(tenant_id: int, external_userid: str, now: datetime) -> KfAddress | None:
    """The kf account a customer last wrote to, if a message can still reach them there."""
    windows = await KfWindow.filter(
        tenant_id=tenant_id,
        external_userid=external_userid,
        last_customer_message_at__gt=now - SEND_WINDOW,
        sends_left__gt=0,
    ).order_by("-last_customer_message_at")
    for window in windows:
        to = KfAddress(window.open_kfid, window.external_userid)
        if (await budget_for(tenant_id, to, now)).allows():
            return to
    return None
