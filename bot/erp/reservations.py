"""库存占用: a confirmed order holds its goods so that no other order or 领用 takes them.

Confirming holds each line's quantity in the warehouse, as much of it as is free, through
the guarded UPDATE of ``bot.erp.stock.hold`` (``reserved + q ≤ on_hand``): a read of what is
free only proposes the amount, the UPDATE decides, so twenty orders of one against ten hold
ten (Odoo's "20 concurrent processes can reserve … with only 10 in stock" cannot happen).
What was short stays short: a later receipt is free stock, and 发货 takes the rest from it.

Each line's ``StockReservation`` row is claimed by an INSERT that skips an existing one, so a
retried confirmation holds nothing twice. Every later change to a row is a compare-and-set on
its ``qty`` (the amount read must still be there), so a shipment and a cancellation racing
for the same units each get what the other did not take, and each unit leaves once: shipped
with the goods or released.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise import connections
from tortoise.expressions import F

from bot.dispatch.errors import UserFacingError
from bot.erp.stock import Release, free_now, hold, unhold
from bot.insert_many import insert_many_sql
from models.erp import StockReservation, Warehouse
from models.orders import OrderLine

# A hold whose guard lost to a concurrent one reads what is free again; each retry follows
# another transaction's commit, so this many means stock is churning and the line waits.
ATTEMPTS = 20
BUSY = "库存正在被同时改动，这一步没有完成，请稍后再发一次。"
_CLAIM_COLUMNS = (
    "tenant_id", "order_id", "order_line_id", "product_id", "warehouse_id", "wanted",
    "created_at", "updated_at", "qty", "shipped", "released",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Held:
    """What confirming one line held."""

    name: str
    unit: str
    warehouse: str
    wanted: int
    held: int

    @property
    def short(self) -> int:
        return self.wanted - self.held


async def reserve_order(
    tenant_id: int, order_id: int, warehouse: Warehouse, now: datetime
) -> list[Held]:
    """Hold every line of a just-confirmed order in ``warehouse``; lines held before (a
    retry) are skipped. Never refuses: a line without enough free stock holds what there is."""
    lines = (
        await OrderLine.filter(order_id=order_id, qty__gt=0)
        .order_by("product_id", "id")
        .prefetch_related("product")
    )
    done = []
    for line in lines:
        reservation_id = await _claim(tenant_id, line, warehouse.id, now)
        if reservation_id is None:
            continue
        held = await _hold_what_is_free(tenant_id, line.product_id, warehouse.id, line.qty, now)
        if held:
            await StockReservation.filter(id=reservation_id).update(qty=held, updated_at=now)
        done.append(Held(line.product.name, line.unit, warehouse.name, line.qty, held))
    return done


async def _claim(tenant_id: int, line: OrderLine, warehouse_id: int, now: datetime) -> int | None:
    """The line's reservation row, new and empty; None when it has one already."""
    connection = connections.get("default")
    at = now.astimezone(UTC)
    sql = insert_many_sql(
        "erp_stock_reservation",
        _CLAIM_COLUMNS,
        1,
        connection.capabilities.dialect,
        conflict='"order_line_id"',
        returning='"id"',
    )
    rows = await connection.execute_query_dict(
        sql,
        [
            tenant_id,
            line.order_id,
            line.id,
            line.product_id,
            warehouse_id,
            line.qty,
            at,
            at,
            0,
            0,
            0,
        ],
    )
    return int(rows[0]["id"]) if rows else None


async def _hold_what_is_free(
    tenant_id: int, product_id: int, warehouse_id: int, wanted: int, now: datetime
) -> int:
    for _ in range(ATTEMPTS):
        free, negative = await free_now(product_id, warehouse_id)
        take = wanted if negative else min(wanted, max(free, 0))
        if take <= 0:
            return 0
        if await hold(tenant_id, product_id, warehouse_id, take, now) is not None:
            return take
    return 0


@dataclass(frozen=True, slots=True)
class Taken:
    """What a shipment line took of its reservation: ``used`` leaves with the goods (same
    warehouse); ``release`` is freed in the reservation's warehouse (shipped from another)."""

    used: int = 0
    release: Release | None = None


async def take_for_shipment(
    order_line_id: int, qty: int, warehouse_id: int, now: datetime
) -> Taken:
    """Up to ``qty`` of the line's reservation, for a shipment of ``qty`` from
    ``warehouse_id``. The caller posts ``used`` with the stock-out and the release with it,
    in one transaction."""
    reservation = await StockReservation.get_or_none(order_line_id=order_line_id)
    if reservation is None:
        return Taken()
    here = reservation.warehouse_id == warehouse_id
    taken = await _take(reservation.id, "shipped" if here else "released", qty, now)
    if not taken:
        return Taken()
    if here:
        return Taken(used=taken)
    return Taken(release=Release(reservation.product_id, reservation.warehouse_id, taken))


async def holds_of(order_id: int) -> dict[tuple[int, int], int]:
    """What the order holds now, by (product, warehouse)."""
    held: dict[tuple[int, int], int] = {}
    rows = await StockReservation.filter(order_id=order_id, qty__gt=0).values(
        "product_id", "warehouse_id", "qty"
    )
    for row in rows:
        key = (int(row["product_id"]), int(row["warehouse_id"]))
        held[key] = held.get(key, 0) + int(row["qty"])
    return held


@dataclass(frozen=True, slots=True)
class Freed:
    name: str
    unit: str
    warehouse: str
    qty: int


async def release_order(order_id: int, now: datetime) -> list[Freed]:
    """Give back whatever the order still holds (it was cancelled). What a racing shipment
    took first is not released; a second call finds nothing left."""
    reservations = (
        await StockReservation.filter(order_id=order_id, qty__gt=0)
        .order_by("order_line_id")
        .prefetch_related("product", "warehouse", "order_line")
    )
    freed: list[tuple[StockReservation, int]] = []
    for reservation in reservations:
        taken = await _take(reservation.id, "released", None, now)
        if taken:
            freed.append((reservation, taken))
    await release_all([Release(r.product_id, r.warehouse_id, taken) for r, taken in freed], now)
    return [Freed(r.product.name, r.order_line.unit, r.warehouse.name, taken) for r, taken in freed]


async def release_all(releases: Sequence[Release], now: datetime) -> None:
    """The balances' side of releases, in the one order every balance is updated in."""
    for release in sorted(releases, key=lambda r: (r.product_id, r.warehouse_id)):
        await unhold(release.product_id, release.warehouse_id, release.qty, now)


async def _take(reservation_id: int, into: str, most: int | None, now: datetime) -> int:
    """Move up to ``most`` (None: all) of what the reservation holds into ``into``
    (shipped or released): compare-and-set on the amount read, again when another
    transaction changed it first. The amount moved."""
    for _ in range(ATTEMPTS):
        rows = await StockReservation.filter(id=reservation_id).values("qty")
        held = int(rows[0]["qty"]) if rows else 0
        taken = held if most is None else min(held, most)
        if taken <= 0:
            return 0
        changes = {"qty": F("qty") - taken, into: F(into) + taken, "updated_at": now}
        if await StockReservation.filter(id=reservation_id, qty=held).update(**changes):
            return taken
    # Twenty commits by others in between: say so rather than fail with a traceback; the
    # handler's transaction rolls back, so nothing is half done.
    raise UserFacingError(BUSY)
