"""How stock reads in chat: the kinds of move, a product's levels, the check's verdict."""

from __future__ import annotations

from bot.erp.check import CheckReport
from bot.erp.inquiry import Level
from bot.erp.stock import amount
from models.erp import MoveKind
from models.products import Product

KIND_WORDS = {
    MoveKind.STOCK_IN: "入库",
    MoveKind.STOCK_OUT: "出库",
    MoveKind.ISSUE: "领用",
    MoveKind.TRANSFER_OUT: "调出",
    MoveKind.TRANSFER_IN: "调入",
    MoveKind.PURCHASE_IN: "采购到货",
    MoveKind.COUNT: "盘点",
    MoveKind.SALE_OUT: "销售出库",
    MoveKind.PURCHASE_RETURN: "采购退货",
}
NO_STOCK = "还没有库存记录。入库发送：入库 {name} 数量"
CHECK_OK = "库存核对：{balances} 个库存余额、{moves} 条流水，全部一致。"
CHECK_BAD = "库存核对发现问题（{balances} 个库存余额、{moves} 条流水）："
MISMATCH = "{product} @ {warehouse}：余额 {on_hand}，流水合计 {total}，最后结存 {last}"
BROKEN = "{count} 条流水的结存与累计不符（第一条编号 {first}）"
NEGATIVE = "{count} 个库存余额小于 0"
HOLD_MISMATCH = "{product} @ {warehouse}：占用 {reserved}，订单占用合计 {held}"
BELOW_ZERO = "（负库存）"


def stock_amount(qty: int, unit: str) -> str:
    """A stock figure; one below zero (a product allowed negative stock) says so."""
    return amount(qty, unit) + (BELOW_ZERO if qty < 0 else "")


def level_lines(product: Product, levels: list[Level]) -> list[str]:
    """One line per warehouse, and the total when there are several."""
    unit = product.unit
    if not levels:
        return [NO_STOCK.format(name=product.name)]
    lines = [
        f"{level.warehouse}：在库 {stock_amount(level.on_hand, unit)} · 占用 {level.reserved} · "
        f"可用 {amount(level.available, unit)} · 在途 {level.on_order}"
        for level in levels
    ]
    if len(levels) > 1:
        on_hand = sum(level.on_hand for level in levels)
        available = sum(level.available for level in levels)
        coming = sum(level.on_order for level in levels)
        lines.append(
            f"合计：在库 {stock_amount(on_hand, unit)} · 可用 {amount(available, unit)} · "
            f"在途 {coming}"
        )
    return lines


def check_words(report: CheckReport) -> str:
    if report.ok:
        return CHECK_OK.format(balances=report.balances, moves=report.moves)
    lines = [CHECK_BAD.format(balances=report.balances, moves=report.moves)]
    for item in report.mismatches[:20]:
        lines.append(
            MISMATCH.format(
                product=item.product,
                warehouse=item.warehouse,
                on_hand="无" if item.on_hand is None else item.on_hand,
                total=item.ledger_sum,
                last="无" if item.last_after is None else item.last_after,
            )
        )
    if report.broken_moves:
        lines.append(BROKEN.format(count=report.broken_moves, first=report.first_broken[0]))
    if report.negative:
        lines.append(NEGATIVE.format(count=report.negative))
    lines += [
        HOLD_MISMATCH.format(
            product=item.product,
            warehouse=item.warehouse,
            reserved="无" if item.reserved is None else item.reserved,
            held=item.held,
        )
        for item in report.holds[:20]
    ]
    return "\n".join(lines)
