"""认领收款: a 对外收款 bill the sync left waiting (``PendingBill``) is put on the order its
owner names. It becomes the collection the sync would have written (same transaction id,
same refund ids), so a later sync finds it and stores nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from bot.orders.externalpay import METHOD, store_refunds
from bot.orders.moves import complete_if_done, refuse_closed, refuse_overpaid
from bot.orders.paid import add_collected
from bot.orders.rules import rules_of
from bot.orders.timeline import on_timeline
from bot.orders.view import OrderView
from bot.subscription.money import format_fen
from models.orders import Collection, CollectionSource, Order, PendingBill
from models.tenants import Employee

TAKEN = "这笔收款刚被认领过了，发送「待认领收款」看还剩哪些。"
ALL_REFUNDED = "这笔 {amount} 已经全额退回，不用认领。"


@dataclass(frozen=True, slots=True)
class Claimed:
    net_fen: int  # what stays with the order: the bill less its refunds
    view: OrderView


async def claim(
    pending: PendingBill, order: Order, by: Employee | None, now: datetime, today: date
) -> Claimed:
    net = pending.amount_fen - pending.refunded_fen
    if net <= 0:
        raise UserFacingError(ALL_REFUNDED.format(amount=format_fen(pending.amount_fen)))
    refuse_closed(order)
    async with in_transaction():
        # Whoever deletes the pending row claims it; a second claim (or a racing one) finds
        # nothing to delete and writes nothing.
        if not await PendingBill.filter(id=pending.id).delete():
            raise UserFacingError(TAKEN)
        allowed = (await rules_of(order.tenant_id)).allow_overpayment
        # The bill counts in full and its refunds come off (store_refunds): the room it
        # needs on the order is what stays with it.
        room = None if allowed else net
        if not await add_collected(order, pending.amount_fen, lacking_at_least=room):
            refuse_overpaid(order, net)
        await Collection.create(
            tenant_id=order.tenant_id,
            order_id=order.id,
            amount_fen=pending.amount_fen,
            method=METHOD,
            source=CollectionSource.EXTERNALPAY,
            external_id=pending.transaction_id,
            recorded_by_id=by.id if by else None,
            received_at=pending.paid_at,
        )
        await on_timeline(order, f"认领对外收款 {format_fen(pending.amount_fen)}", now, by)
        await store_refunds(order, list(pending.refunds), now)
        view = await complete_if_done(order, now, today)
    return Claimed(net, view)
