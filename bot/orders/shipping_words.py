"""Reading 发货 lines: ``A4纸 10箱 顺丰 SF123456`` → items, carrier, tracking number."""

from __future__ import annotations

import re

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_QTY
from bot.nlu.numerals import to_int
from bot.orders.asking import TOO_MANY, UNITS
from bot.orders.moves import ShipAsked

USAGE = (
    "请按这个格式写：发货 0001 商品 数量 快递 单号，例如：发货 0001 A4纸 10箱 顺丰 SF123456"
    "（不写商品就是剩下的全部发出）"
)
CARRIERS = (
    "顺丰|圆通|中通|申通|韵达|京东|EMS|邮政|德邦|极兔|百世|跨越|安能|天天|宅急送|自提|送货上门|自送"
)
_CARRIER = re.compile(rf"(?P<carrier>(?:{CARRIERS})(?:快递|速运|物流|速递)?)", re.IGNORECASE)
_TRACKING = re.compile(r"(?:单号|运单号?)?\s*(?P<no>[A-Za-z]{0,4}\d[A-Za-z0-9-]{5,39})(?=\s|$)")
_ITEM = re.compile(
    rf"(?P<name>[^\s\d][^\s]*?)\s*(?P<qty>\d+|[零一二两三四五六七八九十百千]+)\s*(?:{UNITS})?(?=\s|$)"
)


def read_shipment(text: str) -> ShipAsked:
    carrier = ""
    found = _CARRIER.search(text)
    if found:
        carrier = found["carrier"]
        text = text[: found.start()] + " " + text[found.end() :]
    tracking = ""
    numbered = _TRACKING.search(text)
    if numbered:
        tracking = numbered["no"]
        text = text[: numbered.start()] + " " + text[numbered.end() :]
    items = []
    rest = text
    for item in _ITEM.finditer(text):
        qty = to_int(item["qty"], digit_strings=False)
        if qty is None or qty <= 0:
            raise UserFacingError(USAGE)
        if qty > MAX_QTY:
            raise UserFacingError(TOO_MANY.format(name=item["name"], qty=item["qty"]))
        items.append((item["name"], qty))
        rest = rest.replace(item.group(0), " ", 1)
    if rest.strip(" ，,；;。"):
        raise UserFacingError(f"没看懂「{rest.strip()}」。{USAGE}")
    return ShipAsked(tuple(items), carrier, tracking)
