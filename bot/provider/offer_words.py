"""What an operator's offer says: the change offered, the discount and how long it holds.

``升级售后服务版 8折 有效期至月底``, ``打个八五折升级到售后服务版，本周内有效``,
``加10个席位优惠500元 7天内有效``. A discount is a rate (8折 pays 80% of the price, 85折 and
八五折 85%, 9.5折 95%) or an amount off (优惠500元, 减500). The last valid day is a day of the
tenant's own calendar: 月底, 本周末, 下周五, 2026-12-20, 12月20日, 本周内, N天内 (today and the
N − 1 days after it); without one the offer holds for 7 days.

Money is integer fen; a rate rounds the offered price half up to the fen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from bot.nlu.numerals import to_int
from bot.nlu.timecalendar import last_day
from bot.nlu.timeparse import parse_time
from bot.subscription.money import format_fen

USAGE = (
    "请这样写：给星辰科技优惠 升级售后服务版 8折 有效期至月底"
    "（也可以：加10个席位优惠500元 7天内有效、开通工单 9折 有效期至12月20日）"
)
NO_DISCOUNT = "请写上折扣或优惠金额，例如：8折、85折、优惠500元。"
BAD_RATE = "「{said}」不是有效的折扣：请写 1折 到 9.9折 之间，例如 8折、85折、九五折。"
BAD_AMOUNT = "优惠金额要大于 0，例如：优惠500元。"
NO_DATE = "请写上有效期，例如：有效期至月底、本周内有效、7天内有效、有效期至12月20日。"
PAST = "有效期 {day} 已经过去了（{tenant}今天是 {today}），请写今天或以后的日期。"
NO_CHANGE = "要优惠的是什么？例如：升级售后服务版、加10个席位、开通工单。"
TOO_MUCH = "优惠金额 {off} 不低于原价 {price}，请写小于原价的金额或改用折扣。"

DEFAULT_DAYS = timedelta(days=6)  # today and six more: a week
_CN_DIGITS = "零一二三四五六七八九"
_RATE = re.compile(rf"(?P<n>\d+(?:\.\d+)?|[{_CN_DIGITS}十]{{1,2}})\s*折")
_AMOUNT = re.compile(
    r"(?:优惠|减|便宜|少收|立减|让利)\s*(?P<yuan>\d+(?:\.\d{1,2})?)\s*(?:元|块钱|块)?(?!\s*个)"
)
_DAYS_WITHIN = re.compile(r"(?P<n>\d+|[一二两三四五六七八九十]+)\s*天(?:之内|内)")
_EDITION = re.compile(r"升(?:级)?(?:到|为|成)?\s*(?P<x>[^\s，,。；;、]+?版)")
_SEATS = re.compile(
    r"(?:加|增加|多加|添|买|新增)\s*(?P<n>\d+|[一二两三四五六七八九十百]+)\s*个?\s*(?:席位|席|账号|人)"
)
_MODULE = re.compile(r"(?:开通|启用)\s*(?P<x>[^\s，,。；;、]+)")
_MODULE_TAIL = re.compile(r"(?:的?(?:优惠|话))$")


@dataclass(frozen=True, slots=True)
class Discount:
    """A rate (percent of the price paid) or an amount off, in fen; exactly one is set."""

    rate: int | None = None
    off_fen: int | None = None

    def label(self) -> str:
        """8折 / 85折 / 优惠 ¥500.00"""
        if self.rate is not None:
            tens, units = divmod(self.rate, 10)
            return f"{tens}折" if not units else f"{self.rate}折"
        assert self.off_fen is not None
        return f"优惠 {format_fen(self.off_fen)}"

    def offered_fen(self, list_fen: int) -> int:
        """The price after the discount: a rate rounds half up to the fen."""
        if self.rate is not None:
            return (list_fen * self.rate + 50) // 100
        assert self.off_fen is not None
        return list_fen - self.off_fen


class OfferWordsError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class OfferWords:
    action: str  # 升级, 加席位 or 开通 (bot.subscription.quote_words)
    item: str  # what that purchase takes: an edition, a seat count, a module
    discount: Discount
    valid_until: date


def read_offer(text: str, now_there: datetime, tenant_name: str) -> OfferWords:
    """The offer in ``text``; ``now_there`` is now in the tenant's timezone."""
    rest = text.replace("\u3000", " ")
    discount, rest = _discount(rest)
    valid_until, rest = _valid_until(rest, now_there)
    today = now_there.date()
    if valid_until < today:
        raise OfferWordsError(
            PAST.format(day=valid_until.isoformat(), tenant=tenant_name, today=today.isoformat())
        )
    action, item = _change(rest)
    return OfferWords(action, item, discount, valid_until)


