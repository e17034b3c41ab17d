"""A missed call's card (回拨, and 新建客户 for an unknown number), 回拨 0003 in chat and in
natural words, and the outcome said after it completing the callback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.calls import call_chat, customer, event, post_event, with_secret
from support.crm import Chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallRecord, Disposition
from models.followups import Followup, FollowupStatus
from models.tenants import Employee

MISSED = {"end_at": "2026-11-23T10:00:30+08:00"}


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        lisi = await Employee.get(userid="lisi")
        await customer("张总", "13800000000", "星辰科技", owner=lisi.id)
        await with_secret()
        yield opened


async def missed(chat: Chat, call_id: str, number: str = "+86 138-0000-0000") -> list[str]:
    since = await chat.sim.sent_count()
    await post_event(chat, event(call_id, "ringing", **{"from": number}))
    await post_event(chat, event(call_id, "ended", **MISSED, **{"from": number}))
    await chat.settle(since)
    return chat.sent_to("lisi")


async def press(chat: Chat, user: str, key: str) -> list[str]:
    await chat.event(
        {
            "Event": "template_card_event",
            "FromUserName": user,
            "EventKey": key,
            "TaskId": "t",
            "CardType": "button_interaction",
            "ResponseCode": "code-1",
        }
    )
    return chat.sent_to(user)


def dial_reply(seq: int, name: str, number: str, shown: str) -> str:
    return (
        f'回拨 #{seq}：{name} <a href="tel:{number}">{shown}</a>（点击号码拨打）\n'
        "打完回复「打通了 5分钟 内容」或「没打通」，打通即完成回拨。"
    )


async def test_a_missed_call_sends_its_card_and_call_back_completes_the_callback(
    chat: Chat, clock: FrozenClock
) -> None:
    sent = await missed(chat, "m-1")
    followup = await Followup.get()
    assert sent[-1] == (
        f"【未接来电 138 0000 0000】\n张总 · 10:00 · 回拨 #{followup.number}\n[回拨]"
    )
    seq = followup.number
    assert await chat.say("lisi", f"回拨 {seq:04d}") == [
        dial_reply(seq, "张总", "13800000000", "138 0000 0000")
    ]
    clock.advance(timedelta(minutes=4))
    assert await chat.say("lisi", "打通了 3分钟 他要报价") == [
        "已记通话：张总，接通 3分钟，他要报价。\n这个号码的待回拨已完成。"
    ]
    await followup.refresh_from_db()
    assert followup.status is FollowupStatus.DONE
    assert await chat.say("lisi", f"回拨 {seq}") == [f"回拨 #{seq} 已经完成了。"]


async def test_a_callback_not_reached_stays_open(chat: Chat) -> None:
    await missed(chat, "m-2")
    seq = (await Followup.get()).number
    await chat.say("lisi", f"回拨一下{seq}号")
    assert await chat.say("lisi", "没打通") == [
        f"已记通话：张总，未接通。\n回拨 #{seq} 还没完成，稍后再打。"
    ]
    assert (await Followup.get()).status is FollowupStatus.OPEN
    assert await chat.say("lisi", "未回拨") != ["没有待回拨的未接来电。"]


@pytest.mark.parametrize(
    "said",
    ["回拨 {n}", "回拨 000{n}", "帮我回拨第{n}个未接来电", "给{n}号回个电话", "回电话给 #{n}"],
)
async def test_call_back_in_natural_words(chat: Chat, said: str) -> None:
    await missed(chat, "m-3")
    seq = (await Followup.get()).number
    [answer] = await chat.say("lisi", said.format(n=seq))
    assert answer.startswith(f"回拨 #{seq}：张总 ")


async def test_only_the_owner_or_an_admin_calls_back_and_unknown_numbers_are_said(
    chat: Chat,
) -> None:
    await missed(chat, "m-4")
    seq = (await Followup.get()).number
    assert await chat.say("wangwu", f"回拨 {seq}") == [f"回拨 #{seq} 由 李四 负责。"]
    [admin] = await chat.say("zhangsan", f"回拨 {seq}")
    assert admin.startswith(f"回拨 #{seq}：张总 ")
    assert await chat.say("lisi", "回拨 99") == ["没有编号 99 的待回拨。发送「未回拨」查看。"]
    assert await chat.say("lisi", "回拨") == [
        "请写待回拨的编号，例如：回拨 0003（发送「未回拨」查看编号）"
    ]


async def test_an_unknown_numbers_card_offers_new_customer_and_call_back_buttons(
    chat: Chat, clock: FrozenClock
) -> None:
    sent = await missed(chat, "m-5", "13912345678")
    followup = await Followup.get()
    call = await CallRecord.get()
    assert sent[-1] == (
        f"【未接来电 139 1234 5678】\n未知号码 · 10:00 · 回拨 #{followup.number}\n[回拨] [新建客户]"
    )
    assert await press(chat, "lisi", f"call:customer:{call.id}") == [
        "新建这个号码的客户，请发送：新建客户 姓名 13912345678\n例如：新建客户 王先生 13912345678"
    ]
    answer = await press(chat, "lisi", f"call:callback:{followup.id}")
    assert dial_reply(followup.number, "未知号码", "13912345678", "139 1234 5678") in answer
    clock.advance(timedelta(minutes=2))
    assert await chat.say("lisi", "打通了 1分钟") == [
        "已记通话：139 1234 5678，接通 1分钟。\n这个号码的待回拨已完成。"
    ]
    back = await CallRecord.filter(id__gt=call.id).get()
    assert (back.number, back.customer_id, back.disposition) == (
        "13912345678",
        None,
        Disposition.ANSWERED,
    )
    assert await press(chat, "lisi", "call:callback:notanumber") == []
