"""``scrm-bot erp import products TENANT FILE``: products from a CSV file, added or updated by
name the way 新增商品 does (``bot.erp.catalog.save_product``).

The header names the columns in Chinese or English: 名称/商品/商品名称 (name), 单位 (unit),
条码/条形码 (barcode), 售价/零售价/销售价 (sale_price, price), 进价/采购价/成本价
(purchase_price, cost), 预警/最低库存/安全库存 (min_qty); only the name is required, and a new
product needs its sale price. UTF-8 (with or without the BOM) or GB18030. A line that cannot
be used is reported with its line number and reason; the others are still imported, each in
a savepoint of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from bot.erp.catalog import MAX_NAME, ProductAsked, count_of, fen_of, save_product
from bot.text_files import csv_records, decode_text

COLUMNS = {
    "name": "name",
    "名称": "name",
    "商品": "name",
    "商品名称": "name",
    "品名": "name",
    "unit": "unit",
    "单位": "unit",
    "barcode": "barcode",
    "条码": "barcode",
    "条形码": "barcode",
    "sale_price": "sale",
    "price": "sale",
    "售价": "sale",
    "零售价": "sale",
    "销售价": "sale",
    "purchase_price": "purchase",
    "cost": "purchase",
    "进价": "purchase",
    "采购价": "purchase",
    "成本价": "purchase",
    "min_qty": "min_qty",
    "预警": "min_qty",
    "最低库存": "min_qty",
    "安全库存": "min_qty",
}
MAX_UNIT, MAX_BARCODE = 8, 32


class ProductFileError(ValueError):
    """The file as a whole cannot be read (undecodable, no name column)."""


@dataclass(slots=True)
class ProductImport:
    added: int = 0
    updated: int = 0
    rejected: list[str] = field(default_factory=list)  # "line 3: …"


def read_products_file(path: Path) -> str:
    text = decode_text(path.read_bytes())
    if text is None:
        raise ProductFileError(f"{path}: not UTF-8 or GB18030 text")
    return text


def _asked(cells: dict[str, str]) -> ProductAsked:
    name = cells.get("name", "")
    if not name:
        raise UserFacingError("名称是空的")
    if len(name) > MAX_NAME:
        raise UserFacingError(f"名称超过 {MAX_NAME} 个字")
    unit, barcode = cells.get("unit") or None, cells.get("barcode") or None
    if unit is not None and len(unit) > MAX_UNIT:
        raise UserFacingError(f"单位「{unit}」超过 {MAX_UNIT} 个字")
    if barcode is not None and len(barcode) > MAX_BARCODE:
        raise UserFacingError(f"条码「{barcode}」超过 {MAX_BARCODE} 位")
    return ProductAsked(
        name=name,
        unit=unit,
        barcode=barcode,
        sale_fen=fen_of(cells.get("sale") or None),
        purchase_fen=fen_of(cells.get("purchase") or None),
        min_qty=count_of(cells.get("min_qty") or None),
    )


async def import_products(tenant_id: int, text: str, now: datetime) -> ProductImport:
    names, rows = csv_records(text, COLUMNS)
    if "name" not in names:
        raise ProductFileError(
            "the first row must name the columns: name (or 名称/商品), and any of unit, "
            "barcode, sale_price, purchase_price, min_qty (单位, 条码, 售价, 进价, 预警)"
        )
    report = ProductImport()
    for line, cells in rows:
        try:
            asked = _asked(cells)
            async with in_transaction():
                saved = await save_product(tenant_id, asked, now)
        except UserFacingError as refused:
            report.rejected.append(f"line {line}: {refused.message}")
            continue
        if saved.created:
            report.added += 1
        else:
            report.updated += 1
    return report
