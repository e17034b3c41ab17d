"""Posting stock: the one place a balance changes, and the ledger row that says so.

Each move is one guarded conditional UPDATE of its balance (``on_hand − reserved ≥ qty`` for a
decrement, checked by the row coming back) and one ledger row written from the values that
UPDATE returned, never from an earlier read (yudao's ``updateCountIncrement`` with its flaw
mended: its record's running total came from the read before the update). On PostgreSQL the
UPDATE takes the row lock and re-checks the guard against the committed row, so of fifty
concurrent stock-outs of one against ten only ten find their guard true; SQLite runs one
writer at a time and gets the same answer.

Holding stock for an order (``hold``, ``unhold``; ``bot.erp.reservations`` keeps what each
order line holds) changes only ``reserved``, by the same kind of guarded UPDATE; it moves
nothing, so it writes no ledger row. A stock-out that an order's hold covers
(``Move.reserved_used``) lowers on_hand and reserved together in its one UPDATE.

Several moves posted together (a transfer, a receipt of several lines) are all or nothing: a
savepoint inside the caller's transaction is rolled back when one falls short. Their balances
are updated in one order (by product, then warehouse), so two transactions touching the same
balances never wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.dispatch.errors import Kept, UserFacingError
from models.erp import MoveKind, StockBalance, StockMove, StockRefusal, Warehouse
from models.products import Product

SHORT = "库存不足：{warehouse}的「{product}」只有 {available} 可用，{wanted}不够。"
NOT_POSITIVE = "数量要写大于 0 的整数，例如：3箱。"


def amount(qty: int, unit: str) -> str:
    return f"{qty}{unit}"


@dataclass(frozen=True, slots=True)
class Move:
    """One change to one balance: ``qty`` > 0 comes in, < 0 goes out."""

    product: Product
    warehouse: Warehouse
    qty: int
    kind: MoveKind
    reference: str = ""
    member: str = ""
    note: str = ""
    key: str | None = None  # posted at most once per tenant (a shipment line, say)
    # Its cost per unit when the caller knows it (a purchase at its price); None: the
    # product's moving-average cost at posting, or its 进价 before there is one.
    unit_cost_fen: int | None = None
    # How much of a decrement the stock held for it covers (an order line's own reservation,
    # ``bot.erp.reservations``): on_hand and reserved go down by it together, and only the
    # rest must be available.
    reserved_used: int = 0


@dataclass(frozen=True, slots=True)
class Release:
    """Stock held for an order given back (``reserved`` down by ``qty``): no move, on_hand
    stays."""

    product_id: int
    warehouse_id: int
    qty: int


@dataclass(frozen=True, slots=True)
class Posted:
    move: Move
    on_hand: int  # the balance right after this move
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Shortage(UserFacingError):
    """A decrement found less available than it asked for; nothing was posted. A refused
    stock-out keeps its ``StockRefusal`` row (written after the rollback)."""

    def __init__(self, move: Move, available: int, kept: tuple[Kept, ...] = ()) -> None:
        unit = move.product.unit
        super().__init__(
            SHORT.format(
                warehouse=move.warehouse.name,
                product=move.product.name,
                available=amount(max(available, 0), unit),
                wanted=f"要{amount(-move.qty, unit)}",
            ),
            kept,
        )
        self.move = move
        self.available = available


class AlreadyPosted(Exception):
    """A move's key was posted before (a retry): nothing new was posted."""


async def post(
    tenant_id: int,
    moves: Sequence[Move],
    actor_id: int | None,
    now: datetime,
    releases: Sequence[Release] = (),
) -> list[Posted]:
    """Post ``moves`` together, in the caller's transaction; results in the order given.
    ``releases`` (reservations given back with them, a shipment from another warehouse than
    the one holding its goods) join the same savepoint and the same order of balances.

    Raises ``Shortage`` when a decrement would take more than is available and
    ``AlreadyPosted`` when a move's key is taken; either way nothing of ``moves`` stays."""
    for move in moves:
        if move.qty == 0:
            raise UserFacingError(NOT_POSITIVE)
        if not 0 <= move.reserved_used <= max(-move.qty, 0):
            raise ValueError(f"reserved_used {move.reserved_used} outside a move of {move.qty}")
    steps: list[tuple[int, int, int]] = [
        (m.product.id, m.warehouse.id, i) for i, m in enumerate(moves)
    ] + [(r.product_id, r.warehouse_id, -1 - i) for i, r in enumerate(releases)]
    results: dict[int, Posted] = {}
    try:
        async with in_transaction():
            for product_id, warehouse_id, index in sorted(steps):
                if index < 0:
                    await unhold(product_id, warehouse_id, releases[-1 - index].qty, now)
                else:
                    results[index] = await _post_one(tenant_id, moves[index], actor_id, now)
    except IntegrityError as exc:
        keys = [m.key for m in moves if m.key]
        if keys and await StockMove.filter(tenant_id=tenant_id, key__in=keys).exists():
            raise AlreadyPosted(", ".join(keys)) from exc
        raise
    return [results[i] for i in range(len(moves))]


