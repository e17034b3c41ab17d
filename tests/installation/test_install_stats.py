"""安装统计 for the admins: per installer, the jobs booked, completed and confirmed in the
period, the on-time arrival rate and the average survey score; natural phrasings; members
refused."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, JobState
from models.surveys import Survey, SurveyChannel, SurveyStatus, SurveyTrigger
from models.tenants import Employee

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SH)
EXPECTED = [
    "安装统计（本月：11月1日—11月23日）",
    "约了 4 单，完工 3 单，客户确认 2 单",
    "一次完工 3/3（100%）；准时到场 2/3（67%）；平均用时 1小时5分（3 单）；客户评分 4.0（2 份）",
    "按师傅：",
    "· 王师傅：约 3，完工 2，确认 2，一次完工 2/2（100%），准时 1/2（50%），"
    "用时 1小时15分（2 单），评分 4.0（2 份）",
    "· 刘师傅：约 1，完工 1，确认 0，一次完工 1/1（100%），准时 1/1（100%），"
    "用时 45分（1 单），评分 暂无评价",
    "（一次完工：完工后客户没有要求再次上门；准时：签到不晚于约定开始后 15 分钟；"
    "用时：签到到完工；评分：客户确认后的满意度调查）",
]


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        yield opened


async def job(
    seq: int, installer: str, start: datetime, state: JobState, late: int | None = None,
    score: int | None = None, took: int | None = None,
) -> None:  # fmt: skip
    customer = await add_customer(f"客户{seq}")
    who = await Employee.get(userid=installer)
    number = f"AZ-20261101-{seq:04d}"
    arrived = None if late is None else start + timedelta(minutes=late)
    await InstallJob.create(
        tenant_id=1, number=number, day=start.date(), seq=seq, customer_id=customer.id,
        window_start=start, window_end=start + timedelta(hours=2), installer_id=who.id,
        state=state, started_at=arrived,
        ended_at=None if arrived is None or took is None else arrived + timedelta(minutes=took),
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    if score is not None:
        await Survey.create(
            tenant_id=1, customer_id=customer.id, employee_id=who.id, question="",
            trigger=SurveyTrigger.INSTALL_COMPLETED, trigger_ref=number,
            channel=SurveyChannel.PAGE, token=secrets.token_urlsafe(24),
            status=SurveyStatus.ANSWERED, score=score, sent_at=start, answered_at=start,
            expires_at=start + timedelta(days=7),
        )  # fmt: skip


async def four_jobs() -> None:
    day = datetime(2026, 11, 10, 14, 0, tzinfo=SH)
    await job(1, "wangsf", day, JobState.CONFIRMED, late=5, score=5, took=90)
    await job(2, "wangsf", day + timedelta(days=1), JobState.CONFIRMED, late=40, score=3, took=60)
    await job(3, "wangsf", day + timedelta(days=2), JobState.DISPATCHED)
    await job(4, "liusf", day, JobState.COMPLETED, late=0, took=45)
    await job(5, "liusf", day, JobState.CANCELLED)  # not counted
    await job(6, "liusf", datetime(2026, 10, 30, 9, tzinfo=SH), JobState.CONFIRMED, late=0)


async def test_this_month_per_installer(chat: Chat) -> None:
    await four_jobs()
    assert await chat.say("zhangsan", "安装统计") == ["\n".join(EXPECTED)]
    assert await chat.say("zhangsan", "安装统计 本月") == ["\n".join(EXPECTED)]


@pytest.mark.parametrize(
    "said", ["这个月的安装情况怎么样", "看看本月安装统计", "本月安装做得怎么样", "师傅们的安装业绩"]
)
async def test_natural_phrasings(chat: Chat, said: str) -> None:
    await four_jobs()
    [answer] = await chat.say("zhangsan", said)
    assert answer.splitlines()[1] == EXPECTED[1], answer


async def test_last_month_and_an_empty_week(chat: Chat) -> None:
    await four_jobs()
    [last] = await chat.say("zhangsan", "上个月安装做得怎么样")
    assert last.splitlines()[:2] == [
        "安装统计（上个月：10月1日—10月31日）",
        "约了 1 单，完工 1 单，客户确认 1 单",
    ]
    assert await chat.say("zhangsan", "安装统计 本周") == ["本周（11月23日）没有安装单。"]


async def test_members_are_refused(chat: Chat) -> None:
    [refused] = await chat.say("lisi", "安装统计 本月")
    assert "管理员" in refused
