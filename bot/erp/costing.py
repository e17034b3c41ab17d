"""Moving-average cost (移动平均成本) per product, across its warehouses, in integer fen.

A purchase receipt of q at price p onto stock s (all warehouses, before it) makes the cost
``(s × avg + q × p) / (s + q)``; onto no stock (s ≤ 0, or no cost yet) it is p: the average is
defined only while stock is positive. A purchase return of q takes the goods out at their
receipt's price p: ``(s × avg − q × p) / (s − q)``, and nothing is left to average when
s − q ≤ 0. Other moves (stock-outs, uses, transfers, counts) go at the average and leave it
unchanged. Rounded half up to the fen.

Called inside the receipt's or return's transaction, after its stock was posted. The
product's row is touched first: on PostgreSQL that takes its lock, so two receipts of one
product average one after the other, each from the stock the other left.
"""

from __future__ import annotations

from datetime import datetime

from bot.erp.inquiry import product_total
from models.products import Product


def _rounded(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


async def _locked(product_id: int, now: datetime) -> Product:
    await Product.filter(id=product_id).update(updated_at=now)
    return await Product.get(id=product_id)


async def received(tenant_id: int, product_id: int, qty: int, price_fen: int, now: datetime) -> int:
    """The cost after a receipt of ``qty`` at ``price_fen`` (already posted)."""
    product = await _locked(product_id, now)
    before = await product_total(tenant_id, product_id) - qty
    if before <= 0 or product.avg_cost_fen is None:
        cost = price_fen
    else:
        cost = _rounded(before * product.avg_cost_fen + qty * price_fen, before + qty)
    await Product.filter(id=product_id).update(avg_cost_fen=cost)
    return cost


async def returned(
    tenant_id: int, product_id: int, qty: int, price_fen: int, now: datetime
) -> int | None:
    """The cost after ``qty`` bought at ``price_fen`` went back (already posted)."""
    product = await _locked(product_id, now)
    left = await product_total(tenant_id, product_id)
    if left <= 0 or product.avg_cost_fen is None:
        cost = None if left <= 0 else product.avg_cost_fen
    else:
        before = left + qty
        cost = max(_rounded(before * product.avg_cost_fen - qty * price_fen, left), 0)
    await Product.filter(id=product_id).update(avg_cost_fen=cost)
    return cost
