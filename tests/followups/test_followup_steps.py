"""The time question never traps anyone, and a reminder just made can be corrected: through
the simulator on a frozen Monday 10:00 in Shanghai."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, frozen_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.conversations import ConversationState
from models.followups import Followup, RecurringRule

ASK = "什么时候提醒你「回访王老师」？例如：明天下午3点、周五上午10点。回复「取消」放弃。"
AGAIN = "没看懂时间。请回复例如：明天下午3点、后天上午9点，或回复「取消」放弃。"
GAVE_UP = "还是没看懂时间，「回访王老师」先不安排了。想好了再说，例如：明天下午3点提醒我回访王老师"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened


async def in_a_step() -> bool:
    return await ConversationState.filter(state__isnull=False).exists()


async def test_a_second_answer_that_is_no_time_ends_the_question(chat: Chat) -> None:
    assert await chat.say("lisi", "提醒我回访王老师") == [ASK]
    assert await chat.say("lisi", "随便吧") == [AGAIN]
    assert await chat.say("lisi", "我也不知道") == [GAVE_UP]
    assert not await in_a_step()
    # A time now is just a time, not an answer to a question that is over.
    [reply] = await chat.say("lisi", "后天上午10点")
    assert not reply.startswith("好的，已安排跟进")
    assert await Followup.all().count() == 0


@pytest.mark.parametrize("word", ["取消", "算了", "不用了"])
async def test_cancel_words_always_end_the_question(chat: Chat, word: str) -> None:
    await chat.say("lisi", "提醒我回访王老师")
    assert await chat.say("lisi", word) == ["好的，没有安排这条跟进。"]
    assert not await in_a_step()
    await chat.say("lisi", "提醒我回访王老师")
    await chat.say("lisi", "随便吧")
    assert await chat.say("lisi", word) == ["好的，没有安排这条跟进。"]
    assert await Followup.all().count() == 0


async def test_a_command_during_the_question_runs_and_ends_it(chat: Chat) -> None:
    await chat.say("lisi", "提醒我回访王老师")
    await chat.say("lisi", "随便吧")
    replies = await chat.say("lisi", "我的待办")
    assert replies[-1] == "你没有待办的跟进。试试发送「明天下午3点提醒我回访张总」。"
    assert not await in_a_step()


async def test_a_described_postpone_during_the_question_is_a_postpone(chat: Chat) -> None:
    await chat.say("lisi", "明天下午3点提醒我给王经理打电话")
    await chat.say("lisi", "提醒我回访王老师")
    replies = await chat.say("lisi", "王经理那个提醒往后延两天")
    assert replies[-1] == "已把跟进 #1 改到 11月26日（周四）15:00。"
    assert await Followup.all().count() == 1


async def test_a_new_reminder_instead_of_the_answer_is_made_as_said(chat: Chat) -> None:
    await chat.say("lisi", "提醒我回访王老师")
    replies = await chat.say("lisi", "明天下午3点提醒我给李总打电话")
    assert replies[0] == "「回访王老师」先不安排了，按你新说的来："
    assert replies[1].startswith("好的，已安排跟进 #1：11月24日（周二）15:00 给李总打电话\n")
    assert [f.content for f in await Followup.all()] == ["给李总打电话"]


async def test_a_time_as_the_answer_still_makes_the_reminder(chat: Chat) -> None:
    await chat.say("lisi", "提醒我回访王老师")
    await chat.say("lisi", "随便吧")
    [reply] = await chat.say("lisi", "明天下午3点提醒我")
    assert reply.startswith("好的，已安排跟进 #1：11月24日（周二）15:00 回访王老师\n")


async def test_a_correction_moves_the_day_and_keeps_the_hour(chat: Chat) -> None:
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    assert await chat.say("lisi", "不对，是下周四") == [
        "好的，已把跟进 #1「回访张总」改到 12月3日（周四）15:00。"
    ]
    followup = await Followup.get(number=1)
    assert (followup.content, followup.due_at, followup.remind_at) == (
        "回访张总",
        MONDAY_10AM + timedelta(days=10, hours=5),
        MONDAY_10AM + timedelta(days=10, hours=5),
    )


async def test_a_correction_moves_the_hour_and_keeps_the_day(chat: Chat) -> None:
    await chat.say("lisi", "周三上午10点提醒我寄合同")
    assert await chat.say("lisi", "改成3点") == [
        "好的，已把跟进 #1「寄合同」改到 11月25日（周三）15:00。"
    ]
    assert await chat.say("lisi", "错了，应该是下午4点半") == [
        "好的，已把跟进 #1「寄合同」改到 11月25日（周三）16:30。"
    ]


async def test_a_correction_touches_only_the_latest_reminder(chat: Chat) -> None:
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    await chat.say("lisi", "周五上午10点提醒我寄合同")
    assert await chat.say("lisi", "改成下午2点") == [
        "好的，已把跟进 #2「寄合同」改到 11月27日（周五）14:00。"
    ]
    assert (await Followup.get(number=1)).due_at == MONDAY_10AM + timedelta(days=1, hours=5)


async def test_too_late_for_a_correction(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    clock.advance(timedelta(minutes=11))
    assert await chat.say("lisi", "改成4点") == [
        "没有刚安排的提醒可以改（只能改 10 分钟内新建的）。"
        "要改时间请发送「推迟 编号 到周五」，发送「我的待办」查看编号。"
    ]
    assert (await Followup.get(number=1)).due_at == MONDAY_10AM + timedelta(days=1, hours=5)


async def test_a_correction_to_a_time_already_past_is_refused(chat: Chat) -> None:
    await chat.say("lisi", "今天下午3点提醒我回访张总")
    assert await chat.say("lisi", "改成8点") == [
        "11月23日（周一）08:00 已经过去了，请说一个以后的时间，例如：明天下午3点。"
    ]


async def test_a_recurring_reminder_just_set_takes_a_new_hour(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    clock.advance(timedelta(minutes=1))
    await chat.say("lisi", "每周一早上9点提醒我写周报")
    assert await chat.say("lisi", "改成8点半") == [
        "好的，周期提醒 #1「写周报」改为 每周一 08:30，下次提醒：11月30日（周一）08:30。"
    ]
    rule = await RecurringRule.get(number=1)
    assert rule.minute_of_day == 510
    assert (await Followup.get(number=1)).due_at == MONDAY_10AM + timedelta(days=1, hours=5)
    assert await chat.say("lisi", "不对，是周二") == [
        "周期提醒只能这样改时间（例如：改成8点）；要换日子请「停止周期提醒 1」后重新设。"
    ]