async def _post_one(tenant_id: int, move: Move, actor_id: int | None, now: datetime) -> Posted:
    if move.key and await StockMove.filter(tenant_id=tenant_id, key=move.key).exists():
        raise AlreadyPosted(move.key)
    await _ensure_balance(tenant_id, move.product.id, move.warehouse.id, now)
    row = await _apply(move, now)
    if row is None:
        there = await available(move.product.id, move.warehouse.id) + move.reserved_used
        kept = (
            ()
            if move.kind is MoveKind.COUNT
            else (_refusal(tenant_id, move, there, actor_id, now),)
        )
        raise Shortage(move, there, kept)
    on_hand, reserved = row
    cost = move.unit_cost_fen if move.unit_cost_fen is not None else await _cost_now(move)
    await StockMove.create(
        tenant_id=tenant_id,
        product_id=move.product.id,
        warehouse_id=move.warehouse.id,
        kind=move.kind,
        qty_delta=move.qty,
        balance_after=on_hand,
        value_fen=None if cost is None else move.qty * cost,
        reference=move.reference[:32],
        member=move.member[:32],
        note=move.note[:200],
        actor_id=actor_id,
        key=move.key,
        at=now,
    )
    return Posted(move, on_hand, reserved)


async def _cost_now(move: Move) -> int | None:
    """The product's cost per unit as it stands (read now, not from the loaded product: a
    receipt earlier in this transaction may have moved it)."""
    rows = await Product.filter(id=move.product.id).values("avg_cost_fen", "purchase_price_fen")
    if not rows:
        return None
    average, price = rows[0]["avg_cost_fen"], rows[0]["purchase_price_fen"]
    return int(average) if average is not None else None if price is None else int(price)


def _refusal(tenant_id: int, move: Move, there: int, actor_id: int | None, now: datetime) -> Kept:
    async def record() -> None:
        await StockRefusal.create(
            tenant_id=tenant_id,
            product_id=move.product.id,
            warehouse_id=move.warehouse.id,
            kind=move.kind,
            wanted=-move.qty,
            available=max(there, 0),
            reference=move.reference[:32],
            member=move.member[:32],
            actor_id=actor_id,
            at=now,
        )

    return record


async def _ensure_balance(
    tenant_id: int, product_id: int, warehouse_id: int, now: datetime
) -> None:
    """The balance row exists before it is updated. Two first moves racing both insert; the
    unique (product, warehouse) index keeps one and the other skips."""
    connection = connections.get("default")
    marks = _marks(connection.capabilities.dialect, 5)
    await connection.execute_query(
        'INSERT INTO "erp_stock_balance" '
        '("tenant_id", "product_id", "warehouse_id", "on_hand", "reserved", "updated_at") '
        f"VALUES ({marks[0]}, {marks[1]}, {marks[2]}, 0, {marks[3]}, {marks[4]}) "
        'ON CONFLICT ("product_id", "warehouse_id") DO NOTHING',
        [tenant_id, product_id, warehouse_id, 0, now.astimezone(UTC)],
    )


