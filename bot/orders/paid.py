"""The money kept on the order row: ``paid_fen`` (Σ collections − Σ refunds) and
``refunded_fen`` (Σ refunds).

Every collection and refund changes them here, by one UPDATE that adds to the column in the
database (``F``), in the transaction that writes the collection or refund row: two
collections at the same moment both count, and a collection rolled back takes its amount
with it. A guarded change (room left on the order, money left to refund) is a conditional
UPDATE checked by its rowcount, so a racing collection or refund cannot slip past a check
made on a stale read.
"""

from __future__ import annotations

from tortoise.expressions import F

from models.orders import Order, OrderState

TAKES_MONEY = (OrderState.CONFIRMED, OrderState.COMPLETED)


async def add_collected(
    order: Order, amount_fen: int, *, lacking_at_least: int | None, open_only: bool = True
) -> bool:
    """``amount_fen`` more paid. With ``lacking_at_least``, only while the order still lacks
    that much (paid + lacking_at_least ≤ total); with ``open_only``, only while it is
    confirmed or completed (not cancelled under our feet). False, and nothing changed,
    otherwise."""
    query = Order.filter(id=order.id)
    if open_only:
        query = query.filter(state__in=TAKES_MONEY)
    if lacking_at_least is not None:
        query = query.filter(paid_fen__lte=F("total_fen") - lacking_at_least)
    changed = await query.update(paid_fen=F("paid_fen") + amount_fen)
    await reload_paid(order)
    return changed == 1


async def add_refunded(order: Order, amount_fen: int, *, guarded: bool) -> bool:
    """``amount_fen`` given back. ``guarded``: only while at least that much is paid (a
    refund typed in chat); a refund WeCom reports has happened and is always counted."""
    query = Order.filter(id=order.id)
    if guarded:
        query = query.filter(paid_fen__gte=amount_fen)
    changed = await query.update(
        paid_fen=F("paid_fen") - amount_fen, refunded_fen=F("refunded_fen") + amount_fen
    )
    await reload_paid(order)
    return changed == 1


async def reload_paid(order: Order) -> None:
    """The order's money and state as the database has them now (a row read earlier may be
    stale)."""
    row = await Order.filter(id=order.id).values("paid_fen", "refunded_fen", "state")
    if row:
        order.paid_fen = int(row[0]["paid_fen"])
        order.refunded_fen = int(row[0]["refunded_fen"])
        order.state = OrderState(row[0]["state"])
