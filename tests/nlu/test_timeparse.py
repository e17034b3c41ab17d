"""parse_time against a table written from the rules in issue 5, plus a few properties.

Unless a row says otherwise, "now" is Wednesday 2026-03-11 10:30:00 in Shanghai: this week runs
from Monday 03-09 to Sunday 03-15, the 5th of the month is past and the 20th is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.timeparse import Grain, ParsedTime, parse_time

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")


def sh(
    month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, *, year: int = 2026
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SH)


WED = sh(3, 11, 10, 30)
WED_AFTERNOON = sh(3, 11, 16)
WED_LATE = sh(3, 11, 22, 15)
SUN = sh(3, 15, 20)
APRIL = sh(4, 10, 10)
JAN_31 = sh(1, 31, 9)
LEAP_JAN_31 = sh(1, 31, 9, year=2024)


@dataclass(frozen=True)
class Case:
    text: str
    expr: str  # the part of ``text`` the span must cover (its first occurrence)
    start: datetime
    grain: Grain
    end: datetime | None = None
    now: datetime = WED


def c(
    text: str,
    start: datetime,
    grain: Grain,
    *,
    expr: str | None = None,
    end: datetime | None = None,
    now: datetime = WED,
) -> Case:
    return Case(text, text if expr is None else expr, start, grain, end, now)


RELATIVE_DAYS = [
    c("现在", WED, "second"),
    c("今天", sh(3, 11), "day"),
    c("明天", sh(3, 12), "day"),
    c("后天", sh(3, 13), "day"),
    c("大后天", sh(3, 14), "day"),
    c("大大后天", sh(3, 15), "day"),
    c("昨天", sh(3, 10), "day"),
    c("前天", sh(3, 9), "day"),
    c("大前天", sh(3, 8), "day"),
    c("今早", sh(3, 11, 8), "hour"),
    c("今晚", sh(3, 11, 20), "hour"),
    c("当晚", sh(3, 11, 20), "hour"),
    c("昨晚", sh(3, 10, 20), "hour"),
    c("今晚8点", sh(3, 11, 20), "hour"),
    c("昨晚九点半", sh(3, 10, 21, 30), "minute"),
    c("今早7点", sh(3, 11, 7), "hour"),  # past, but attached to 今早: never rolled
    c("今天下午3点", sh(3, 11, 15), "hour", now=WED_AFTERNOON),
]

WEEKS = [
    c("周一", sh(3, 16), "day"),  # Monday is past this week
    c("周三", sh(3, 11), "day"),  # today is not past
    c("星期五", sh(3, 13), "day"),
    c("礼拜天", sh(3, 15), "day"),
    c("周日", sh(3, 15), "day"),
    c("礼拜六", sh(3, 14), "day"),
    c("星期1", sh(3, 16), "day"),
    c("这周一", sh(3, 9), "day"),  # 这周X is an explicit anchor
    c("这个星期五", sh(3, 13), "day"),
    c("本周二", sh(3, 10), "day"),
    c("下周三", sh(3, 18), "day"),
    c("下个星期一", sh(3, 16), "day"),
    c("下下周五", sh(3, 27), "day"),
    c("上周三", sh(3, 4), "day"),
    c("上个礼拜二", sh(3, 3), "day"),
    c("下周", sh(3, 16), "week"),
    c("这周", sh(3, 9), "week"),
    c("上周", sh(3, 2), "week"),
    c("周末", sh(3, 14), "day", end=sh(3, 15)),
    c("下周末", sh(3, 21), "day", end=sh(3, 22)),
    c("周末", sh(3, 21), "day", end=sh(3, 22), now=SUN),  # that Saturday is past
    c("周三", sh(3, 18), "day", now=SUN),
    c("周日", sh(3, 15), "day", now=SUN),
    c("周三下午3点", sh(3, 11, 15), "hour", now=WED_AFTERNOON),  # the day decides, not the hour
]

MONTHS_AND_DATES = [
    c("本月", sh(3, 1), "month"),
    c("下个月", sh(4, 1), "month"),
    c("下月", sh(4, 1), "month"),
    c("上个月", sh(2, 1), "month"),
    c("上一个月", sh(2, 1), "month"),
    c("5号", sh(4, 5), "day"),  # the 5th is past: next month's
    c("11号", sh(3, 11), "day"),
    c("20日", sh(3, 20), "day"),
    c("十五号", sh(3, 15), "day"),
    c("31号", sh(3, 31), "day"),
    c("31号", sh(5, 31), "day", now=APRIL),  # April has no 31st
    c("下月3号", sh(4, 3), "day"),
    c("上个月15号", sh(2, 15), "day"),
    c("本月1日", sh(3, 1), "day"),  # explicit anchor, past
    c("3月", sh(3, 1), "month"),  # this month is not past
    c("2月", sh(2, 1, year=2027), "month"),
    c("5月份", sh(5, 1), "month"),
    c("3月5号", sh(3, 5, year=2027), "day"),
    c("3月11日", sh(3, 11), "day"),
    c("十二月一日", sh(12, 1), "day"),
    c("三月十五号", sh(3, 15), "day"),
    c("2月29日", sh(2, 29, year=2028), "day"),  # the next one that exists
    c("明年5月", sh(5, 1, year=2027), "month"),
    c("今年", sh(1, 1), "year"),
    c("明年", sh(1, 1, year=2027), "year"),
    c("去年", sh(1, 1, year=2025), "year"),
    c("2026年12月1日", sh(12, 1), "day"),
    c("26年3月2日", sh(3, 2), "day"),  # has a year: stays in the past
    c("二零二六年三月", sh(3, 1), "month"),
    c("二〇二六年十二月一日", sh(12, 1), "day"),
    c("2026-12-01", sh(12, 1), "day"),
    c("2026/12/01", sh(12, 1), "day"),
    c("零七年", sh(1, 1, year=2007), "year"),
    c("十月第一个星期一", sh(10, 5), "day"),
    c("下个月第二个周五", sh(4, 10), "day"),
    c("本月最后一个星期五", sh(3, 27), "day"),
    c("月底", sh(3, 31), "day"),
    c("月初", sh(4, 1), "day"),  # this month's first is past
    c("年底", sh(12, 31), "day"),
    c("下个月底", sh(4, 30), "day"),
    c("明年底", sh(12, 31, year=2027), "day"),
    c("3月底", sh(3, 31), "day"),
    c("明年3月1日下午3点", sh(3, 1, 15, year=2027), "hour"),
]

CLOCKS = [
    c("下午3点", sh(3, 11, 15), "hour"),
    c("上午10点", sh(3, 12, 10), "hour"),  # 10:00 has passed at 10:30: tomorrow
    c("上午11点", sh(3, 11, 11), "hour"),
    c("中午12点", sh(3, 11, 12), "hour"),
    c("中午1点", sh(3, 11, 13), "hour"),
    c("晚上8点", sh(3, 11, 20), "hour"),
    c("晚上12点", sh(3, 12, 0), "hour"),
    c("夜里12点", sh(3, 12, 0), "hour"),
    c("夜里11点", sh(3, 11, 23), "hour"),
    c("凌晨2点", sh(3, 12, 2), "hour"),
    c("早上7点", sh(3, 12, 7), "hour"),
    c("3点", sh(3, 11, 15), "hour"),  # 1-6 without 上午/下午: afternoon
    c("8点", sh(3, 12, 8), "hour"),  # 7-11: morning, and 08:00 is past
    c("11点", sh(3, 11, 11), "hour"),
    c("12点", sh(3, 11, 12), "hour"),
    c("3时", sh(3, 11, 15), "hour"),
    c("3点半", sh(3, 11, 15, 30), "minute"),
    c("3点一刻", sh(3, 11, 15, 15), "minute"),
    c("3点三刻", sh(3, 11, 15, 45), "minute"),
    c("3点15分", sh(3, 11, 15, 15), "minute"),
    c("3点零5", sh(3, 11, 15, 5), "minute"),
    c("三点零五", sh(3, 11, 15, 5), "minute"),
    c("3点20", sh(3, 11, 15, 20), "minute"),
    c("3点多", sh(3, 11, 15), "hour"),
    c("3点整", sh(3, 11, 15), "minute"),
    c("10:45", sh(3, 11, 10, 45), "minute"),
    c("10：45", sh(3, 11, 10, 45), "minute"),
    c("15:30:20", sh(3, 11, 15, 30, 20), "second"),
    c("3时15分20秒", sh(3, 11, 15, 15, 20), "second"),
    c("下午两点半", sh(3, 11, 14, 30), "minute"),
    c("二十三点", sh(3, 11, 23), "hour"),
    c("十五点", sh(3, 11, 15), "hour"),
    c("零点", sh(3, 12, 0), "hour"),
    c("下午", sh(3, 11, 14), "hour"),
    c("下午", sh(3, 12, 14), "hour", now=WED_LATE),  # the afternoon is over
    c("早8点", sh(3, 12, 8), "hour"),
    c("晚8点", sh(3, 11, 20), "hour"),
    c("下午3点", sh(3, 12, 15), "hour", now=WED_AFTERNOON),  # bare time, past: tomorrow
    c("3点", sh(3, 11, 15), "hour", now=sh(3, 11, 15, 0, 30)),  # within the minute
    c("明天一点", sh(3, 12, 13), "hour"),
    c("下午一点", sh(3, 11, 13), "hour"),
]

OFFSETS = [
    c("30秒后", sh(3, 11, 10, 30, 30), "second"),
    c("5分钟后", sh(3, 11, 10, 35), "minute"),
    c("半小时后", sh(3, 11, 11), "minute"),
    c("一个半小时后", sh(3, 11, 12), "minute"),
    c("一刻钟后", sh(3, 11, 10, 45), "minute"),
    c("2小时后", sh(3, 11, 12, 30), "hour"),
    c("两个小时后", sh(3, 11, 12, 30), "hour"),
    c("3个钟头后", sh(3, 11, 13, 30), "hour"),
    c("半钟头后", sh(3, 11, 11), "minute"),
    c("3天后", sh(3, 14, 10, 30), "day"),
    c("十天以后", sh(3, 21, 10, 30), "day"),
    c("两周后", sh(3, 25, 10, 30), "week"),
    c("3个月后", sh(6, 11, 10, 30), "month"),
    c("3天前", sh(3, 8, 10, 30), "day"),
    c("2周前", sh(2, 25, 10, 30), "week"),
    c("2个月前", sh(1, 11, 10, 30), "month"),
    c("1个月后", sh(2, 28, 9), "month", now=JAN_31),  # clamped to the month's end
    c("一个月后", sh(2, 29, 9, year=2024), "month", now=LEAP_JAN_31),
    c("3天后下午2点", sh(3, 14, 14), "hour"),
]

RANGES = [
    c("明天下午3点到5点", sh(3, 12, 15), "hour", end=sh(3, 12, 17)),
    c("下午3点至下午8点", sh(3, 11, 15), "hour", end=sh(3, 11, 20)),
    c("明天下午七八点", sh(3, 12, 19), "hour", end=sh(3, 12, 20)),
    c("今天下午1点半到3点", sh(3, 11, 13, 30), "minute", end=sh(3, 11, 15)),
    c("3点到5点", sh(3, 11, 15), "hour", end=sh(3, 11, 17)),
    c("3到5点", sh(3, 11, 15), "hour", end=sh(3, 11, 17)),
    c("十一二点", sh(3, 11, 11), "hour", end=sh(3, 11, 12)),
    c("上午11点到1点", sh(3, 11, 11), "hour", end=sh(3, 11, 13)),
    c("晚上10点到凌晨2点", sh(3, 11, 22), "hour", end=sh(3, 12, 2)),
    c("周一到周五", sh(3, 16), "day", end=sh(3, 20)),
    c("明天到后天", sh(3, 12), "day", end=sh(3, 13)),
    c("明天到昨天", sh(3, 12), "day", expr="明天"),  # an end before the start is no range
]

SENTENCES = [
    c("明天下午3点提醒我回访张总", sh(3, 12, 15), "hour", expr="明天下午3点"),
    c("下周三上午10点跟王总开会", sh(3, 18, 10), "hour", expr="下周三上午10点"),
    c("提醒我下周一 9:30 开会", sh(3, 16, 9, 30), "minute", expr="下周一 9:30"),
    c("张总说月底前回复", sh(3, 31), "day", expr="月底"),
    c("客户13800138000明天下午两点半来", sh(3, 12, 14, 30), "minute", expr="明天下午两点半"),
    c("请在2026-12-01 15:00前提交", sh(12, 1, 15), "minute", expr="2026-12-01 15:00"),
    c("帮我约3个客户后天上午九点", sh(3, 13, 9), "hour", expr="后天上午九点"),
    c("推迟 3 到周五", sh(3, 13), "day", expr="周五"),
    c("报价3点5万，明天给答复", sh(3, 12), "day", expr="明天"),
    c("有空的话三天后提醒我", sh(3, 14, 10, 30), "day", expr="三天后"),
    c("第3点意见，周五前改完", sh(3, 13), "day", expr="周五"),
    c("便宜一点吧，下个月再签", sh(4, 1), "month", expr="下个月"),
    c("上周报告还没交", sh(3, 2), "week", expr="上周"),
    c("从明天到下周三都在外地", sh(3, 12), "day", end=sh(3, 18), expr="明天到下周三"),
]

OTHER_ZONES = [
    c("明天", datetime(2026, 3, 12, tzinfo=UTC), "day", now=datetime(2026, 3, 11, 23, tzinfo=UTC)),
    # 02:30 does not exist on 2026-03-08 in New York: the clock jumps to 03:30.
    c(
        "明天凌晨2点半",
        datetime(2026, 3, 8, 3, 30, tzinfo=NY),
        "minute",
        now=datetime(2026, 3, 7, 12, tzinfo=NY),
    ),
    # Two hours of real time across the jump.
    c(
        "2小时后",
        datetime(2026, 3, 8, 4, 30, tzinfo=NY),
        "hour",
        now=datetime(2026, 3, 8, 1, 30, tzinfo=NY),
    ),
]

TABLE = (
    RELATIVE_DAYS + WEEKS + MONTHS_AND_DATES + CLOCKS + OFFSETS + RANGES + SENTENCES + OTHER_ZONES
)


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 120


@pytest.mark.parametrize("case", TABLE, ids=lambda case: f"{case.text}@{case.now:%m-%d %H:%M}")
def test_table(case: Case) -> None:
    result = parse_time(case.text, case.now)

    assert result is not None
    first = case.text.index(case.expr)
    assert result.span == (first, first + len(case.expr))
    assert (result.start, result.end, result.grain) == (case.start, case.end, case.grain)
    assert result.start.utcoffset() == case.start.utcoffset()
    assert result.start.tzinfo == case.now.tzinfo


@pytest.mark.parametrize(
    "text",
    [
        "",
        "好的，收到",
        "3个客户",
        "13800138000",
        "电话 010-12345678",
        "第3点",
        "第三点意见",
        "便宜一点",
        "早一点来",
        "晚点再说",
        "早上好",
        "3个月",
        "做了10年销售",
        "3号楼",
        "坐1号线",
        "报价3点5万",
        "2月30日",
        "25点",
        "3点60分",
        "周",
        "星期",
        "3.5点",
        "满意度100点",
        "比分3:2",
        "以上周报请查收",
        "下午茶点好了",
        "5日元",
        "下个月31号",  # April has no 31st
        "三五天后",  # three to five days, too vague to place
    ],
)
def test_no_time(text: str) -> None:
    assert parse_time(text, WED) is None


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_time("明天", datetime(2026, 3, 11))


def test_parsed_time_is_frozen() -> None:
    result = parse_time("明天", WED)
    assert isinstance(result, ParsedTime)
    with pytest.raises(AttributeError):
        result.start = WED  # type: ignore[misc]


# Shanghai has kept one offset since 1992 (it had summer time 1986-1991), so wall-clock and
# elapsed arithmetic agree; the DST rows of the table cover zones where they do not.
_NOWS = st.datetimes(
    min_value=datetime(1992, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(SH)
)


@given(n=st.integers(min_value=0, max_value=3650), now=_NOWS)
def test_days_later_is_that_date_at_the_same_time(n: int, now: datetime) -> None:
    result = parse_time(f"{n}天后提醒我", now)

    assert result is not None
    assert result.start == now + timedelta(days=n)
    assert result.start.date() - now.date() == timedelta(days=n)
    assert result.start.timetz() == now.timetz()
    assert (result.grain, result.span) == ("day", (0, len(f"{n}天后")))


@given(n=st.integers(min_value=1, max_value=72), now=_NOWS)
def test_hours_later_is_elapsed_time(n: int, now: datetime) -> None:
    result = parse_time(f"{n}小时后", now)

    assert result is not None
    assert result.start.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=n)


@given(weekday=st.sampled_from("一二三四五六日"), now=_NOWS)
def test_a_bare_weekday_is_within_the_coming_week(weekday: str, now: datetime) -> None:
    result = parse_time(f"周{weekday}", now)

    assert result is not None
    assert 0 <= (result.start.date() - now.date()).days <= 6
    assert result.start.weekday() == "一二三四五六日".index(weekday)


_TIME_CHARS = (
    "0123456789零一二两三四五六七八九十百点时分秒号日月年周星期天礼拜后前到至-:："
    "半刻多个今明昨上下这本早晚午中夜凌晨底初末第 "
)


@given(
    text=st.text(alphabet=st.sampled_from(_TIME_CHARS), max_size=20) | st.text(max_size=20),
    now=_NOWS,
)
def test_never_raises_and_stays_consistent(text: str, now: datetime) -> None:
    result = parse_time(text, now)

    if result is not None:
        assert 0 <= result.span[0] < result.span[1] <= len(text)
        assert result.start.tzinfo is now.tzinfo
        assert result.end is None or result.end >= result.start
