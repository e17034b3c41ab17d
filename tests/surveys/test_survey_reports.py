"""Satisfaction reports in chat, on a frozen Monday 2026-11-23 10:00 in Shanghai."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat
from support.surveys import customer, employee, survey

from bot.clock import FrozenClock
from bot.config import Settings
from bot.reports.daily import daily_report
from bot.surveys.report import daily_section
from bot.tenants import TenantDirectory
from models.surveys import SurveyKind, SurveyStatus


def day(month: int, day: int, hour: int = 2) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened


@pytest.fixture
async def answers(chat: Chat) -> None:
    """Four answers and an open survey this month, one cancelled; one answer in October."""
    lisi = await employee("lisi", "李四", day(11, 1))
    wangwu = await employee("wangwu", "王五", day(11, 1))
    zhang = await customer("张三", day(11, 1))
    zhao = await customer("赵六", day(11, 1))
    await survey(day(11, 10), score=5, comment="很专业", who=lisi, about=zhang)
    await survey(day(11, 10), score=4, who=lisi, about=zhao)
    await survey(day(11, 18), score=1, comment="等了太久才有人回", who=wangwu, about=zhang)
    await survey(day(11, 18), score=3, comment="还行", who=wangwu, about=zhao)
    await survey(day(11, 20), who=wangwu, about=zhao)
    await survey(day(11, 21), status=SurveyStatus.CANCELLED, who=lisi, about=zhao)
    await survey(day(10, 15), score=2, comment="价格贵", who=lisi, about=zhang)


@pytest.mark.usefixtures("answers")
async def test_admins_see_the_month_with_employees_and_the_lowest_comments(chat: Chat) -> None:
    assert await chat.say("zhangsan", "本月满意度") == [
        "【满意度】本月（11月1日—11月23日）\n"
        "CSAT 50%（4–5 分 2/4 份）· 回复率 80%（4/5）\n"
        "按员工：\n"
        "· 李四 CSAT 100%（2 份）· 回复率 100%\n"
        "· 王五 CSAT 0%（2 份）· 回复率 67%\n"
        "最低分留言：\n"
        "· 1 分 张三（王五，11月18日）：等了太久才有人回\n"
        "· 3 分 赵六（王五，11月18日）：还行\n"
        "· 5 分 张三（李四，11月10日）：很专业"
    ]


@pytest.mark.usefixtures("answers")
async def test_a_period_and_a_colleague_narrow_the_report(chat: Chat) -> None:
    assert await chat.say("zhangsan", "满意度 上周") == [
        "【满意度】上周（11月16日—11月22日）\n"
        "CSAT 0%（4–5 分 0/2 份）· 回复率 67%（2/3）\n"
        "按员工：\n"
        "· 王五 CSAT 0%（2 份）· 回复率 67%\n"
        "最低分留言：\n"
        "· 1 分 张三（王五，11月18日）：等了太久才有人回\n"
        "· 3 分 赵六（王五，11月18日）：还行"
    ]
    assert await chat.say("zhangsan", "满意度 李四 10月") == [
        "【满意度】李四 10月（10月1日—10月31日）\n"
        "CSAT 0%（4–5 分 0/1 份）· 回复率 100%（1/1）\n"
        "最低分留言：\n"
        "· 2 分 张三（李四，10月15日）：价格贵"
    ]


@pytest.mark.usefixtures("answers")
async def test_employees_see_only_their_own_numbers(chat: Chat) -> None:
    assert await chat.say("lisi", "满意度") == [
        "【满意度】李四 本月（11月1日—11月23日）\n"
        "CSAT 100%（4–5 分 2/2 份）· 回复率 100%（2/2）\n"
        "最低分留言：\n"
        "· 5 分 张三（李四，11月10日）：很专业"
    ]
    assert await chat.say("lisi", "满意度 王五") == [
        "你只能查看自己的满意度，例如：满意度 上周。团队和同事的数据请管理员查看。"
    ]
    [refused] = await chat.say("lisi", "本月满意度")
    assert "仅管理员可用" in refused


async def test_nps_shows_when_nps_surveys_exist(chat: Chat) -> None:
    lisi = await employee("lisi", "李四", day(11, 1))
    for score in (10, 9, 8, 6, 0):
        await survey(day(11, 19), score=score, kind=SurveyKind.NPS, who=lisi)
    [report] = await chat.say("zhangsan", "满意度 上周")
    assert report.splitlines()[1:3] == [
        "还没有收到 CSAT 评分 · 回复率 100%（5/5）",
        "NPS 0（5 份；推荐者 9–10 分减贬损者 0–6 分）",
    ]


async def test_bad_input_says_what_to_type(chat: Chat) -> None:
    assert await chat.say("zhangsan", "满意度 小明") == [
        "没找到同事「小明」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    ]
    assert await chat.say("zhangsan", "满意度 上周") == [
        "上周（11月16日—11月22日）没有发出满意度调查。"
    ]


async def test_the_daily_report_counts_todays_answers(chat: Chat) -> None:
    lisi = await employee("lisi", "李四", day(11, 1))
    tenant = await TenantDirectory().get("acme")
    assert tenant is not None
    start = MONDAY_10AM - timedelta(hours=10)
    assert await daily_section(tenant, start, MONDAY_10AM) is None
    await survey(day(11, 22, 20), score=5, who=lisi, answered_after=timedelta(hours=1))
    await survey(day(11, 22, 20), score=2, who=lisi, answered_after=timedelta(hours=2))
    await survey(day(11, 20), score=1, who=lisi)  # answered days ago: not today's
    expected = "· 满意度：收到 2 份评价，CSAT 50%，其中 1 份低分（已提醒跟进）"
    assert await daily_section(tenant, start, MONDAY_10AM) == expected
    assert expected in await daily_report(tenant, MONDAY_10AM)