async def _apply(move: Move, now: datetime) -> tuple[int, int] | None:
    """The guarded UPDATE: (on_hand, reserved) as it left the row, or None when a decrement
    found too little available (the row is then unchanged). What the move's own reservation
    covers leaves on_hand and reserved together, so only the rest is checked against what is
    free. A product allowed negative stock passes the guard; the setting is read by the
    UPDATE itself, never from an earlier load of the product, so a stock-out racing an admin
    turning it off sees one or the other."""
    connection = connections.get("default")
    mark = _marks(connection.capabilities.dialect, 7)
    guard = (
        f' AND "reserved" >= {mark[5]} AND ("on_hand" - "reserved" >= {mark[6]} OR EXISTS '
        '(SELECT 1 FROM "product" p '
        'WHERE p."id" = "erp_stock_balance"."product_id" AND p."allow_negative"))'
        if move.qty < 0
        else ""
    )
    used = move.reserved_used if move.qty < 0 else 0
    params: list[object] = [
        move.qty,
        used,
        now.astimezone(UTC),
        move.product.id,
        move.warehouse.id,
    ]
    if move.qty < 0:
        params += [used, -move.qty - used]
    rows = await connection.execute_query_dict(
        f'UPDATE "erp_stock_balance" SET "on_hand" = "on_hand" + {mark[0]}, '
        f'"reserved" = "reserved" - {mark[1]}, "updated_at" = {mark[2]} '
        f'WHERE "product_id" = {mark[3]} AND "warehouse_id" = {mark[4]}'
        f'{guard} RETURNING "on_hand", "reserved"',
        params,
    )
    if not rows:
        return None
    return int(rows[0]["on_hand"]), int(rows[0]["reserved"])


async def hold(
    tenant_id: int, product_id: int, warehouse_id: int, qty: int, now: datetime
) -> tuple[int, int] | None:
    """Reserve ``qty`` more (库存占用) where that much is free: the guarded UPDATE
    ``reserved + qty ≤ on_hand`` (any amount for a product allowed negative stock, read by
    the UPDATE itself). (on_hand, reserved) after it, or None when too little was free; the
    row is then unchanged. On PostgreSQL the UPDATE waits for the row and re-checks the
    guard against what committed, so twenty holds of one against ten succeed ten times."""
    await _ensure_balance(tenant_id, product_id, warehouse_id, now)
    connection = connections.get("default")
    mark = _marks(connection.capabilities.dialect, 5)
    rows = await connection.execute_query_dict(
        f'UPDATE "erp_stock_balance" SET "reserved" = "reserved" + {mark[0]}, '
        f'"updated_at" = {mark[1]} WHERE "product_id" = {mark[2]} AND "warehouse_id" = {mark[3]}'
        f' AND ("reserved" + {mark[4]} <= "on_hand" OR EXISTS (SELECT 1 FROM "product" p '
        'WHERE p."id" = "erp_stock_balance"."product_id" AND p."allow_negative")) '
        'RETURNING "on_hand", "reserved"',
        [qty, now.astimezone(UTC), product_id, warehouse_id, qty],
    )
    if not rows:
        return None
    return int(rows[0]["on_hand"]), int(rows[0]["reserved"])


async def unhold(product_id: int, warehouse_id: int, qty: int, now: datetime) -> None:
    """Give back ``qty`` of what is reserved (a cancelled order's, say). Guarded by
    ``reserved ≥ qty``: giving back what was never held is a bug, not a state to store."""
    connection = connections.get("default")
    mark = _marks(connection.capabilities.dialect, 5)
    rows = await connection.execute_query_dict(
        f'UPDATE "erp_stock_balance" SET "reserved" = "reserved" - {mark[0]}, '
        f'"updated_at" = {mark[1]} WHERE "product_id" = {mark[2]} AND "warehouse_id" = {mark[3]}'
        f' AND "reserved" >= {mark[4]} RETURNING "reserved"',
        [qty, now.astimezone(UTC), product_id, warehouse_id, qty],
    )
    if not rows:
        raise RuntimeError(f"releasing {qty} of product {product_id} held nowhere")


async def free_now(product_id: int, warehouse_id: int) -> tuple[int, bool]:
    """What is free to reserve now (on_hand − reserved, as committed) and whether the
    product may go below zero."""
    rows = await StockBalance.filter(product_id=product_id, warehouse_id=warehouse_id).values(
        "on_hand", "reserved"
    )
    negative = await Product.filter(id=product_id, allow_negative=True).exists()
    free = int(rows[0]["on_hand"]) - int(rows[0]["reserved"]) if rows else 0
    return free, negative


def _marks(dialect: str, count: int) -> list[str]:
    if dialect == "postgres":
        return [f"${n}" for n in range(1, count + 1)]
    return ["?"] * count


async def available(product_id: int, warehouse_id: int) -> int:
    balance = await StockBalance.get_or_none(product_id=product_id, warehouse_id=warehouse_id)
    return balance.on_hand - balance.reserved if balance else 0
