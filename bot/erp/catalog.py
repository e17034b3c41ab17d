"""Products as the stock sees them: found by what people type, and written by 新增商品.

``新增商品 A4纸 单位箱 条码6901234567890 售价25 进价18 预警10``: the name first, then any of
the fields, each a word glued to its value (or with a space or a colon between). The product
table is shared with orders (``models.products``); a product an order created on the fly is
the same row 新增商品 completes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_FEN, MAX_QTY
from bot.nlu.money import AMOUNT_TEXT, parse_fen
from bot.nlu.numerals import to_int
from bot.subscription.money import format_fen
from models.products import Product

MAX_NAME = 64
USAGE = (
    "请按这个格式写：新增商品 名称 单位箱 条码6901234567890 售价25 进价18 预警10"
    "（售价必填，其余可以不写）"
)
NOT_FOUND = "没有找到商品「{name}」。先「新增商品 {name} 单位箱 售价25」建档。"
SEVERAL = "「{name}」对应多个商品：{names}。请写全名。"
NEEDS_PRICE = "新商品要写售价，例如：新增商品 {name} 单位箱 售价25"
_UNIT = r"[^\s\d，,：:]{1,8}"
_FIELDS = {
    "unit": re.compile(rf"(?:单位|计量单位)\s*[:：]?\s*(?P<value>{_UNIT})"),
    "barcode": re.compile(
        r"(?:条码|条形码|barcode)\s*[:：]?\s*(?P<value>[0-9A-Za-z-]{4,32})", re.I
    ),
    "sale": re.compile(rf"(?:售价|零售价|销售价|卖价|单价)\s*[:：]?\s*(?P<value>{AMOUNT_TEXT})"),
    "purchase": re.compile(rf"(?:进价|采购价|成本价?)\s*[:：]?\s*(?P<value>{AMOUNT_TEXT})"),
    "min_qty": re.compile(
        r"(?:预警|最低库存|安全库存|库存预警)\s*[:：]?\s*(?P<value>\d+|[零一二两三四五六七八九十百千万]+)"
    ),
}


@dataclass(frozen=True, slots=True)
class ProductAsked:
    name: str
    unit: str | None = None
    barcode: str | None = None
    sale_fen: int | None = None
    purchase_fen: int | None = None
    min_qty: int | None = None


def read_product(text: str) -> ProductAsked:
    text = text.strip()
    name, _, rest = text.partition(" ")
    if not name or len(name) > MAX_NAME:
        raise UserFacingError(USAGE)
    if any(pattern.match(name) for pattern in _FIELDS.values()):  # 新增商品 售价25: no name
        raise UserFacingError(USAGE)
    values: dict[str, str] = {}
    for key, pattern in _FIELDS.items():
        found = pattern.search(rest)
        if found:
            values[key] = found["value"]
            rest = rest[: found.start()] + " " + rest[found.end() :]
    if rest.strip(" ，,；;。"):
        raise UserFacingError(f"没看懂「{rest.strip(' ，,；;。')}」。{USAGE}")
    return ProductAsked(
        name=name,
        unit=values.get("unit"),
        barcode=values.get("barcode"),
        sale_fen=fen_of(values.get("sale")),
        purchase_fen=fen_of(values.get("purchase")),
        min_qty=count_of(values.get("min_qty")),
    )


def fen_of(text: str | None) -> int | None:
    if text is None:
        return None
    fen = parse_fen(text)
    if fen is None or not 0 <= fen <= MAX_FEN:
        raise UserFacingError(f"没看懂金额「{text}」，请写数字，例如 25、25.5。")
    return fen


def count_of(text: str | None) -> int | None:
    if text is None:
        return None
    value = to_int(text, digit_strings=False)
    if value is None or not 0 <= value <= MAX_QTY:
        raise UserFacingError(f"没看懂预警数量「{text}」，请写整数，例如：预警10。")
    return value


@dataclass(frozen=True, slots=True)
class Saved:
    product: Product
    created: bool


async def save_product(tenant_id: int, asked: ProductAsked, now: datetime) -> Saved:
    """A new product, or the fields given written onto the one of that name."""
    product = await Product.get_or_none(tenant_id=tenant_id, name=asked.name)
    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("unit", asked.unit),
            ("barcode", asked.barcode),
            ("sale_price_fen", asked.sale_fen),
            ("purchase_price_fen", asked.purchase_fen),
            ("min_qty", asked.min_qty),
        )
        if value is not None
    }
    if product is None:
        if asked.sale_fen is None:
            raise UserFacingError(NEEDS_PRICE.format(name=asked.name))
        created = await Product.create(
            tenant_id=tenant_id, name=asked.name, created_at=now, updated_at=now, **changes
        )
        return Saved(created, True)
    for key, value in changes.items():
        setattr(product, key, value)
    product.active = True
    product.updated_at = now
    await product.save()
    return Saved(product, False)


async def find_product(tenant_id: int, text: str) -> Product | None:
    """By exact name, then barcode, then the one active product whose name contains it."""
    name = text.strip()
    if not name:
        return None
    exact = await Product.get_or_none(tenant_id=tenant_id, name=name, active=True)
    if exact is not None:
        return exact
    coded = await Product.filter(tenant_id=tenant_id, barcode=name, active=True).first()
    if coded is not None:
        return coded
    like = await Product.filter(tenant_id=tenant_id, name__contains=name, active=True).limit(6)
    if len(like) > 1:
        raise UserFacingError(SEVERAL.format(name=name, names="、".join(p.name for p in like)))
    return like[0] if like else None


async def product_or_refusal(tenant_id: int, text: str) -> Product:
    found = await find_product(tenant_id, text)
    if found is None:
        raise UserFacingError(NOT_FOUND.format(name=text.strip()))
    return found


def product_fields(product: Product, in_stock: bool = True) -> list[str]:
    """The product's own facts, one per line (its stock is added by the caller). The moving
    average cost is shown only while there is stock: with none, or below zero, it is not
    defined (the next receipt starts it at its own price)."""
    lines = [f"单位：{product.unit or '未设'}"]
    if product.barcode:
        lines.append(f"条码：{product.barcode}")
    price = f"售价 {format_fen(product.sale_price_fen)}"
    if product.purchase_price_fen is not None:
        price += f" · 进价 {format_fen(product.purchase_price_fen)}"
    lines.append(price)
    if product.avg_cost_fen is not None and in_stock:
        lines.append(f"移动平均成本：{format_fen(product.avg_cost_fen)}")
    if product.allow_negative:
        lines.append("允许负库存：库存不够也能出库")
    if product.min_qty is not None:
        lines.append(f"预警：在库不高于 {product.min_qty}{product.unit} 时提醒")
    return lines
