"""Reading 发货 lines: ``A4纸 10箱 从门店 顺丰 SF123456`` → items, where from, carrier,
tracking number."""

from __future__ import annotations

import re

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_QTY
from bot.nlu.numerals import to_int
from bot.orders.asking import TOO_MANY, UNITS
from bot.orders.moves import ShipAsked

USAGE = (
    "请按这个格式写：发货 0001 商品 数量 快递 单号，例如：发货 0001 A4纸 10箱 顺丰 SF123456"
    "（不写商品就是剩下的全部发出；从别的仓库发：发货 0001 A4纸 10箱 从门店）"
)
TWO_SOURCES = "一次发货只能从一个仓库发，这句写了「{first}」和「{second}」。{usage}"
CARRIERS = (
    "顺丰|圆通|中通|申通|韵达|京东|EMS|邮政|德邦|极兔|百世|跨越|安能|天天|宅急送|自提|送货上门|自送"
)
_QTY = r"\d+|[零一二两三四五六七八九十百千]+"
_CARRIER = re.compile(rf"(?P<carrier>(?:{CARRIERS})(?:快递|速运|物流|速递)?)", re.IGNORECASE)
_TRACKING = re.compile(r"(?:单号|运单号?)?\s*(?P<no>[A-Za-z]{0,4}\d[A-Za-z0-9-]{5,39})(?=\s|$)")
_ITEM = re.compile(rf"(?P<name>[^\s\d][^\s]*?)\s*(?P<qty>{_QTY})\s*(?:{UNITS})?(?=\s|$)")
# ``10箱A4纸``: the count first, as people say it after a verb (``从门店发10箱A4纸``). Read
# only from what the name-first form left, so ``一本书 3个`` stays a product called 一本书.
_ITEM_COUNT_FIRST = re.compile(
    rf"(?<!\S)(?P<qty>{_QTY})\s*(?:{UNITS})(?P<name>[^\s\d][^\s]*)(?=\s|$)"
)
_UNIT_ENDS = "".join(sorted({re.escape(unit[-1]) for unit in UNITS.split("|")}))
# A word followed by a bare count is a product (头发 3个), never a warehouse.
_NOT_AN_ITEM = rf"(?=\s|$)(?!\s*(?:{_QTY})\s*(?:{UNITS})?(?=\s|$))"
# ``从门店`` / ``从门店仓发``, standing alone or right after a count (``10箱从门店``).
_FROM = re.compile(
    rf"(?<![^\s{_UNIT_ENDS}])(?:从|由)(?P<source>[^\s\d][^\s]*?)(?:发货|发出|发|出库|出货)?"
    rf"{_NOT_AN_ITEM}"
)
# Right after the carrier a shorter number is still the tracking number (顺丰 SF123), unless a
# count follows it (顺丰 A100 3台 ships 3 of a product called A100).
_TRACKING_AFTER_CARRIER = re.compile(
    rf"\s*(?:单号|运单号?)?\s*(?P<no>[A-Za-z]{{0,4}}\d[A-Za-z0-9-]{{2,39}}){_NOT_AN_ITEM}"
)
# ``门店发`` / ``门店仓发货`` as a word of its own.
_SENT_FROM = re.compile(rf"(?<!\S)(?P<source>[^\s\d][^\s]*?)(?:发货|发出|发|出库){_NOT_AN_ITEM}")


def read_shipment(text: str) -> ShipAsked:
    carrier = ""
    found = _CARRIER.search(text)
    if found:
        carrier = found["carrier"]
        text = _cut(text, found)
    tracking = ""
    numbered = (
        _TRACKING_AFTER_CARRIER.match(text, found.start()) if found else None
    ) or _TRACKING.search(text)
    if numbered:
        tracking = numbered["no"]
        text = _cut(text, numbered)
    source, text = _read_source(text)
    items, rest = _read_items(text)
    if rest.strip(" ，,；;。"):
        raise UserFacingError(f"没看懂「{rest.strip()}」。{USAGE}")
    return ShipAsked(tuple(items), carrier, tracking, source)


def _cut(text: str, found: re.Match[str]) -> str:
    return text[: found.start()] + " " + text[found.end() :]


def _read_source(text: str) -> tuple[str, str]:
    """(the warehouse named, the text without it); "" when none is named."""
    said = []
    for form in (_FROM, _SENT_FROM):
        for found in reversed(list(form.finditer(text))):
            said.append(found["source"])
            text = _cut(text, found)
    names = list(dict.fromkeys(said))
    if len(names) > 1:
        raise UserFacingError(TWO_SOURCES.format(first=names[0], second=names[1], usage=USAGE))
    return (names[0] if names else ""), text


def _read_items(text: str) -> tuple[list[tuple[str, int]], str]:
    """(product name, qty) pairs in the order written, and what was left unread."""
    items: list[tuple[str, int]] = []
    rest = text
    for item in _ITEM.finditer(text):
        items.append((item["name"], _qty(item["name"], item["qty"])))
        rest = rest.replace(item.group(0), " ", 1)
    for item in _ITEM_COUNT_FIRST.finditer(rest):
        items.append((item["name"], _qty(item["name"], item["qty"])))
        rest = rest.replace(item.group(0), " ", 1)
    return items, rest


def _qty(name: str, said: str) -> int:
    qty = to_int(said, digit_strings=False)
    if qty is None or qty <= 0:
        raise UserFacingError(USAGE)
    if qty > MAX_QTY:
        raise UserFacingError(TOO_MANY.format(name=name, qty=said))
    return qty
