"""How bookings and job commands are read as people type them: the time window, the address,
the contact and the items of a booking, and the canonical command of each natural phrasing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dispatch.errors import UserFacingError
from bot.dispatch.phrasing import compile_phrasings
from bot.installation import phrasings
from bot.installation.asking import Booking, read_booking
from bot.installation.numbers import NUMBERS

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=SH)
TWO_HOURS = timedelta(hours=2)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("text", "booking"),
    [
        (
            "周四下午2点 打印机2台 地址朝阳区xx路",
            Booking(at(26, 14), at(26, 16), "打印机2台", "朝阳区xx路", ""),
        ),
        (
            "周五上午 空调3台 地址 浦东张江路100号 联系人 张工 13800001111",
            Booking(at(27, 9), at(27, 11), "空调3台", "浦东张江路100号", "张工 13800001111"),
        ),
        (
            "明天9点到11点半 打印机1台 13900001111",
            Booking(at(24, 9), at(24, 11, 30), "打印机1台", "", "13900001111"),
        ),
        (
            "周四 门禁2套，地址：朝阳区xx路",
            Booking(at(26, 9), at(26, 11), "门禁2套", "朝阳区xx路", ""),
        ),
    ],
)
def test_a_booking_as_typed(text: str, booking: Booking) -> None:
    assert read_booking(text, MONDAY, TWO_HOURS) == booking


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("打印机2台 地址朝阳区xx路", "请写上安装时间"),
        ("上周四下午2点 打印机2台", "11月19日14:00已经过去了"),
    ],
)
def test_a_booking_without_a_usable_time_is_refused(text: str, reply: str) -> None:
    with pytest.raises(UserFacingError) as refused:
        read_booking(text, MONDAY, TWO_HOURS)
    assert refused.value.args[0].startswith(reply)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("AZ0001", (None, 1)),
        ("az1", (None, 1)),
        ("安装单 0001", (None, 1)),
        ("AZ-20261126-0001", (datetime(2026, 11, 26).date(), 1)),
        ("AZ202611260001", (datetime(2026, 11, 26).date(), 1)),
        ("AZ0000", None),
        ("DD-20261126-0001", None),
    ],
)
def test_job_numbers_as_people_say_them(text: str, found: object) -> None:
    assert NUMBERS.parse(text) == found


def _rewrite(pairs: tuple[tuple[str, str], ...], word: str, text: str) -> str | None:
    for phrasing in compile_phrasings(pairs, (word,)):
        canonical = phrasing.rewrite(text)
        if canonical is not None:
            return canonical
    return None


@pytest.mark.parametrize(
    ("pairs", "word", "text", "canonical"),
    [
        (
            phrasings.BOOK,
            "约安装",
            "帮星辰科技预约安装，明天上午，空调3台，地址浦东张江路100号",
            "约安装 星辰科技 明天上午，空调3台，地址浦东张江路100号",
        ),
        (
            phrasings.FROM_ORDER,
            "订单安装",
            "订单0001安排安装 周四下午2点",
            "订单安装 0001 周四下午2点",
        ),
        (phrasings.DISPATCH, "安排", "让王师傅去装AZ0001", "安排 AZ0001 给 王师傅"),
        (phrasings.DISPATCH, "安排", "AZ0001由王师傅安装", "安排 AZ0001 给 王师傅"),
        (phrasings.MOVE, "改约", "把AZ0001改到周五上午", "改约 AZ0001 周五上午"),
        (phrasings.COMPLETE, "完工", "AZ0001装好了 调试正常", "完工 AZ0001 调试正常"),
        (phrasings.CANCEL, "取消安装", "把AZ0001取消了", "取消安装 AZ0001"),
        (phrasings.SHOW, "安装单", "AZ0001进度", "安装单 AZ0001"),
        (phrasings.PLAN, "排期", "看看明天的安装排期", "排期 明天"),
    ],
)
def test_natural_phrasings_become_their_command(
    pairs: tuple[tuple[str, str], ...], word: str, text: str, canonical: str
) -> None:
    assert _rewrite(pairs, word, text) == canonical
