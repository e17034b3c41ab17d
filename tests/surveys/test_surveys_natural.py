"""Surveys asked for in the words staff use: 给张总发个满意度, 这个月满意度怎么样,
李四上个月满意度. Each phrasing does what its command does (which keeps working)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat
from support.kf import CUSTOMER, KfChat, kf_chat, kf_text
from support.surveys import customer, employee, survey
from surveys.test_survey_reports import day
from surveys.test_surveys_kf import add_customer, employee_says

from bot.clock import FrozenClock
from bot.config import Settings
from bot.tenants import TenantInfo
from bot.wecom_sim.chat import message_text
from models.surveys import Survey, SurveyTrigger


@pytest.fixture
async def kf(settings: Settings, clock: FrozenClock, tenant: TenantInfo) -> AsyncIterator[KfChat]:
    async with kf_chat(settings, clock) as running:
        yield running


@pytest.mark.parametrize(
    "said",
    [
        "给张三发个满意度",
        "发个满意度给张三",
        "让张三打个分",
        "让张三评价一下我们的服务",
        "给张三发一下满意度评价链接",
        "给张三那边发个满意度问卷",
    ],
)
async def test_a_survey_sent_in_words_goes_out_like_the_command(kf: KfChat, said: str) -> None:
    await add_customer(kf, "张三", CUSTOMER)
    await kf.says("你好")
    records = await employee_says(kf, said)
    assert kf_text(records[0]).startswith("您对本次服务满意吗？\n5 非常满意")
    assert message_text(records[1]["body"]) == (
        "已通过微信客服向 张三 发出满意度调查，客户评价后会通知低分情况。"
    )
    assert (await Survey.get()).trigger == SurveyTrigger.MANUAL


@pytest.fixture
def reports_clock() -> FrozenClock:
    return FrozenClock(MONDAY_10AM)


@pytest.fixture
async def reports(settings: Settings, reports_clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, reports_clock) as opened:
        lisi = await employee("lisi", "李四", day(11, 1))
        zhang = await customer("张三", day(11, 1))
        await survey(day(11, 10), score=5, comment="很专业", who=lisi, about=zhang)
        await survey(day(10, 15), score=2, comment="价格贵", who=lisi, about=zhang)
        yield opened


@pytest.mark.parametrize(
    ("user", "said", "canonical"),
    [
        ("zhangsan", "这个月满意度怎么样", "本月满意度"),
        ("zhangsan", "本月团队满意度", "本月满意度"),
        ("zhangsan", "本月大家的客户评分汇总", "本月满意度"),
        ("zhangsan", "本月回访评价整体情况", "本月满意度"),
        ("zhangsan", "李四上个月满意度", "满意度 李四 上个月"),
        ("zhangsan", "李四的满意度怎么样", "满意度 李四"),
        ("zhangsan", "上个月的满意度", "满意度 上个月"),
        ("lisi", "我的满意度", "满意度 我"),
        ("lisi", "我上个月的满意度", "满意度 我 上个月"),
        ("lisi", "看看我上个月的满意度", "满意度 我 上个月"),
        ("zhangsan", "查看李四的满意度", "满意度 李四"),
    ],
)
async def test_reports_asked_in_words_answer_as_the_commands(
    reports: Chat, user: str, said: str, canonical: str
) -> None:
    assert await reports.say(user, said) == await reports.say(user, canonical)


async def test_a_member_asking_for_the_team_month_hears_why_not(reports: Chat) -> None:
    assert await reports.say("lisi", "这个月满意度怎么样") == ["仅管理员可用"]
