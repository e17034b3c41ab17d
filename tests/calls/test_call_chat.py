"""Calls told in chat, as transcripts on a frozen Monday 10:00 (2026-11-23) in Shanghai:
a sentence logs a call and its follow-up, 拨打 gives the number and remembers it so the
outcome said next is logged, and wrong input gets what to type."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from support.calls import call_chat, customer
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallDirection, CallRecord, CallSource, Disposition
from models.conversations import ConversationState
from models.crm.customers import Customer, CustomerNote
from models.followups import Followup
from models.tenants import Employee

WEDNESDAY_9AM = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 下周三 09:00 in Shanghai


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        lisi = await Employee.get(userid="lisi")
        await customer("张总", "13800000000", "星辰科技", owner=lisi.id)
        yield opened


async def test_a_sentence_logs_the_call_on_the_timeline_and_makes_the_follow_up(
    chat: Chat,
) -> None:
    said = "刚给张总打了电话，聊了15分钟，他想要报价，下周三回访"
    assert await chat.say("lisi", said) == [
        "已记通话：张总，接通 15分钟，他想要报价，回访。\n"
        "已建跟进 #1：12月2日（周三）09:00 张总：他想要报价，回访。"
    ]
    call = await CallRecord.get()
    assert (call.source, call.direction, call.disposition) == (
        CallSource.MANUAL,
        CallDirection.OUTBOUND,
        Disposition.ANSWERED,
    )
    assert (call.talk_secs, call.duration_secs, call.number) == (900, 900, "13800000000")
    assert call.ended_at == MONDAY_10AM
    assert call.answered_at == call.started_at == MONDAY_10AM - timedelta(minutes=15)
    zhang = await Customer.get(name="张总")
    assert call.customer_id == zhang.id
    note = await CustomerNote.get(customer_id=zhang.id)
    assert note.text == "通话（呼出，接通 15分钟）：他想要报价，回访"
    assert zhang.last_interaction_at == MONDAY_10AM
    followup = await Followup.get()
    assert (followup.customer_id, followup.due_at) == (zhang.id, WEDNESDAY_9AM)


@pytest.mark.parametrize(
    ("text", "talk", "disposition"),
    [
        ("记通话 张总 15分钟 想要报价", 900, Disposition.ANSWERED),
        ("记通话 张总 3分20秒", 200, Disposition.ANSWERED),
        ("刚才跟张总打了个电话，聊了半小时，要样品", 1800, Disposition.ANSWERED),
        ("给张总打了电话，没人接", 0, Disposition.MISSED),
        ("记录通话 星辰科技 占线", 0, Disposition.BUSY),
        ("刚和张总通了电话，聊了十分钟", 600, Disposition.ANSWERED),
    ],
)
async def test_natural_phrasings_log_one_call(
    chat: Chat, text: str, talk: int, disposition: Disposition
) -> None:
    [reply] = await chat.say("lisi", text)
    assert reply.startswith("已记通话：张总，")
    call = await CallRecord.get()
    assert (call.talk_secs, call.disposition) == (talk, disposition)
    assert not await Followup.exists()


async def test_dial_gives_a_tappable_number_then_logs_the_outcome(chat: Chat) -> None:
    assert await chat.say("lisi", "拨打 张总") == [
        '张总（星辰科技） <a href="tel:13800000000">138 0000 0000</a>（点击号码拨打）\n'
        "打完回复「打通了 5分钟 内容」或「没打通」，我来记下。"
    ]
    assert await ConversationState.get(user_id="lisi")
    assert await chat.say("lisi", "打通了 5分钟 确认了发货时间") == [
        "已记通话：张总，接通 5分钟，确认了发货时间。"
    ]
    call = await CallRecord.get()
    assert (call.talk_secs, call.disposition, call.started_at) == (
        300,
        Disposition.ANSWERED,
        MONDAY_10AM - timedelta(minutes=5),
    )
    assert not await ConversationState.exists()


async def test_an_unanswered_dial_is_logged_as_missed(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "帮我给张总打个电话")
    clock.advance(timedelta(minutes=2))
    assert await chat.say("lisi", "没打通") == ["已记通话：张总，未接通。"]
    call = await CallRecord.get()
    assert (call.talk_secs, call.disposition, call.started_at) == (
        0,
        Disposition.MISSED,
        MONDAY_10AM,
    )
    assert call.duration_secs == 120


async def test_connected_without_a_length_is_asked_and_nothing_is_lost(chat: Chat) -> None:
    await chat.say("lisi", "拨打 张总")
    assert await chat.say("lisi", "打通了") == ["聊了多久？例如：打通了 5分钟 想要报价"]
    assert not await CallRecord.exists()
    assert await chat.say("lisi", "打通了 2分钟") == ["已记通话：张总，接通 2分钟。"]


async def test_wrong_input_says_what_to_type(chat: Chat) -> None:
    assert await chat.say("lisi", "记通话 张总") == [
        "请按这个格式写：记通话 客户 时长 内容，例如：记通话 张总 15分钟 想要报价 下周三回访"
    ]
    assert await chat.say("lisi", "拨打 钱总") == [
        "没有找到客户「钱总」。可以先「新建客户 钱总 手机号」，或写全名再试。"
    ]
    assert not await CallRecord.exists()


async def test_two_customers_answering_to_the_name_are_shown_not_guessed(chat: Chat) -> None:
    await customer("张伟", "13900000000", "海星贸易")
    assert await chat.say("lisi", "记通话 张经理 5分钟") == [
        "「张经理」有 2 位客户，请写全名再说一次：\n1. 张总（星辰科技）\n2. 张伟（海星贸易）"
    ]
    assert not await CallRecord.exists()


async def test_a_colleague_who_does_not_own_the_customer_does_not_see_the_number(
    chat: Chat,
) -> None:
    assert await chat.say("wangwu", "拨打 张总") == [
        "「张总」的电话只有负责人和管理员能看到，请找负责人联系。"
    ]


async def test_without_the_module_the_commands_are_not_sold(
    settings: Settings, clock: FrozenClock
) -> None:
    async with call_chat(settings, clock, plan=None) as chat:
        [reply] = await chat.say("lisi", "记通话 张总 5分钟")
        assert "呼叫中心" in reply
        assert not await CallRecord.exists()


@pytest.mark.parametrize(
    "text",
    [
        "记通话 张总 99999分钟",
        "记通话 张总 5分钟 昨天回访",
        "记通话 张总 <b>5分钟</b> *报价*",
        "拨打 " + "张" * 300,
        "记通话 张总 0秒",
        "通话统计 下辈子",
        "记通话",
        "拨打",
    ],
)
async def test_odd_input_gets_one_polite_reply(chat: Chat, text: str) -> None:
    [reply] = await chat.say("zhangsan", text)
    assert "Traceback" not in reply and "Error" not in reply
    assert await chat.say("lisi", "我的通话") != []
