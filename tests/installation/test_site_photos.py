"""On site through the simulator: the installer checks in with a location, sends photos that
are downloaded with media/get at once (WeCom keeps them three days) and stored with their
hash, and completes the job once the tenant's number of photos is kept."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat, photo_sweep, sweep_photos

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, InstallLink, InstallPhoto, JobState
from models.surveys import Survey, SurveyTrigger

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
ON_SITE = datetime(2026, 11, 26, 14, 5, tzinfo=SH)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await opened.say("lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路")
        await opened.say("zhaoliu", "安排 AZ0001 给 王师傅")
        clock.set(ON_SITE)
        yield opened


async def send(chat: Chat, user: str, fields: dict[str, str]) -> list[str]:
    since = await chat.sim.sent_count()
    assert (await chat.sim.deliver("acme", {"FromUserName": user, **fields}))["status"] == 200
    await chat.settle(since)
    return chat.sent_to(user)


async def check_in(chat: Chat) -> list[str]:
    return await send(
        chat,
        "wangsf",
        {
            "MsgType": "location",
            "Location_X": "39.9",
            "Location_Y": "116.4",
            "Scale": "15",
            "Label": "朝阳区xx路",
        },
    )


async def photo(chat: Chat, content: str) -> list[str]:
    media_id = await chat.sim.member_file(content)
    return await send(
        chat,
        "wangsf",
        {"MsgType": "image", "MediaId": media_id, "PicUrl": "http://example.invalid/p.jpg"},
    )


async def test_photos_are_downloaded_hashed_and_let_the_job_complete(chat: Chat) -> None:
    [checked] = await check_in(chat)
    assert checked.startswith(f"已签到：安装单 {N1}（朝阳区xx路）。")
    assert await photo(chat, "before") == [f"已收到安装单 {N1} 的第 1 张照片。"]
    assert await chat.say("wangsf", "完工 AZ0001 已装好测试正常") == [
        f"安装单 {N1} 需要至少 2 张现场照片才能完工，已收到 1 张。请先发送照片。"
    ]
    assert await photo(chat, "after") == [f"已收到安装单 {N1} 的第 2 张照片。"]
    kept = await InstallPhoto.all().order_by("id")
    assert [p.sha256 for p in kept] == [
        hashlib.sha256(b).hexdigest() for b in (b"before", b"after")
    ]
    assert [Path(p.stored_path).read_bytes() for p in kept] == [b"before", b"after"]
    assert await chat.say("wangsf", "AZ0001完工了，已装好测试正常") == [
        f"安装单 {N1} 已完工：已装好测试正常。已把确认链接发给客户；"
        "客户当面确认的，发送「确认安装 AZ0001」。"
    ]
    job = await InstallJob.get(number=N1)
    assert (job.state, job.ended_at, job.resolution) == (
        JobState.COMPLETED,
        ON_SITE,
        "已装好测试正常",
    )
    # The customer is not a WeCom contact: the booker forwards the confirmation link.
    [link] = await InstallLink.all()
    assert chat.sent_to("lisi") == [
        f"请把这个链接转发给客户 星辰科技 ，请客户确认安装完成（安装单 {N1}）：\n"
        f"{chat.embedded.bot_url}/i/{link.token}"
    ]
    assert await Survey.all().count() == 0  # the survey waits for the customer's confirmation
    assert await chat.say("lisi", "AZ0001客户已确认") == [f"安装单 {N1} 客户已确认，安装结束。"]
    assert (await InstallJob.get(number=N1)).state is JobState.CONFIRMED
    [survey] = await Survey.all()
    assert (survey.trigger, survey.trigger_ref) == (SurveyTrigger.INSTALL_COMPLETED, N1)
    assert await chat.say("lisi", "确认安装 AZ0001") == [
        f"安装单 {N1} 当前状态：客户已确认，可以：无（已结束）"
    ]
    assert await Survey.all().count() == 1


async def test_a_photo_past_wecoms_three_days_is_not_counted(
    chat: Chat, clock: FrozenClock
) -> None:
    await check_in(chat)
    media_id = await chat.sim.member_file("late")
    clock.set(ON_SITE + timedelta(days=3, minutes=1))  # the message reached us too late
    replies = await send(chat, "wangsf", {"MsgType": "image", "MediaId": media_id})
    assert replies == [f"已收到安装单 {N1} 的照片，下载暂时失败，稍后会自动重试。"]
    [row] = await InstallPhoto.all()
    assert (row.stored_path, row.attempts) == ("", 1)
    assert row.last_error == "40007 invalid media_id"


async def test_a_location_without_a_job_today_is_not_a_check_in(
    chat: Chat, clock: FrozenClock
) -> None:
    clock.set(ON_SITE - timedelta(days=1))
    replies = await check_in(chat)
    assert replies == ["我目前只看得懂文字消息。发送「帮助」查看我能做什么。"]
    assert (await InstallJob.get(number=N1)).started_at is None


async def test_the_sweep_fetches_a_photo_whose_download_failed(
    chat: Chat, clock: FrozenClock
) -> None:
    await check_in(chat)
    job = await InstallJob.get(number=N1)
    # A download that failed on arrival (the network, say) while WeCom still has the file.
    media_id = await chat.sim.member_file("retry me")
    await InstallPhoto.create(job_id=job.id, media_id=media_id, received_at=ON_SITE, attempts=1)
    clock.set(ON_SITE + timedelta(hours=1))
    assert await photo_sweep(chat, clock).run() == 1
    retried = await InstallPhoto.get(media_id=media_id)
    assert (Path(retried.stored_path).read_bytes(), retried.attempts) == (b"retry me", 2)
    assert await photo_sweep(chat, clock).run() == 0


async def test_a_photo_wecom_no_longer_has_is_reported_to_the_admins_once(
    chat: Chat, clock: FrozenClock
) -> None:
    await check_in(chat)
    late_id = await chat.sim.member_file("gone")
    clock.set(ON_SITE + timedelta(days=3, minutes=1))
    await send(chat, "wangsf", {"MsgType": "image", "MediaId": late_id})
    assert await sweep_photos(chat, clock) == 0
    assert chat.sent_to("zhangsan") == [
        f"【安装照片丢失】安装单 {N1} 有 1 张现场照片没能下载（40007 invalid media_id），"
        "企业微信已不再保存。请安装师傅重新发送照片。"
    ]
    await sweep_photos(chat, clock)
    assert chat.sent_to("zhangsan") == []
