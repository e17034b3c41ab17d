"""Follow-ups typed the way people type them, through the simulator on a frozen Monday 10:00
in Shanghai: by description instead of number, a numbered pick when several fit, the open
ones listed when none does, and the canonical forms beside them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer, frozen_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.followups import Followup, FollowupStatus


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened


async def plan(chat: Chat, *sentences: str) -> None:
    for sentence in sentences:
        [reply] = await chat.say("lisi", sentence)
        assert reply.startswith("好的，已安排跟进"), reply


async def status_of(number: int) -> FollowupStatus:
    return (await Followup.get(number=number)).status


async def test_a_described_reminder_is_postponed_not_created(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我给王经理打电话")
    assert await chat.say("lisi", "王经理那个提醒往后延两天") == [
        "已把跟进 #1 改到 11月26日（周四）15:00。"
    ]
    assert await Followup.all().count() == 1
    # Nothing is left waiting for a time: the next message is understood on its own.
    assert await chat.say("lisi", "我的待办") == [
        "你的待办（1 条）：\n#1 11月26日（周四）15:00 给王经理打电话"
    ]


async def test_a_visit_is_pointed_at_like_any_follow_up(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我拜访何总", "周三上午10点提醒我拜访孙经理")
    assert await chat.say("lisi", "何总的拜访改到周四") == [
        "已把跟进 #1 改到 11月26日（周四）15:00。"
    ]
    [done] = await chat.say("lisi", "孙经理的拜访已经去过了")
    assert await status_of(2) is FollowupStatus.DONE, done
    [dropped] = await chat.say("lisi", "拜访何总的事不用了")
    assert await status_of(1) is FollowupStatus.CANCELLED, dropped
    assert await Followup.all().count() == 2


async def test_postpone_by_number_in_natural_words(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我回访张总", "周三上午10点提醒我发报价单", "周五提醒我寄合同")
    assert await chat.say("lisi", "3号那个推到明天") == ["已把跟进 #3 改到 11月24日（周二）09:00。"]
    assert await chat.say("lisi", "推迟第2条到下周一") == [
        "已把跟进 #2 改到 11月30日（周一）10:00。"
    ]
    assert await chat.say("lisi", "推迟 1 到周五") == ["已把跟进 #1 改到 11月27日（周五）15:00。"]
    assert await chat.say("lisi", "报价那个延后2小时") == [
        "已把跟进 #2 改到 11月30日（周一）12:00。"
    ]


async def test_complete_by_description_and_by_number(chat: Chat) -> None:
    await add_customer("张伟")
    await plan(chat, "明天下午3点提醒我回访张总", "周三上午10点提醒我发报价单", "周四提醒我寄样品")
    assert await chat.say("lisi", "张总那个搞定了") == ["已完成跟进 #1：回访张总"]
    assert await chat.say("lisi", "完成第2条") == ["已完成跟进 #2：发报价单"]
    assert await chat.say("lisi", "完成 3 已寄出") == ["已完成跟进 #3：寄样品（已寄出）"]
    assert [await status_of(n) for n in (1, 2, 3)] == [FollowupStatus.DONE] * 3


async def test_done_moved_and_dropped_in_more_words(chat: Chat) -> None:
    await add_customer("张伟")
    await plan(
        chat, "明天下午3点提醒我回访张总", "周三上午10点提醒我给李总打电话", "周四提醒我寄样品"
    )
    assert await chat.say("lisi", "明天回访张总那个改成后天") == [
        "已把跟进 #1 改到 11月25日（周三）15:00。"
    ]
    assert await chat.say("lisi", "把寄样品的时间往后调一天") == [
        "已把跟进 #3 改到 11月27日（周五）09:00。"
    ]
    assert await chat.say("lisi", "给李总打电话那个不用提醒了") == ["已取消跟进 #2：给李总打电话"]
    assert await chat.say("lisi", "张总回访过了") == ["已完成跟进 #1：回访张总"]
    assert await chat.say("lisi", "第3个待办不用做了") == ["已取消跟进 #3：寄样品"]


async def test_deleting_one_by_its_number(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我回访张总", "周三上午10点提醒我发报价单")
    assert await chat.say("lisi", "删掉2号待办") == ["已取消跟进 #2：发报价单"]
    assert await chat.say("lisi", "把第1条提醒删了吧") == ["已取消跟进 #1：回访张总"]


async def test_the_latest_one_and_a_spelled_out_number(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我回访张总", "周三上午10点提醒我发报价单", "周四提醒我寄样品")
    # 刚才那条 is the newest open one; 第二个 is number 2
    assert await chat.say("lisi", "刚才那条待办撤销") == ["已取消跟进 #3：寄样品"]
    assert await chat.say("lisi", "第二个跟进任务结束了") == ["已完成跟进 #2：发报价单"]
    assert await chat.say("lisi", "上一条打个勾") == ["已完成跟进 #1：回访张总"]
    assert [await status_of(n) for n in (1, 2, 3)] == [
        FollowupStatus.DONE,
        FollowupStatus.DONE,
        FollowupStatus.CANCELLED,
    ]


async def test_a_reason_before_the_reference_and_a_result_after_it(chat: Chat) -> None:
    await add_customer("周磊")
    await plan(chat, "明天下午3点提醒我回访周磊", "周三上午10点提醒我给陈老师发资料")
    assert await chat.say("lisi", "周磊已经签了，回访的提醒不需要了") == ["已取消跟进 #1：回访周磊"]
    assert await chat.say("lisi", "给陈老师发资料那个可以勾掉了，已经发过去了") == [
        "已完成跟进 #2：给陈老师发资料（已经发过去了）"
    ]
    assert (await status_of(1), await status_of(2)) == (
        FollowupStatus.CANCELLED,
        FollowupStatus.DONE,
    )


async def test_cancel_by_description_narrowed_by_its_day(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我给张总打电话", "周五下午3点提醒我给张总打电话")
    assert await chat.say("lisi", "取消明天给张总打电话的提醒") == ["已取消跟进 #1：给张总打电话"]
    assert (await status_of(1), await status_of(2)) == (
        FollowupStatus.CANCELLED,
        FollowupStatus.OPEN,
    )


async def test_a_reminder_no_longer_needed_is_cancelled_not_set_again(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我回访张总", "周五上午10点提醒我给李总发报价")
    assert await chat.say("lisi", "明天回访张总的提醒不用了") == ["已取消跟进 #1：回访张总"]
    assert await chat.say("lisi", "给李总发报价那个提醒作废") == ["已取消跟进 #2：给李总发报价"]
    assert (await status_of(1), await status_of(2)) == (
        FollowupStatus.CANCELLED,
        FollowupStatus.CANCELLED,
    )
    assert await Followup.all().count() == 2  # no new reminder was made of either


async def test_several_fit_and_the_next_message_picks(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我给张总打电话", "周五上午10点提醒我给张总发报价")
    assert await chat.say("lisi", "张总那个搞定了") == [
        "有 2 条跟进对得上「张总」，是哪一条？\n"
        "1. #1 11月24日（周二）15:00 给张总打电话\n"
        "2. #2 11月27日（周五）10:00 给张总发报价\n"
        "请回复序号选择，回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "7") == ["请回复 1 到 2 之间的序号，或回复「取消」放弃。"]
    assert await chat.say("lisi", "2") == ["已完成跟进 #2：给张总发报价"]
    assert (await status_of(1), await status_of(2)) == (FollowupStatus.OPEN, FollowupStatus.DONE)


async def test_a_pick_can_be_dropped(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我给张总打电话", "周五上午10点提醒我给张总发报价")
    await chat.say("lisi", "张总那个提醒往后延一天")
    assert await chat.say("lisi", "算了") == ["好的，什么都没改。"]
    assert [(f.number, f.due_at) for f in await Followup.all().order_by("number")] == [
        (1, MONDAY_10AM.replace(day=24, hour=7)),
        (2, MONDAY_10AM.replace(day=27, hour=2)),
    ]


async def test_nothing_fits_and_the_open_ones_are_listed(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我回访张总")
    assert await chat.say("lisi", "李总那个搞定了") == [
        "没找到对得上「李总」的跟进。你没完成的有：\n"
        "#1 11月24日（周二）15:00 回访张总\n"
        "请发送带编号的命令，例如：完成 1"
    ]
    assert await status_of(1) == FollowupStatus.OPEN


async def test_nothing_open_at_all(chat: Chat) -> None:
    assert await chat.say("lisi", "取消王经理那个提醒") == [
        "没找到对得上「王经理」的跟进，你也没有没完成的跟进。"
    ]


async def test_a_reminder_said_with_jiao_wo_and_a_deadline(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "明早九点叫我给王经理打电话")
    assert reply.startswith("好的，已安排跟进 #1：11月24日（周二）09:00 给王经理打电话\n")
    [reply] = await chat.say("lisi", "周五前记得把报价发给李总")
    assert reply.startswith("好的，已安排跟进 #2：11月27日（周五）09:00 把报价发给李总\n")
    assert await Followup.all().count() == 2


async def test_lists_in_natural_words(chat: Chat, clock: FrozenClock) -> None:
    await plan(chat, "今天下午4点提醒我回访张总", "周三上午9点提醒我发报价单")
    mine = (
        "你的待办（2 条）：\n#1 11月23日（周一）16:00 回访张总\n#2 11月25日（周三）09:00 发报价单"
    )
    for said in ("我的待办", "我还有哪些待办", "看看我的提醒", "待办"):
        assert await chat.say("lisi", said) == [mine], said
    today = "今天要跟进（含逾期，1 条）：\n#1 11月23日（周一）16:00 回访张总"
    for said in ("今天跟进", "今天有什么要跟进的", "今天的待办", "今天我该回访谁"):
        assert await chat.say("lisi", said) == [today], said
    [page] = await chat.say("lisi", "提醒怎么用")
    assert page.startswith("【跟进】")
    for said in ("跟进记录要怎么写", "设置提醒的格式是什么"):
        assert await chat.say("lisi", said) == [page], said


async def test_talk_about_reminding_is_not_a_reminder(chat: Chat) -> None:
    # someone else reminded, or advice in passing: nothing is set and nothing asks for a time
    for said in ("HR提醒我交体检报告", "领导提醒大家注意着装", "外面下雨了，记得带伞"):
        [reply] = await chat.say("lisi", said)
        assert not reply.startswith("好的，已安排跟进"), said
        assert "什么时候" not in reply, said
    assert await Followup.all().count() == 0
    # the same words asked of the bot still set one
    await plan(chat, "下周一之前，记得把合同发给王总")
    assert await Followup.all().count() == 1


async def test_a_follow_up_verb_with_a_time_sets_one_without_the_word_reminder(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "回访罗伟，明天上午十点")
    assert reply.startswith("好的，已安排跟进"), reply
    [followup] = await Followup.all()
    assert followup.content == "回访罗伟"
    # done already: news, not a request
    [reply] = await chat.say("lisi", "我今天回访了三个客户")
    assert not reply.startswith("好的，已安排跟进")
    assert await Followup.all().count() == 1


async def test_said_again_later(chat: Chat) -> None:
    await plan(chat, "明天下午3点提醒我回访张总", "周三上午10点提醒我发报价单")
    assert await chat.say("lisi", "第1条晚半小时再提醒我") == [
        "已把跟进 #1 改到 11月24日（周二）15:30。"
    ]
    assert await chat.say("lisi", "这个先不弄，周五再提醒我") == [
        "已把跟进 #2 改到 11月27日（周五）10:00。"
    ]
    assert await Followup.all().count() == 2
