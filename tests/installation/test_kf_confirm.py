"""A customer answering an installation confirmation in their 微信客服 chat: the day before
(时间没问题 / 申请改约) and after completion (确认安装完成 / 还有问题), said the way people
type it, taken once: against the page racing it, against a second message racing it, and
when WeCom hands the same message out again."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat, sweep

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallJob, InstallLink, JobState, LinkAnswer, LinkPurpose
from models.kf import KfCursor, KfWindow
from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyChannel, SurveyTrigger

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
KFID = "wkKF0000000001"
CUSTOMER = "wmXINGCHEN0000000000000000001"
WROTE = datetime(2026, 11, 25, 13, 0, tzinfo=SH)  # the customer writes in the kf chat
DAY_BEFORE = datetime(2026, 11, 25, 14, 0, tzinfo=SH)
ON_SITE = datetime(2026, 11, 26, 14, 5, tzinfo=SH)
NO_ANSWER = "抱歉，暂时没有找到相关答案。回复“人工”转人工客服。"
TIME_CONFIRMED = (
    f"好的，已确认安装单 {N1} 的上门时间：11月26日（周四）14:00-16:00。师傅会按时上门。"
)
DONE_CONFIRMED = f"好的，已确认安装单 {N1} 安装完成，祝您使用愉快！"
RATE_AGAIN = "抱歉，没有看懂您的评分。请为本次服务打分："
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        customer = await add_customer("星辰科技")
        customer.external_userid = CUSTOMER
        await customer.save()
        await opened.say("lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路")
        await opened.say("zhaoliu", "安排 AZ0001 给 王师傅")
        clock.set(WROTE)
        assert await says(opened, "师傅哪天来？") == [NO_ANSWER]  # opens the kf chat
        yield opened


async def says(chat: Chat, text: str) -> list[str]:
    """The customer writes in the kf chat; what reached them on kf/send_msg."""
    since = await chat.sim.sent_count()
    assert (await chat.sim.kf_say("acme", KFID, CUSTOMER, text))["status"] == 200
    return await kf_texts(chat, since)


async def kf_texts(chat: Chat, since: int) -> list[str]:
    await chat.settle(since)
    sent = await chat.sim.sent(since=since)
    return [
        r["body"]["text"]["content"]
        for r in sent
        if r["api"] == "kf/send_msg" and r["body"]["msgtype"] == "text"
    ]


async def day_before(chat: Chat, clock: FrozenClock) -> InstallLink:
    """The reminder sweep puts the appointment link into the open kf chat."""
    clock.set(DAY_BEFORE)
    since = await chat.sim.sent_count()
    assert await sweep(chat, clock) == 1
    link = await InstallLink.get(purpose=LinkPurpose.APPOINTMENT)
    [asked] = await kf_texts(chat, since)
    assert asked.endswith(f"/i/{link.token}")
    return link


async def completed(chat: Chat, clock: FrozenClock) -> InstallLink:
    """On site, two photos, 完工: the completion link goes into the kf chat."""
    clock.set(ON_SITE)
    assert await says(chat, "师傅到了吗") == [NO_ANSWER]  # the 48 hours start again
    location = {"MsgType": "location", "Location_X": "39.9", "Location_Y": "116.4", "Label": "x"}
    await chat.sim.deliver("acme", {"FromUserName": "wangsf", **location})
    for content in ("before", "after"):
        media_id = await chat.sim.member_file(content)
        await chat.sim.deliver("acme", {"FromUserName": "wangsf", "MsgType": "image",
                                        "MediaId": media_id})  # fmt: skip
    since = await chat.sim.sent_count()
    await chat.say("wangsf", "完工 AZ0001 已装好测试正常")
    link = await InstallLink.get(purpose=LinkPurpose.COMPLETION)
    [asked] = await kf_texts(chat, since)
    assert asked.startswith("您好，艾克米科技的安装已完成：打印机2台。")
    assert asked.endswith(f"/i/{link.token}")
    return link


async def told(userid: str) -> list[str]:
    rows = await OutboxMessage.filter(recipient=userid, msg_type="text").order_by("id")
    return [str(r.payload["content"]) for r in rows]


@pytest.mark.parametrize("answer", ["确认", "没问题", "时间可以", "好的，没问题"])
async def test_the_customer_confirms_the_time_in_the_chat(
    chat: Chat, clock: FrozenClock, answer: str
) -> None:
    link = await day_before(chat, clock)
    assert await says(chat, answer) == [TIME_CONFIRMED]
    link = await InstallLink.get(id=link.id)
    assert (link.answer, link.answered_at, link.note) == (LinkAnswer.CONFIRMED, clock.now(), "")
    assert (await InstallJob.get(number=N1)).state is JobState.DISPATCHED
    # Once: saying it again is told what was recorded, and records nothing more.
    clock.advance(timedelta(minutes=1))
    assert await says(chat, "确认") == [f"安装单 {N1} 您已经回复过了（已确认上门时间），感谢！"]
    assert (await InstallLink.get(id=link.id)).answered_at == DAY_BEFORE


@pytest.mark.parametrize(
    ("answer", "note"),
    [("改约", ""), ("改到周六上午", "改到周六上午"), ("那天不在家", "那天不在家")],
)
async def test_the_customer_asks_for_another_time_in_the_chat(
    chat: Chat, clock: FrozenClock, answer: str, note: str
) -> None:
    link = await day_before(chat, clock)
    shown = f"：{note}" if note else ""
    assert await says(chat, answer) == [
        f"已收到改约申请（安装单 {N1}）{shown}。负责的同事会尽快联系您约新的时间。"
    ]
    link = await InstallLink.get(id=link.id)
    assert (link.answer, link.note) == (LinkAnswer.RESCHEDULE, note)
    expected = (
        f"客户 星辰科技 申请改约安装单 {N1}（11月26日（周四）14:00-16:00）："
        f"{note or '（没有写原因）'}\n改时间发送「改约 AZ0001 新时间」。"
    )
    # The booker and the dispatcher, as from the page.
    assert (await told("lisi"))[-1] == expected
    assert (await told("zhaoliu"))[-1] == expected


async def test_the_customer_confirms_the_finished_job_and_the_survey_goes_out(
    chat: Chat, clock: FrozenClock
) -> None:
    link = await completed(chat, clock)
    since = await chat.sim.sent_count()
    assert await says(chat, "好的，已经装好了") == [DONE_CONFIRMED]
    job = await InstallJob.get(number=N1)
    assert (job.state, job.confirmed_at) == (JobState.CONFIRMED, clock.now())
    assert (await InstallLink.get(id=link.id)).answer is LinkAnswer.CONFIRMED
    [survey] = await Survey.all()
    assert (survey.trigger, survey.trigger_ref) == (SurveyTrigger.INSTALL_COMPLETED, N1)
    assert (survey.channel, survey.recipient) == (SurveyChannel.KF, f"{KFID}|{CUSTOMER}")
    assert chat.embedded.runtime.sender is not None
    await chat.embedded.runtime.sender.sweep()
    sent = await chat.sim.sent(since=since)
    kinds = sorted(r["body"]["msgtype"] for r in sent if r["api"] == "kf/send_msg")
    assert kinds == ["msgmenu", "text"]  # the reply, and the survey's rating menu


@pytest.mark.parametrize(
    ("answer", "note"), [("还有问题", ""), ("打印机还是不出纸", "打印机还是不出纸")]
)
async def test_the_customer_says_something_is_still_wrong(
    chat: Chat, clock: FrozenClock, answer: str, note: str
) -> None:
    link = await completed(chat, clock)
    shown = f"：{note}" if note else ""
    assert await says(chat, answer) == [
        f"已记下（安装单 {N1}）{shown}。负责的同事会尽快联系您安排再次上门。"
    ]
    assert (await InstallJob.get(number=N1)).state is JobState.COMPLETED
    link = await InstallLink.get(id=link.id)
    assert (link.answer, link.note) == (LinkAnswer.RESCHEDULE, note)
    assert (await told("lisi"))[-1].startswith(
        f"客户 星辰科技 没有确认安装单 {N1} 的完工，希望再次上门：{note or '（没有写原因）'}\n"
    )
    assert await Survey.all().count() == 0


async def test_an_unclear_reply_gets_the_two_choices_and_the_usual_answer(
    chat: Chat, clock: FrozenClock
) -> None:
    link = await completed(chat, clock)
    assert await says(chat, "好的，但是打印机还是不出纸") == [
        f"关于安装单 {N1}：已经装好请回复「确认」；"
        "还有问题需要再次上门请回复「还有问题」加上情况，例如：还有问题 打印机不出纸。",
        NO_ANSWER,
    ]
    # Not an answer at all: only the chat's usual answer.
    assert await says(chat, "你们周末上班吗？") == [NO_ANSWER]
    assert (await InstallLink.get(id=link.id)).answered_at is None
    assert (await InstallJob.get(number=N1)).state is JobState.COMPLETED


async def test_a_link_sent_elsewhere_is_not_answered_in_the_chat(
    chat: Chat, clock: FrozenClock
) -> None:
    # No kf chat open the day before: the link goes out through the booker instead.
    await KfWindow.all().delete()
    clock.set(DAY_BEFORE)
    assert await sweep(chat, clock) == 1
    link = await InstallLink.get()
    kf_rows = await OutboxMessage.filter(channel="kf")
    assert not [r for r in kf_rows if link.token in str(r.payload)]
    assert await says(chat, "确认") == [NO_ANSWER]
    assert (await InstallLink.get(id=link.id)).answered_at is None


async def page_confirms(chat: Chat, token: str) -> int:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(chat.embedded.bot_url, cookie_jar=jar) as browser:
        async with browser.get(f"/i/{token}") as page:
            found = CSRF.search(await page.text())
        assert found is not None
        form = {"csrf": found.group(1), "answer": "confirm"}
        async with browser.post(f"/i/{token}", data=form) as response:
            return response.status


async def test_the_page_and_the_chat_racing_confirm_once(chat: Chat, clock: FrozenClock) -> None:
    link = await completed(chat, clock)
    since = await chat.sim.sent_count()
    status, _ = await asyncio.gather(
        page_confirms(chat, link.token),
        chat.sim.kf_say("acme", KFID, CUSTOMER, "确认"),
    )
    await kf_texts(chat, since)
    [reply] = [r["body"] for r in await chat.sim.sent(since=since) if r["api"] == "kf/send_msg"]
    if status == 200:
        # The page won: the chat says what stands, or, once the survey has asked its
        # question, the survey takes the message as its answer.
        said = reply.get("text", {}).get("content") or reply["msgmenu"]["head_content"]
        assert said in (f"安装单 {N1} 您已经回复过了（已确认安装完成），感谢！", RATE_AGAIN)
    else:
        assert (status, reply["text"]["content"]) == (410, DONE_CONFIRMED)
    assert (await InstallJob.get(number=N1)).state is JobState.CONFIRMED
    assert await Survey.filter(trigger_ref=N1).count() == 1


async def test_two_messages_racing_record_one_answer(chat: Chat, clock: FrozenClock) -> None:
    link = await day_before(chat, clock)
    since = await chat.sim.sent_count()
    await asyncio.gather(
        chat.sim.kf_say("acme", KFID, CUSTOMER, "确认"),
        chat.sim.kf_say("acme", KFID, CUSTOMER, "改到周六上午"),
    )
    replies = await kf_texts(chat, since)
    link = await InstallLink.get(id=link.id)
    recorded = {
        LinkAnswer.CONFIRMED: TIME_CONFIRMED,
        LinkAnswer.RESCHEDULE: f"已收到改约申请（安装单 {N1}）：改到周六上午。"
        "负责的同事会尽快联系您约新的时间。",
    }
    assert link.answer is not None
    assert recorded[link.answer] in replies and len(replies) == 2
    assert sum(r.startswith(f"安装单 {N1} 您已经回复过了") for r in replies) == 1
    asked_again = [t for t in await told("lisi") if "申请改约" in t]
    assert len(asked_again) == (1 if link.answer is LinkAnswer.RESCHEDULE else 0)


async def test_a_message_wecom_hands_out_again_is_answered_once(
    chat: Chat, clock: FrozenClock
) -> None:
    link = await day_before(chat, clock)
    assert await says(chat, "没问题") == [TIME_CONFIRMED]
    # The cursor is lost (a crash before it was stored): the next sync reads every message
    # again, and only the new one is handled.
    await KfCursor.all().update(cursor="")
    clock.advance(timedelta(minutes=20))
    assert await says(chat, "你们周末上班吗？") == [NO_ANSWER]
    assert (await InstallLink.get(id=link.id)).answered_at == DAY_BEFORE
    kf_rows = await OutboxMessage.filter(channel="kf")
    assert [r.payload.get("content") for r in kf_rows].count(TIME_CONFIRMED) == 1


async def test_after_the_page_the_chat_says_what_was_recorded(
    chat: Chat, clock: FrozenClock
) -> None:
    link = await day_before(chat, clock)
    assert await page_confirms(chat, link.token) == 200
    assert await says(chat, "好的，时间可以") == [
        f"安装单 {N1} 您已经回复过了（已确认上门时间），感谢！"
    ]
    # Later on the chat is the chat again.
    clock.advance(timedelta(minutes=30))
    assert await says(chat, "好的") == [NO_ANSWER]


async def test_once_the_survey_asks_its_question_it_takes_the_chat(
    chat: Chat, clock: FrozenClock
) -> None:
    link = await completed(chat, clock)
    assert await page_confirms(chat, link.token) == 200
    since = await chat.sim.sent_count()
    assert chat.embedded.runtime.sender is not None
    await chat.embedded.runtime.sender.sweep()  # the survey's rating menu
    await chat.sim.kf_say("acme", KFID, CUSTOMER, "确认")
    assert await kf_texts(chat, since) == []
    menus = [r["body"]["msgmenu"]["head_content"] for r in await chat.sim.sent(since=since)
             if r["api"] == "kf/send_msg" and r["body"]["msgtype"] == "msgmenu"]  # fmt: skip
    assert menus == ["您对本次服务满意吗？", RATE_AGAIN]
