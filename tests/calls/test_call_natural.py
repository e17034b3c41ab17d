"""Call commands typed the way people talk, as transcripts on a frozen Monday 10:00
(2026-11-23) in Shanghai: a call told with 打过电话了, the number asked for, one's own
figures and the ranking with filler words, and the settings looked at (admins)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.calls import call_chat, customer
from support.crm import Chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallRecord, Disposition
from models.tenants import Employee


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        lisi = await Employee.get(userid="lisi")
        await customer("张总", "13800000000", "星辰科技", owner=lisi.id)
        yield opened


async def test_a_call_told_with_le_after_the_phone(chat: Chat) -> None:
    assert await chat.say("lisi", "上午给张总打过电话了，没人接") == ["已记通话：张总，未接通。"]
    call = await CallRecord.get()
    assert call.disposition is Disposition.MISSED


async def test_the_number_asked_for_is_given_to_tap(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "张总电话多少，我打一下")
    assert reply.startswith('张总（星辰科技） <a href="tel:13800000000">')


async def test_talk_about_calling_dials_nobody(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "打电话的时候信号老断")
    assert reply.startswith("没听懂「打电话的时候信号老断」")
    [dialled] = await chat.say("lisi", "打电话给张总")
    assert dialled.startswith('张总（星辰科技） <a href="tel:13800000000">')


@pytest.mark.parametrize("said", ["我的通话情况", "我的通话记录 本周", "看下我今天的通话统计"])
async def test_own_figures_with_filler_words(chat: Chat, said: str) -> None:
    [reply] = await chat.say("lisi", said)
    assert reply.startswith("你") and reply.endswith("还没有通话记录。")


@pytest.mark.parametrize("said", ["通话排行榜", "通话排行 按有效时长 本周", "这周谁打的电话最多"])
async def test_the_ranking_with_filler_words(chat: Chat, said: str) -> None:
    [reply] = await chat.say("zhangsan", said)
    assert reply.endswith("还没有通话记录。")


@pytest.mark.parametrize("said", ["通话设置看一下", "看看现在的通话设置"])
async def test_the_settings_looked_at(chat: Chat, said: str) -> None:
    [reply] = await chat.say("zhangsan", said)
    assert reply.startswith("通话设置：有效通话 ≥60秒")


async def test_the_threshold_said_as_a_rule(chat: Chat) -> None:
    assert await chat.say("zhangsan", "接通满90秒才算有效通话") == [
        "已保存：接通且通话不少于 90 秒算有效通话，历史统计也按这个标准重算。"
    ]
