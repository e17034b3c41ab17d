"""The installation sweep's alerts, with a moved clock: a job not completed after its window
(the installer, the booker and the dispatchers, once per appointment), a completed job the
customer has not confirmed in two days (once), and each installer's morning list (once a day,
even with two replicas sweeping at once)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import alert_sweep, alerts, install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, JobState

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
N2 = "AZ-20261123-0002"
OVERDUE = (
    f"【安装超时】安装单 {N1}（11月26日（周四）14:00-16:00，星辰科技）已过约定时间还没有完工，"
    "现在：已派工，还没签到。完工发送「完工 AZ0001 说明」，改时间发送「改约 AZ0001 新时间」。"
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await add_customer("月亮文具")
        await opened.say("lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路")
        await opened.say("lisi", "约安装 月亮文具 周四上午9点 投影仪1台")
        await opened.say("zhaoliu", "安排 AZ0001 给 王师傅")
        await opened.say("zhaoliu", "安排 AZ0002 给 王师傅")
        yield opened


async def test_an_overdue_job_is_told_once_per_appointment(chat: Chat, clock: FrozenClock) -> None:
    await InstallJob.filter(number=N2).update(state=JobState.CANCELLED)
    clock.set(datetime(2026, 11, 26, 16, 20, tzinfo=SH))  # within the grace after 16:00
    await alerts(chat, clock)
    assert chat.sent_to("lisi") == []
    clock.set(datetime(2026, 11, 26, 16, 40, tzinfo=SH))
    await alerts(chat, clock)
    assert chat.sent_to("wangsf") == [OVERDUE]
    assert chat.sent_to("lisi") == [OVERDUE] and chat.sent_to("zhaoliu") == [OVERDUE]
    clock.set(datetime(2026, 11, 26, 17, 40, tzinfo=SH))
    await alerts(chat, clock)
    assert chat.sent_to("lisi") == []
    await chat.say("zhaoliu", "改约 AZ0001 周五下午2点")  # a new appointment can be late again
    clock.set(datetime(2026, 11, 27, 16, 40, tzinfo=SH))
    await alerts(chat, clock)
    assert chat.sent_to("lisi") == [OVERDUE.replace("11月26日（周四）", "11月27日（周五）")]


async def test_a_completed_job_unconfirmed_for_two_days_is_told_once(
    chat: Chat, clock: FrozenClock
) -> None:
    done = datetime(2026, 11, 26, 15, 0, tzinfo=SH)
    at = done.astimezone(UTC)  # as the handlers store it (SQLite compares the text)
    await InstallJob.filter(number=N1).update(
        state=JobState.COMPLETED, started_at=at, ended_at=at, resolution="好了"
    )
    await InstallJob.filter(number=N2).update(state=JobState.CONFIRMED)
    clock.set(done + timedelta(days=1))
    await alerts(chat, clock)
    assert chat.sent_to("lisi") == []
    clock.set(done + timedelta(days=2, minutes=5))
    await alerts(chat, clock)
    told = (
        f"【客户未确认】安装单 {N1}（星辰科技）完工 2 天了，客户还没有确认。"
        "请联系客户；客户当面确认的，发送「确认安装 AZ0001」。"
    )
    assert chat.sent_to("lisi") == [told] and chat.sent_to("zhaoliu") == [told]
    assert chat.sent_to("wangsf") == []
    clock.set(done + timedelta(days=3))
    await alerts(chat, clock)
    assert chat.sent_to("lisi") == []


async def test_each_installer_gets_the_morning_list_once(chat: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 26, 7, 0, tzinfo=SH))
    await alerts(chat, clock)
    assert chat.sent_to("wangsf") == []
    clock.set(datetime(2026, 11, 26, 7, 35, tzinfo=SH))
    since = await chat.sim.sent_count()
    sent = await asyncio.gather(alert_sweep(chat, clock).run(), alert_sweep(chat, clock).run())
    assert sorted(sent) == [0, 1]
    await chat.settle(since)
    assert chat.sent_to("wangsf") == [
        "早上好，今天的安装（2 单）：\n"
        f"09:00-11:00 {N2} 月亮文具\n"
        f"14:00-16:00 {N1} 星辰科技 朝阳区xx路\n"
        "到场后发送位置签到，完工前发送现场照片。"
    ]
    assert chat.sent_to("liusf") == []
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=SH))
    await alerts(chat, clock)
    assert chat.sent_to("wangsf") == []
