"""Reading a booking as people type it: ``周四下午2点 打印机2台 地址朝阳区xx路 联系人 张工
13800001111``. The time is the first time expression; the address follows 地址, the contact
follows 联系人/电话 (or is a mobile number); what is left are the items to install."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.dispatch.errors import UserFacingError
from bot.nlu.timeparse import parse_time

USAGE = (
    "请按这个格式写：约安装 客户 时间 安装内容 地址…，"
    "例如：约安装 星辰科技 周四下午2点 打印机2台 地址朝阳区xx路"
)
NO_TIME = "请写上安装时间，例如：周四下午2点、明天上午、12月3日 9点到11点。"
PAST = "{when}已经过去了，请写一个以后的时间。"
_SEP = r"[\s，,。；;]"
_ADDRESS = re.compile(r"(?:安装)?地址\s*[:：]?\s*(?P<value>[^\s，,。；;]+)")
_CONTACT = re.compile(
    r"(?:联系人|联系电话|电话|联系)\s*[:：]?\s*(?P<value>[^\s，,。；;]+(?:\s*1\d{10})?)"
)
_MOBILE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
_FILLER = re.compile(rf"^(?:{_SEP}|安装|上门|的|在)+|(?:{_SEP}|安装|上门)+$")
_DAY_GRAINS = ("day", "week", "month", "year")
MAX_WINDOW = timedelta(hours=12)
TOO_LONG = "一次安装最长 12 小时，请写一个更短的时间段，例如：周四9点到17点。"
MORNING_HOUR = 9  # a day alone (周四) means from the start of the working day


@dataclass(frozen=True, slots=True)
class Booking:
    start: datetime
    end: datetime
    items: str
    address: str
    contact: str


def read_window(text: str, now: datetime, length: timedelta) -> tuple[datetime, datetime, str]:
    """(start, end, the text without the time); a time alone lasts ``length``."""
    parsed = parse_time(text, now)
    if parsed is None:
        raise UserFacingError(NO_TIME)
    start = parsed.start
    if parsed.grain in _DAY_GRAINS:
        start = start.replace(hour=MORNING_HOUR, minute=0)
    end = parsed.end if parsed.end is not None and parsed.end > start else start + length
    if end - start > MAX_WINDOW:
        raise UserFacingError(TOO_LONG)
    if start < now:
        raise UserFacingError(PAST.format(when=f"{start:%m月%d日%H:%M}"))
    rest = text[: parsed.span[0]] + " " + text[parsed.span[1] :]
    return start, end, rest


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    found = pattern.search(text)
    if found is None:
        return "", text
    return found["value"].strip(), text[: found.start()] + " " + text[found.end() :]


def read_booking(text: str, now: datetime, length: timedelta) -> Booking:
    """Everything but the customer: the address first, so its house numbers are not a time."""
    address, rest = _take(_ADDRESS, text)
    contact, rest = _take(_CONTACT, rest)
    if not contact:
        mobile = _MOBILE.search(rest)
        if mobile is not None:
            contact, rest = mobile.group(0), rest.replace(mobile.group(0), " ")
    start, end, rest = read_window(rest, now, length)
    items = _FILLER.sub("", " ".join(rest.split()))
    return Booking(start, end, items[:500], address[:200], contact[:100])
