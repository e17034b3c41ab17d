"""The installer's reminders, the day before and an hour before: sent once each even with two
sweeps at once, none for the old time of a moved job, none for a cancelled one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat, reminder_sweep, sweep

from bot.clock import FrozenClock
from bot.config import Settings

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
DAY_BEFORE = (
    f"【明天安装】安装单 {N1}：11月26日（周四）14:00-16:00，星辰科技，打印机2台，地址：朝阳区xx路。"
)
HOUR_BEFORE = (
    f"【1小时后安装】安装单 {N1}：11月26日（周四）14:00-16:00，星辰科技，地址：朝阳区xx路。"
    "到场后发送位置签到。"
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await opened.say("lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路")
        await opened.say("zhaoliu", "安排 AZ0001 给 王师傅")
        yield opened


async def test_the_day_before_and_the_hour_before_once_each(chat: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 25, 13, 0, tzinfo=SH))
    assert await sweep(chat, clock) == 0
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=SH))
    assert await sweep(chat, clock) == 1
    assert chat.sent_to("wangsf") == [DAY_BEFORE]
    clock.set(datetime(2026, 11, 25, 18, 0, tzinfo=SH))
    assert await sweep(chat, clock) == 0
    clock.set(datetime(2026, 11, 26, 13, 0, tzinfo=SH))
    assert await sweep(chat, clock) == 1
    assert chat.sent_to("wangsf") == [HOUR_BEFORE]
    clock.set(datetime(2026, 11, 26, 13, 30, tzinfo=SH))
    assert await sweep(chat, clock) == 0


async def test_two_replicas_sweeping_at_once_send_one(chat: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 25, 15, 0, tzinfo=SH))
    since = await chat.sim.sent_count()
    sent = await asyncio.gather(
        reminder_sweep(chat, clock).run(), reminder_sweep(chat, clock).run()
    )
    assert sorted(sent) == [0, 1]
    await chat.settle(since)
    assert len(chat.sent_to("wangsf")) == 1 and len(chat.sent_to("lisi")) == 1  # the customer's


async def test_a_moved_job_is_reminded_at_its_new_time_only(chat: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=SH))
    assert await sweep(chat, clock) == 1
    [moved] = await chat.say("zhaoliu", "改约 AZ0001 周五下午2点")
    assert moved.startswith(f"安装单 {N1} 已改约到 11月27日（周五）14:00-16:00"), moved
    clock.set(datetime(2026, 11, 26, 13, 30, tzinfo=SH))
    assert await sweep(chat, clock) == 0  # the old time's hour-before is gone with it
    clock.set(datetime(2026, 11, 26, 14, 30, tzinfo=SH))
    assert await sweep(chat, clock) == 1  # the new time's day-before
    assert chat.sent_to("wangsf") == [DAY_BEFORE.replace("11月26日（周四）", "11月27日（周五）")]


async def test_a_cancelled_job_gets_no_reminder(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "取消安装 AZ0001 客户不装了")
    clock.set(datetime(2026, 11, 26, 13, 0, tzinfo=SH))
    assert await sweep(chat, clock) == 0
    assert chat.sent_to("wangsf") == []


async def test_a_job_booked_late_gets_only_the_hour_before(chat: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 26, 13, 10, tzinfo=SH))
    assert await sweep(chat, clock) == 1
    assert chat.sent_to("wangsf") == [HOUR_BEFORE]
    clock.set(datetime(2026, 11, 26, 13, 20, tzinfo=SH))
    assert await sweep(chat, clock) == 0
