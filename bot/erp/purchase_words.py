"""Reading what follows 采购 and the supplier: lines, when it arrives, where it goes, a note.

``A4纸 100箱 单价18 周五到货`` is one line (A4纸, 100 箱 at ¥18.00) due on Friday. The date
and note clauses are taken out first wherever they are; what is left must be lines
(``名称 数量[单位] [单价 金额]``) or a word naming a warehouse, so nothing typed is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_FEN, MAX_QTY
from bot.nlu.money import AMOUNT_TEXT, parse_fen
from bot.nlu.numerals import to_int
from bot.nlu.timeparse import parse_time
from bot.orders.asking import UNITS

USAGE = (
    "请按这个格式写：采购 供应商 商品 数量 单价 到货日期，例如：采购 晨光 A4纸 100箱 单价18 "
    "周五到货"
)
RECEIVE_USAGE = (
    "请按这个格式写：到货 采购单号 商品 数量，例如：到货 0001 A4纸 60（不写商品就是全部到齐）"
)
_SEPARATORS = r"[\s，,；;。、]"
_NOTE = re.compile(r"备注\s*[:：]?\s*(?P<note>.+)$")
_DUE = re.compile(
    r"(?:(?:交期|交货期|到货日期|到货时间|交货日期|预计到货|要求到货)\s*[:：]?\s*(?P<named>[^\s，,；;。]+))"
    r"|(?P<when>[^\s，,；;。]+?)\s*(?:之前|以前|前)?\s*(?:到货|送到|送达|交货|交付|到)(?=$|[\s，,；;。])"
)
_LINE = re.compile(
    rf"(?P<name>[^\s\d，,；;。、][^\s，,；;。、]*?)\s*(?P<qty>\d+|[零一二两三四五六七八九十百千]+)\s*"
    rf"(?P<unit>{UNITS})?(?=$|{_SEPARATORS}|单价|进价|每|@|[×xX*]|价)\s*[×xX*]?\s*"
    rf"(?:(?:单价|进价|每(?:{UNITS})?|@|价格|价)\s*(?P<price>{AMOUNT_TEXT})(?:\s*/\s*(?:{UNITS}))?)?",
    re.IGNORECASE,
)
_ITEM = re.compile(
    rf"^(?P<name>[^\s\d][^\s]*?)\s*(?P<qty>\d+|[零一二两三四五六七八九十百千]+)\s*(?P<unit>{UNITS})?$"
)
_FILLERS = re.compile(r"^(?:和|还有|另外|再加|加|以及|及|然后|共|一共)$")


@dataclass(frozen=True, slots=True)
class PurchaseLineAsked:
    name: str
    qty: int
    unit: str
    price_fen: int | None  # None: the product's purchase price


@dataclass(frozen=True, slots=True)
class PurchaseAsked:
    lines: tuple[PurchaseLineAsked, ...]
    expected: date | None
    words: tuple[str, ...]  # left over: a warehouse to check (入门店, 门店)
    note: str = ""


def read_purchase(text: str, now: datetime) -> PurchaseAsked:
    """``now`` in the tenant's time zone (周五 is the tenant's Friday)."""
    note = ""
    found = _NOTE.search(text)
    if found:
        note, text = found["note"].strip(), text[: found.start()]
    expected = None
    due = _DUE.search(text)
    if due:
        expected = _day(due["named"] or due["when"], now)
        text = text[: due.start()] + " " + text[due.end() :]
    lines, leftover = [], text
    for line in _LINE.finditer(text):
        lines.append(_line(line))
        leftover = leftover.replace(line.group(0), " ", 1)
    words = tuple(w for w in re.split(f"{_SEPARATORS}+", leftover) if w and not _FILLERS.match(w))
    if not lines:
        raise UserFacingError(USAGE)
    return PurchaseAsked(tuple(lines), expected, words, note[:200])


def _day(text: str, now: datetime) -> date:
    parsed = parse_time(text, now)
    if parsed is None:
        raise UserFacingError(
            f"没看懂到货日期「{text}」，例如：周五到货、12月1日到货、交期下周三。"
        )
    day = parsed.start.date()
    if day < now.date():
        raise UserFacingError(f"到货日期 {day.month}月{day.day}日 已经过了，请写今天以后的日期。")
    return day


def _line(found: re.Match[str]) -> PurchaseLineAsked:
    qty = to_int(found["qty"], digit_strings=False)
    if qty is None or not 0 < qty <= MAX_QTY:
        raise UserFacingError(f"「{found['name']}」的数量请写正整数，例如：A4纸 100箱。")
    price = None
    if found["price"]:
        price = parse_fen(found["price"])
        if price is None or price > MAX_FEN:
            raise UserFacingError(f"没看懂单价「{found['price']}」，请写数字，例如 18、18.5。")
    return PurchaseLineAsked(found["name"][:64], qty, found["unit"] or "", price)


def read_received(text: str, usage: str = RECEIVE_USAGE) -> list[tuple[str, int, str]]:
    """The items of ``到货 0001 A4纸 60, 订书机 10个``: (name, qty, unit); none: all of it."""
    items = []
    for part in (p for p in re.split(r"[，,；;、]|\s+(?=[^\s\d])", text) if p.strip()):
        found = _ITEM.match(part.strip())
        qty = to_int(found["qty"], digit_strings=False) if found else None
        if found is None or qty is None or not 0 < qty <= MAX_QTY:
            raise UserFacingError(f"没看懂「{part.strip()}」。{usage}")
        items.append((found["name"], qty, found["unit"] or ""))
    return items
