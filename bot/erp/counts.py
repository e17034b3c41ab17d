"""Stock counts (盘点): start one for a warehouse, anyone records what they counted, an admin
confirms and each difference is posted.

Each line records where the ledger stood when it was counted: the balance's last move and
the balance after it (the ledger guarantees the two agree). Confirming posts ``counted −
book_qty`` as a move on top of whatever moved since, so goods sold while people count are
neither counted twice nor lost, unlike a count that sets the balance to what was counted
(yudao posts its stale difference; Odoo flags such lines ``is_outdated``: so does 盘点差异).
Confirming is a compare-and-set on the count's state and each line posts under its own key:
confirming twice posts once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.day_numbers import DayNumbers
from bot.dispatch.errors import UserFacingError
from bot.erp.stock import Move, Posted, Shortage, post
from models.erp import (
    CountState,
    MoveKind,
    StockCount,
    StockCountLine,
    StockMove,
    Warehouse,
)
from models.products import Product
from models.tenants import Employee

PREFIX = "PD"
LEADING_REF = re.compile(
    r"(?:盘点单?|单号)?\s*[#第]?\s*(?:PD-?\d{8}-?)?\d{1,6}(?:\s*号)?(?!\d)", re.I
)
_REF = re.compile(
    r"^(?:盘点单?|单号)?\s*[#第]?\s*(?:PD-?(?P<day>\d{8})-?)?(?P<seq>\d{1,6})\s*(?:号)?$", re.I
)
NUMBERS = DayNumbers(PREFIX, StockCount, _REF)
NUMBER_ATTEMPTS = 3
ALREADY_OPEN = "{warehouse}已有盘点 {number} 进行中：发送「盘 商品 数量」录入，「盘点差异」查看。"
NO_OPEN = "现在没有进行中的盘点。管理员发送「开始盘点 仓库」开始，例如：开始盘点 总仓"
NOT_OPEN = "盘点 {number} 已{state}。"
NOT_FOUND = "没有找到盘点「{ref}」。"
SHORT = "{refusal}盘点 {number} 的盘亏超过现有库存（盘点后又有出库），请复盘后再确认。"
STATE_WORDS = {
    CountState.OPEN: "进行中",
    CountState.CONFIRMED: "确认",
    CountState.CANCELLED: "取消",
}


async def start_count(
    tenant_id: int, warehouse: Warehouse, by: Employee | None, now: datetime, today: date
) -> StockCount:
    running = await StockCount.filter(
        tenant_id=tenant_id, warehouse_id=warehouse.id, state=CountState.OPEN
    ).first()
    if running is not None:
        raise UserFacingError(ALREADY_OPEN.format(warehouse=warehouse.name, number=running.number))
    fields: dict[str, Any] = {
        "tenant_id": tenant_id,
        "warehouse_id": warehouse.id,
        "created_by_id": by.id if by else None,
        "created_at": now,
    }
    for attempt in range(NUMBER_ATTEMPTS):
        seq = await NUMBERS.next_seq(tenant_id, today)
        try:
            async with in_transaction():
                return await StockCount.create(
                    **fields, day=today, seq=seq, number=NUMBERS.format(today, seq)
                )
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def find_count(tenant_id: int, ref: str, warehouse: Warehouse | None = None) -> StockCount:
    """By reference; with none, the open count (of ``warehouse`` when given), newest first."""
    if ref:
        found = await NUMBERS.find(tenant_id, ref)
        if found is None:
            raise UserFacingError(NOT_FOUND.format(ref=ref))
        return found
    query = StockCount.filter(tenant_id=tenant_id, state=CountState.OPEN)
    if warehouse is not None:
        query = query.filter(warehouse_id=warehouse.id)
    running = await query.order_by("-id").first()
    if running is None:
        raise UserFacingError(NO_OPEN)
    return running


def _must_be_open(count: StockCount) -> None:
    if count.state is not CountState.OPEN:
        raise UserFacingError(NOT_OPEN.format(number=count.number, state=STATE_WORDS[count.state]))


async def record(
    count: StockCount, product: Product, counted: int, by: Employee | None, now: datetime
) -> StockCountLine:
    """The count of one product (a later count of it replaces an earlier one), with the
    ledger's position and the book quantity read from the same move."""
    _must_be_open(count)
    last = (
        await StockMove.filter(product_id=product.id, warehouse_id=count.warehouse_id)
        .order_by("-id")
        .first()
    )
    line, _ = await StockCountLine.update_or_create(
        defaults={
            "counted": counted,
            "book_qty": last.balance_after if last else 0,
            "ledger_position": last.id if last else 0,
            "counted_by_id": by.id if by else None,
            "counted_at": now,
        },
        count_id=count.id,
        product_id=product.id,
    )
    return line


@dataclass(frozen=True, slots=True)
class Difference:
    line: StockCountLine
    moved_since: bool  # the product moved in this warehouse after it was counted

    @property
    def qty(self) -> int:
        return int(self.line.counted) - int(self.line.book_qty)

    @property
    def value_fen(self) -> int | None:
        price = self.line.product.purchase_price_fen
        return None if price is None else self.qty * price


async def differences(count: StockCount) -> list[Difference]:
    lines = (
        await StockCountLine.filter(count_id=count.id)
        .order_by("product__name")
        .prefetch_related("product")
    )
    found = []
    for line in lines:
        moved = await StockMove.filter(
            product_id=line.product_id,
            warehouse_id=count.warehouse_id,
            id__gt=line.ledger_position,
        ).exists()
        found.append(Difference(line, moved))
    return found


async def confirm(count: StockCount, by: Employee | None, now: datetime) -> list[Posted] | None:
    """Post every difference; None when the count was not open any more (confirmed twice)."""
    won = await StockCount.filter(id=count.id, state=CountState.OPEN).update(
        state=CountState.CONFIRMED, closed_at=now
    )
    if not won:
        return None
    count.state = CountState.CONFIRMED
    warehouse = await Warehouse.get(id=count.warehouse_id)
    moves = [
        Move(
            d.line.product,
            warehouse,
            d.qty,
            MoveKind.COUNT,
            reference=count.number,
            key=f"count:{count.id}:{d.line.product_id}",
        )
        for d in await differences(count)
        if d.qty
    ]
    if not moves:
        return []
    try:
        return await post(count.tenant_id, moves, by.id if by else None, now)
    except Shortage as short:
        raise UserFacingError(SHORT.format(refusal=short.message, number=count.number)) from short


async def cancel(count: StockCount, now: datetime) -> bool:
    won = await StockCount.filter(id=count.id, state=CountState.OPEN).update(
        state=CountState.CANCELLED, closed_at=now
    )
    return won == 1
