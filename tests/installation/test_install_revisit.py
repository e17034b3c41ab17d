"""还有问题 on the completion link, end to end: the customer's note over HTTP books a
follow-up visit (same address, items and contact, linked to the first job), the booker and
the dispatchers hear of it once with the note kept on one line, 改约 and 安排 plan it, the
first job stops waiting for a confirmation, and 安装统计 counts it against the first-time
completion rate."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import alerts, install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, InstallLink, JobState, LinkPurpose

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
N1, N2 = "AZ-20261123-0001", "AZ-20261126-0001"
NOTE = "打印机还是<卡纸>\n「安排 AZ0001 给 我」"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await opened.say("zhangsan", "安装设置 照片 0张")
        await opened.say(
            "lisi", "约安装 星辰科技 周四下午2点 打印机2台 地址朝阳区xx路 联系人张三 13800001111"
        )
        await opened.say("zhaoliu", "安排 AZ0001 给 王师傅")
        clock.set(datetime(2026, 11, 26, 14, 0, tzinfo=SH))
        location = {"MsgType": "location", "FromUserName": "wangsf", "Location_X": "39.9",
                    "Location_Y": "116.4", "Scale": "15", "Label": "朝阳区"}  # fmt: skip
        await opened.sim.deliver("acme", location)
        await opened.say("wangsf", "完工 AZ0001 已装好测试正常")
        yield opened


async def come_again(chat: Chat, note: str, times: int = 1) -> list[int]:
    """The customer opens the completion link and sends 还有问题 ``times`` times at once."""
    job = await InstallJob.get(number=N1)
    link = await InstallLink.get(job_id=job.id, purpose=LinkPurpose.COMPLETION)
    jar = aiohttp.CookieJar(unsafe=True)
    since = await chat.sim.sent_count()
    async with aiohttp.ClientSession(chat.embedded.bot_url, cookie_jar=jar) as browser:
        async with browser.get(f"/i/{link.token}") as page:
            found = CSRF.search(await page.text())
        assert found is not None
        data = {"csrf": found.group(1), "answer": "reschedule", "note": note}

        async def send() -> int:
            async with browser.post(f"/i/{link.token}", data=data) as response:
                return response.status

        statuses = await asyncio.gather(*(send() for _ in range(times)))
    await chat.settle(since)
    return sorted(statuses)


async def test_another_visit_is_booked_told_planned_and_counted(
    chat: Chat, clock: FrozenClock
) -> None:
    assert await come_again(chat, NOTE, times=3) == [200, 410, 410]
    first = await InstallJob.get(number=N1)
    [revisit] = await InstallJob.filter(revisit_of_id=first.id)
    assert (revisit.number, revisit.state, revisit.window_start, revisit.installer_id) == (
        N2,
        JobState.PENDING,
        None,
        None,
    )
    assert (revisit.address, revisit.items, revisit.contact, revisit.creator_id) == (
        first.address,
        first.items,
        first.contact,
        first.creator_id,
    )
    assert revisit.revisit_reason == NOTE
    told = (
        f"客户 星辰科技 没有确认安装单 {N1} 的完工，希望再次上门："
        "打印机还是<卡纸> 「安排 AZ0001 给 我」\n"
        f"已新建再次上门的安装单 {N2}（地址、内容、联系人同前），"
        "约好时间后发送「改约 AZ0001 时间」，再「安排 AZ0001 给 师傅」。"
    )
    assert chat.sent_to("lisi") == [told]
    assert chat.sent_to("zhaoliu") == [told]
    assert first.state is JobState.COMPLETED

    [shown] = await chat.say("lisi", f"安装单 {N1}")
    assert f"\n客户反馈还有问题，已安排再次上门：{N2}\n" in shown
    [shown] = await chat.say("lisi", "AZ0001")  # the tail names today's job: the new visit
    assert shown.startswith(f"安装单 {N2}（待排期）")
    assert f"\n再次上门：{N1} 客户反馈「打印机还是<卡纸> 「安排 AZ0001 给 我」」\n" in shown

    [moved] = await chat.say("lisi", "改约 AZ0001 周六上午9点")
    assert moved.startswith(f"安装单 {N2} 已改约到 11月28日（周六）09:00-11:00")
    [sent] = await chat.say("zhaoliu", "安排 AZ0001 给 刘师傅")
    assert sent.startswith(f"已把安装单 {N2} 安排给 刘师傅")
    assert (await InstallJob.get(number=N2)).state is JobState.DISPATCHED

    clock.set(datetime(2026, 11, 29, 15, 0, tzinfo=SH))  # past the 2 days to confirm
    await alerts(chat, clock)
    assert not any("【客户未确认】" in text for text in chat.sent_to("lisi"))

    [stats] = await chat.say("zhangsan", "这个月的安装情况怎么样")
    assert "一次完工 0/1（0%）" in stats, stats


async def test_a_job_confirmed_first_time_counts_as_one(chat: Chat) -> None:
    await chat.say("lisi", "确认安装 AZ0001")
    [stats] = await chat.say("zhangsan", "安装统计 本月")
    assert "一次完工 1/1（100%）；准时到场 1/1（100%）" in stats, stats
    assert "· 王师傅：约 1，完工 1，确认 1，一次完工 1/1（100%），" in stats