def _discount(text: str) -> tuple[Discount, str]:
    rate = _RATE.search(text)
    if rate is not None:
        return Discount(rate=_rate(rate.group("n"), rate.group(0))), _cut(text, rate)
    amount = _AMOUNT.search(text)
    if amount is not None:
        fen = int(Decimal(amount.group("yuan")) * 100)
        if fen <= 0:
            raise OfferWordsError(BAD_AMOUNT)
        return Discount(off_fen=fen), _cut(text, amount)
    raise OfferWordsError(NO_DISCOUNT)


def _rate(said: str, whole: str) -> int:
    """8 → 80, 85 → 85, 8.5 → 85, 八五 → 85, 九 → 90; anything not between 1折 and 9.9折
    (0折, 10折, 20折, 8.55折) is refused."""
    if said[0] in _CN_DIGITS or said[0] == "十":
        if "十" in said or "零" in said[:1]:
            raise OfferWordsError(BAD_RATE.format(said=whole))
        said = "".join(str(_CN_DIGITS.index(c)) for c in said)
    if "." in said:
        whole_part, _, tenth = said.partition(".")
        if len(whole_part) != 1 or len(tenth) != 1:
            raise OfferWordsError(BAD_RATE.format(said=whole))
        said = whole_part + tenth
    if len(said) == 1:
        rate = int(said) * 10
    elif len(said) == 2 and said[1] != "0":
        rate = int(said)
    else:
        raise OfferWordsError(BAD_RATE.format(said=whole))
    if not 10 <= rate < 100:
        raise OfferWordsError(BAD_RATE.format(said=whole))
    return rate


def _valid_until(text: str, now_there: datetime) -> tuple[date, str]:
    today = now_there.date()
    within = _DAYS_WITHIN.search(text)
    if within is not None:
        days = to_int(within.group("n"))
        if not days:
            raise OfferWordsError(NO_DATE)
        return today + timedelta(days=days - 1), _cut(text, within)
    found = parse_time(text, now_there)
    if found is None:
        return today + DEFAULT_DAYS, text
    if found.end is not None:
        day = found.end.date()  # 本周末: through Sunday
    elif found.grain == "week":
        day = found.start.date() + timedelta(days=6 - found.start.weekday())
    elif found.grain == "month":
        first = found.start.date()
        day = first.replace(day=last_day(first.year, first.month))
    elif found.grain == "year":
        day = date(found.start.year, 12, 31)
    else:
        day = found.start.date()
    start, end = found.span
    return day, text[:start] + " " + text[end:]


def _change(text: str) -> tuple[str, str]:
    edition = _EDITION.search(text)
    if edition is not None:
        return "升级", edition.group("x")
    seats = _SEATS.search(text)
    if seats is not None:
        return "加席位", seats.group("n")
    module = _MODULE.search(text)
    if module is not None:
        name = _MODULE_TAIL.sub("", module.group("x"))
        if name:
            return "开通", name
    raise OfferWordsError(NO_CHANGE)


def _cut(text: str, found: re.Match[str]) -> str:
    return text[: found.start()] + " " + text[found.end() :]
