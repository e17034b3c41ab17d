"""Installation commands typed the way people talk, as transcripts on a frozen Monday 10:00
(2026-11-23) in Shanghai: booking, the lists, a job looked at and moved, and the rules
(admins), each answered as its canonical command is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, JobState

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        yield opened


async def test_a_booking_said_with_commas_and_a_measure_word(chat: Chat) -> None:
    said = "帮星辰科技约个上门安装，周五上午，门禁3套，地址浦东新区金科路2000号"
    [reply] = await chat.say("lisi", said)
    assert reply.startswith(f"安装单 {N1}（待排期）\n客户：星辰科技\n")
    assert reply.endswith("已约安装。派工发送「安排 AZ0001 给 师傅名字」。")
    job = await InstallJob.get(number=N1)
    assert (job.items, job.address) == ("门禁3套", "浦东新区金科路2000号")
    assert job.window_start == datetime(2026, 11, 27, 9, tzinfo=SH)


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("我手头的安装活", "你的安装单（1 个）："),
        ("还没派工的安装单有哪些", "待排期 1 个（派工发送「安排 AZ0001 给 师傅名字」）："),
        ("安装单 AZ0001 的详情", f"安装单 {N1}（待排期）"),
        ("AZ0001到哪一步了？", f"安装单 {N1}（待排期）"),
    ],
)
async def test_lists_and_a_job_asked_for_in_words(chat: Chat, said: str, answer: str) -> None:
    await chat.say("lisi", "约安装 星辰科技 周四下午2点 打印机2台 地址朝阳区xx路")
    [reply] = await chat.say("lisi", said)
    assert reply.startswith(answer)


async def test_todays_jobs_in_words(chat: Chat) -> None:
    assert await chat.say("lisi", "今天要装哪几家") == ["今天没有安装。"]
    assert await chat.say("lisi", "今日上门安装几单") == ["今天没有安装。"]


async def test_a_job_moved_with_to_before_the_time(chat: Chat) -> None:
    await chat.say("lisi", "约安装 星辰科技 周四下午2点 打印机2台 地址朝阳区xx路")
    [moved] = await chat.say("lisi", "改期 AZ0001 到周五上午")
    assert moved.startswith(f"安装单 {N1} 已改约到 11月27日（周五）")
    job = await InstallJob.get(number=N1)
    assert (job.state, job.window_start) == (JobState.PENDING, datetime(2026, 11, 27, 9, tzinfo=SH))


async def test_the_rules_looked_at_and_changed_in_hours(chat: Chat) -> None:
    [shown] = await chat.say("zhangsan", "安装设置是什么")
    assert shown.startswith("安装设置：预约时长 120 分钟")
    [saved] = await chat.say("zhangsan", "预约时长改成3小时")
    assert saved.startswith("已保存。安装设置：预约时长 180 分钟")
    [saved] = await chat.say("zhangsan", "两单之间留半小时路上时间")
    assert "两单之间留路上 30 分钟" in saved
    [saved] = await chat.say("zhangsan", "完工至少拍4张照片")
    assert "完工至少 4 张现场照片" in saved
