"""The job on the installer's WeCom calendar: added on dispatch with reminders the day before
and an hour before, updated by 改约, deleted when the job is cancelled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await opened.say(
            "lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路 联系人 张工"
        )
        yield opened


async def calendar_calls(chat: Chat, text: str) -> list[dict[str, Any]]:
    since = await chat.sim.sent_count()
    await chat.say("zhaoliu", text)
    await chat.embedded.runtime.tasks.drain()
    return [r for r in await chat.sim.sent(since=since) if r["api"].startswith("oa/schedule/")]


def stamp(hour: int, day: int = 26) -> int:
    return int(datetime(2026, 11, day, hour, tzinfo=SH).timestamp())


async def test_dispatch_adds_the_job_to_the_installers_calendar(chat: Chat) -> None:
    [call] = await calendar_calls(chat, "安排 AZ0001 给 王师傅")
    assert call["api"] == "oa/schedule/add"
    assert call["body"]["schedule"] == {
        "attendees": [{"userid": "wangsf"}],
        "start_time": stamp(14),
        "end_time": stamp(16),
        "summary": f"安装 {N1} 星辰科技",
        "description": "打印机2台；张工",
        "location": "朝阳区xx路",
        "reminders": {
            "is_remind": 1,
            "remind_before_event_secs": 3600,
            "remind_time_diffs": [-86400, -3600],
        },
    }
    assert (await InstallJob.get(number=N1)).schedule_id == call["schedule_id"]


async def test_a_move_updates_the_entry_and_a_cancel_deletes_it(chat: Chat) -> None:
    [added] = await calendar_calls(chat, "安排 AZ0001 给 王师傅")
    [moved] = await calendar_calls(chat, "改约 AZ0001 周五上午")
    assert moved["api"] == "oa/schedule/update"
    schedule = moved["body"]["schedule"]
    assert (schedule["schedule_id"], schedule["start_time"], schedule["end_time"]) == (
        added["schedule_id"],
        stamp(9, 27),
        stamp(11, 27),
    )
    [dropped] = await calendar_calls(chat, "取消安装 AZ0001 客户不装了")
    assert dropped == {**dropped, "api": "oa/schedule/del"}
    assert dropped["body"] == {"schedule_id": added["schedule_id"]}
    assert (await InstallJob.get(number=N1)).schedule_id == ""
