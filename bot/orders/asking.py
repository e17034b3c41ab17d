"""Reading what a salesperson wrote after 下单 and the customer's name: the lines, a
discount, and a payment plan.

``A4纸 20箱 单价25，打9折，分两期付款，首付一半下周五前`` is one line (A4纸, 20 箱 at
¥25.00), 90 percent of the price, two periods, the first half due next Friday. The discount
and plan clauses are taken out first wherever they are; what is left must be lines
(``名称 数量[单位] [单价 金额]``), so nothing typed is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from bot.dispatch.errors import UserFacingError
from bot.limits import MAX_FEN, MAX_FEN_WORDS, MAX_QTY, MAX_QTY_WORDS
from bot.nlu.money import AMOUNT_TEXT, parse_fen
from bot.nlu.numerals import to_int
from bot.nlu.timeparse import parse_time
from bot.orders.pricing import NO_DISCOUNT, Discount

USAGE = (
    "请按这个格式写：下单 客户 商品 数量 单价，例如：下单 星辰科技 A4纸 20箱 单价25。"
    "可以再写「打9折」或「优惠200元」，「分两期付款，首付一半下周五前」。"
)
# Measure words after a quantity; the two-character ones first so 公斤 is not 公 + 斤.
UNITS = (
    "公斤|千克|kg|箱|个|件|台|套|包|瓶|盒|张|本|只|条|袋|桶|吨|米|斤|支|双|把|卷|份|块|令|部|辆|"
    "批|组|片|根|粒|罐|听"
)
_CN_DIGITS = "零一二两三四五六七八九"
_DIGIT = {str(n): n for n in range(10)} | dict(zip("零一二三四五六七八九", range(10), strict=True))
_DIGIT["两"] = 2
_SEPARATORS = r"[\s，,；;。、]"
_DISCOUNT_PERCENT = re.compile(rf"打?\s*(?P<rate>[0-9{_CN_DIGITS}](?:\.?[0-9{_CN_DIGITS}])?)\s*折")
_DISCOUNT_AMOUNT = re.compile(
    rf"(?:优惠|减免|减|让利|便宜|抹零|折扣)\s*(?P<amount>{AMOUNT_TEXT})", re.IGNORECASE
)
_PLAN = re.compile(
    r"分\s*(?P<periods>[0-9两二三四五六七八九十]+)\s*(?:期|次)(?:付款|付清|支付|回款|付)?"
)
_BEFORE = r"\s*(?:之前|以前|前)(?:付清|支付|付款|到账|付)?"
_DUE = rf"(?P<due>[^，,；;。\s]*?){_BEFORE}"
_FIRST = re.compile(
    rf"(?:首付|首期|定金|预付)(?:款)?\s*(?P<share>一半|百分之[0-9{_CN_DIGITS}十]+|\d+\s*%|"
    rf"[0-9{_CN_DIGITS}]成|{AMOUNT_TEXT})(?:[，,]?\s*{_DUE})?",
    re.IGNORECASE,
)
# A single payment's date must name a day (前 alone in a product name is not a date).
_PAY_BY = re.compile(
    rf"(?:(?:付款|回款|结款)(?:期限|日期)?\s*)?(?P<due>[^，,；;。\s]+?){_BEFORE}", re.IGNORECASE
)
_NOTE = re.compile(r"备注\s*[:：]?\s*(?P<note>.+)$")
_LINE = re.compile(
    rf"(?P<name>[^\s\d，,；;。、][^\s，,；;。、]*?)\s*(?P<qty>\d+|[{_CN_DIGITS}十百千]+)\s*"
    rf"(?P<unit>{UNITS})?(?=$|{_SEPARATORS}|单价|每|@|[×xX*]|价)\s*[×xX*]?\s*"
    rf"(?:(?:单价|每(?:{UNITS})?|@|价格|价)\s*(?P<price>{AMOUNT_TEXT})(?:\s*/\s*(?:{UNITS}))?)?",
    re.IGNORECASE,
)
T = TypeVar("T")
TOO_MUCH = f"金额「{{text}}」太大了，最多 {MAX_FEN_WORDS}，请核对一下。"
TOO_MANY = f"「{{name}}」的数量 {{qty}} 太大了，最多 {MAX_QTY_WORDS}，请核对一下。"
_FILLERS = re.compile(r"^(?:和|还有|另外|再加|加|以及|及|然后|共|一共)$")


@dataclass(frozen=True, slots=True)
class LineAsked:
    name: str
    qty: int
    unit: str
    price_fen: int | None  # None: the product's own price


@dataclass(frozen=True, slots=True)
class PlanAsked:
    periods: int = 1
    first_percent: int | None = None  # 首付一半 → 50
    first_fen: int | None = None  # 首付 5000 → 500000
    first_due: date | None = None


@dataclass(frozen=True, slots=True)
class OrderAsked:
    lines: tuple[LineAsked, ...]
    discount: Discount = NO_DISCOUNT
    plan: PlanAsked = field(default_factory=PlanAsked)
    note: str = ""


def read_order(text: str, now: datetime) -> OrderAsked:
    """``now`` in the tenant's time zone (dates like 下周五 are the tenant's)."""
    text, note = _take(_NOTE, text, lambda m: m["note"].strip())
    text, discount = _take(_DISCOUNT_PERCENT, text, lambda m: Discount(percent=_percent(m["rate"])))
    if discount is None:
        text, discount = _take(_DISCOUNT_AMOUNT, text, lambda m: Discount(fen=_amount(m["amount"])))
    text, periods = _take(_PLAN, text, lambda m: _periods(m["periods"]))
    text, plan = _take(_FIRST, text, lambda m: _first(m, periods or 2, now))
    if plan is None:
        text, due = _take(_PAY_BY, text, lambda m: _due(m["due"], now))
        plan = PlanAsked(periods=periods or 1, first_due=due)
    lines = []
    leftover = text
    for found in _LINE.finditer(text):
        lines.append(_line(found))
        leftover = leftover.replace(found.group(0), " ", 1)
    unread = [w for w in re.split(f"{_SEPARATORS}+", leftover) if w and not _FILLERS.match(w)]
    if unread:
        raise UserFacingError(f"没看懂「{' '.join(unread)}」。{USAGE}")
    if not lines:
        raise UserFacingError(USAGE)
    return OrderAsked(tuple(lines), discount or NO_DISCOUNT, plan, note or "")


def _take(
    pattern: re.Pattern[str], text: str, read: Callable[[re.Match[str]], T]
) -> tuple[str, T | None]:
    found = pattern.search(text)
    if found is None:
        return text, None
    return text[: found.start()] + " " + text[found.end() :], read(found)


def _percent(rate: str) -> int:
    """打9折 → 90, 85折 / 8.5折 / 八五折 → 85."""
    digits = [_DIGIT[d] for d in rate if d != "."]
    value = digits[0] * 10 + (digits[1] if len(digits) > 1 else 0)
    if not 0 < value < 100:
        raise UserFacingError("折扣请写 1 到 9.9 折之间，例如：打9折、打8.5折。")
    return value


def _amount(text: str) -> int:
    fen = parse_fen(text)
    if fen is None:
        raise UserFacingError(f"没看懂金额「{text}」，请写数字，例如 260、260.5、2.6万。")
    if fen > MAX_FEN:
        raise UserFacingError(TOO_MUCH.format(text=text))
    return fen


def _periods(text: str) -> int:
    value = to_int(text, digit_strings=False)
    if value is None or not 1 <= value <= 24:
        raise UserFacingError("分期请写 1 到 24 期，例如：分两期付款。")
    return value


def _first(found: re.Match[str], periods: int, now: datetime) -> PlanAsked:
    share, due = found["share"], _due(found["due"], now)
    if share == "一半":
        return PlanAsked(periods, first_percent=50, first_due=due)
    if share.endswith("成"):
        return PlanAsked(periods, first_percent=_periods(share[:-1]) * 10, first_due=due)
    if share.endswith("%") or share.startswith("百分之"):
        value = to_int(share.strip("% ").removeprefix("百分之"), digit_strings=False)
        if value is None or not 0 < value < 100:
            raise UserFacingError("首付比例请写 1% 到 99%，例如：首付30%。")
        return PlanAsked(periods, first_percent=value, first_due=due)
    return PlanAsked(periods, first_fen=_amount(share), first_due=due)


def _due(text: str | None, now: datetime) -> date | None:
    if not text:
        return None
    parsed = parse_time(text, now)
    if parsed is None:
        raise UserFacingError(f"没看懂付款日期「{text}」，例如：首付一半下周五前、12月31日前付清。")
    return parsed.start.date()


def _line(found: re.Match[str]) -> LineAsked:
    qty = to_int(found["qty"], digit_strings=False)
    if qty is None or qty <= 0:
        raise UserFacingError(f"「{found['name']}」的数量请写正整数，例如：A4纸 20箱。")
    if qty > MAX_QTY:
        raise UserFacingError(TOO_MANY.format(name=found["name"], qty=found["qty"]))
    price = _amount(found["price"]) if found["price"] else None
    return LineAsked(found["name"][:64], qty, found["unit"] or "", price)
