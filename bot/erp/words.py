"""Reading the stock commands: ``A4纸 50箱 门店 备注``, ``A4纸 10箱 总仓到门店``.

The product comes first and its quantity right after it (glued or not: ``A4纸50箱``); what
follows names a warehouse, a colleague or a note, which the handler sorts out against the
tenant's warehouses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_QTY
from bot.nlu.numerals import to_int
from bot.orders.asking import UNITS
from models.products import Product

QTY_TEXT = rf"(?P<qty>\d+|[零一二两三四五六七八九十百千万]+)\s*(?P<unit>{UNITS})?"
_ITEM = re.compile(rf"^(?P<name>\S+?)\s*{QTY_TEXT}(?=[\s，,。]|$)(?P<rest>.*)$", re.IGNORECASE)
_ROUTE = re.compile(
    r"^(?:从)?\s*(?P<source>[^\s→>]+?)?\s*(?:→|->|=>|>|调到|调往|调至|调给|调去|转到|到|至|去|\s)"
    r"\s*(?P<target>[^\s→>]+)$"
)
WRONG_UNIT = "「{name}」按{unit}计，请写成{unit}，例如：{name} 3{unit}"


# What may follow 库存 / 商品 / 流水 / 供应商: a name and a word or two (A4纸 本月), not the rest
# of a sentence about them ("库存的事我问问老王", "供应商说明天送货"; 得力 is a name, 得了 is
# not). A name never has a person in it ("库存表我放共享盘了" is about a file).
NAME_ARGS = re.compile(
    r"^(?![的地不没还太也都很就要会在是了呢吗啊吧呀说让把被跟和与或这那])(?!得[了到很太不过])(?!核对|对一下|对账|对对|数据核对)(?!有(?:哪|几|什么))(?!列表|名单)"
    r"(?!.*(?:我|你|咱|他们|她们))"
    r"[^\s，,。；;！!？?]{1,32}(?:\s+[^\s，,。；;！!？?]{1,12}){0,2}[?？。!！]*$"
)
# What follows 入库 / 出库 / 领用 / 调拨: a product and its quantity first.
ITEM_ARGS = re.compile(r"^[^\s，,。]+?\s*(?:\d|[零一二两三四五六七八九十百千万])")


@dataclass(frozen=True, slots=True)
class ItemAsked:
    name: str
    qty: int
    unit: str
    rest: str  # what followed the quantity, trimmed


def read_item(text: str, usage: str) -> ItemAsked:
    found = _ITEM.match(text.strip())
    if found is None:
        raise UserFacingError(usage)
    qty = to_int(found["qty"], digit_strings=False)
    if qty is None or not 0 < qty <= MAX_QTY:
        raise UserFacingError(f"「{found['name']}」的数量请写正整数。{usage}")
    rest = found["rest"].strip(" ，,。；;")
    return ItemAsked(found["name"], qty, found["unit"] or "", rest)


def check_unit(product: Product, unit: str) -> None:
    """A quantity said in another unit than the product's is refused, not converted."""
    if unit and product.unit and unit != product.unit:
        raise UserFacingError(WRONG_UNIT.format(name=product.name, unit=product.unit))


def read_route(text: str) -> tuple[str, str] | None:
    """(source, target) of ``总仓到门店`` / ``从总仓到门店`` / ``总仓→门店`` / ``到门店``;
    the source is "" when only the target is said."""
    found = _ROUTE.match(text.strip())
    if found is None:
        return None
    return (found["source"] or "").strip(), found["target"].strip()


def words_of(text: str) -> list[str]:
    return [w for w in re.split(r"[\s，,。；;]+", text) if w]
