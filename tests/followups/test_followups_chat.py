"""Follow-ups in chat as transcripts, on a frozen Monday 10:00 in Shanghai, errors included."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer, frozen_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.tenants import TenantInfo
from models.crm.customers import Customer, CustomerNote, NoteKind
from models.followups import Followup, FollowupStatus

HOW_TO = "要改时间发送「推迟 {n} 到周五」，不要了发送「取消 {n}」。"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened


def created(n: int, when: str, content: str, customer: str) -> list[str]:
    return [f"好的，已安排跟进 #{n}：{when} {content}\n客户：{customer}\n" + HOW_TO.format(n=n)]


async def test_a_sentence_becomes_a_follow_up_on_the_right_customer(chat: Chat) -> None:
    zhang = await add_customer("张伟", company="华夏科技")
    assert await chat.say("lisi", "明天下午3点提醒我回访张总") == created(
        1, "11月24日（周二）15:00", "回访张总", "张伟"
    )
    followup = await Followup.get(number=1)
    assert (followup.customer_id, followup.status, followup.source_text) == (
        zhang.id,
        FollowupStatus.OPEN,
        "明天下午3点提醒我回访张总",
    )
    assert (await Customer.get(id=zhang.id)).next_followup_at == followup.due_at
    [card] = await chat.say("lisi", "查客户 张伟")
    assert "下次跟进：2026-11-24 15:00" in card


async def test_two_customers_fit_and_the_next_message_chooses(chat: Chat) -> None:
    await add_customer("张伟", company="华夏科技")
    qiang = await add_customer("张强")
    assert await chat.say("lisi", "周五提醒我给张总打电话") == [
        "有 2 位客户叫「张总」，这条跟进是哪一位的？\n1. 张伟（华夏科技）\n2. 张强\n"
        "请回复序号选择，回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "5") == ["请回复 1 到 2 之间的序号，或回复「取消」放弃。"]
    assert await chat.say("lisi", "2") == created(
        1, "11月27日（周五）09:00", "给张总打电话", "张强"
    )
    assert (await Followup.get(number=1)).customer_id == qiang.id


async def test_a_choice_can_be_abandoned(chat: Chat) -> None:
    await add_customer("张伟")
    await add_customer("张强")
    await chat.say("lisi", "明天提醒我回访张总")
    assert await chat.say("lisi", "取消") == ["好的，没有安排这条跟进。"]
    assert await Followup.all().count() == 0


async def test_without_a_time_the_bot_asks_for_one(chat: Chat) -> None:
    assert await chat.say("lisi", "提醒我回访王老师") == [
        "什么时候提醒你「回访王老师」？例如：明天下午3点、周五上午10点。回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "随便吧") == [
        "没看懂时间。请回复例如：明天下午3点、后天上午9点，或回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "后天上午10点") == created(
        1, "11月25日（周三）10:00", "回访王老师", "没找到客户「王老师」，这条跟进没有关联客户"
    )


async def test_a_time_already_past_is_refused(chat: Chat) -> None:
    assert await chat.say("lisi", "今天上午8点提醒我回访张总") == [
        "11月23日（周一）08:00 已经过去了，请说一个以后的时间，例如：明天下午3点。"
    ]
    assert await Followup.all().count() == 0


async def test_text_nobody_recognises_gets_the_help_hint(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "今天天气不错")
    assert reply.startswith("没听懂「今天天气不错」。\n")
    assert await Followup.all().count() == 0


async def test_help_points_to_the_follow_up_page(chat: Chat) -> None:
    [main] = await chat.say("lisi", "帮助")
    assert main.endswith("跟进提醒的用法发送「跟进帮助」。")
    [page] = await chat.say("lisi", "跟进帮助")
    assert page.startswith("【跟进】\n· 直接说：明天下午3点提醒我回访张总")


async def test_my_list_and_today(chat: Chat, clock: FrozenClock) -> None:
    assert await chat.say("lisi", "我的待办") == [
        "你没有待办的跟进。试试发送「明天下午3点提醒我回访张总」。"
    ]
    assert await chat.say("lisi", "今天跟进") == ["今天没有要跟进的事。"]
    await add_customer("张伟")
    await chat.say("lisi", "今天下午4点提醒我回访张总")
    await chat.say("lisi", "周三上午9点提醒我发报价单")
    assert await chat.say("lisi", "我的待办") == [
        "你的待办（2 条）：\n#1 11月23日（周一）16:00 回访张总（张伟）\n"
        "#2 11月25日（周三）09:00 发报价单"
    ]
    clock.set(MONDAY_10AM.replace(hour=9))  # 17:00 in Shanghai
    assert await chat.say("lisi", "今天跟进") == [
        "今天要跟进（含逾期，1 条）：\n#1 11月23日（周一）16:00 回访张总（张伟）（已逾期）"
    ]


async def test_done_with_a_note_lands_in_the_customer_timeline(chat: Chat) -> None:
    zhang = await add_customer("张伟")
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    assert await chat.say("lisi", "完成 1 已报价，客户考虑中") == [
        "已完成跟进 #1：回访张总（已报价，客户考虑中）"
    ]
    followup = await Followup.get(number=1)
    assert (followup.status, followup.result_note) == (FollowupStatus.DONE, "已报价，客户考虑中")
    [note] = await CustomerNote.filter(customer_id=zhang.id, kind=NoteKind.FOLLOWUP)
    assert note.text == "#1 回访张总：已报价，客户考虑中"
    assert (await Customer.get(id=zhang.id)).next_followup_at is None
    assert await chat.say("lisi", "完成 1") == ["跟进 #1 已完成，不能再改。"]


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("完成", "请写跟进编号，例如：完成 3 已报价，客户考虑中"),
        ("完成 9", "没有编号为 9 的跟进。发送「我的待办」查看编号。"),
        ("推迟 1", "请写编号和新时间，例如：推迟 3 到周五"),
        ("推迟 1 到改天", "没看懂「改天」这个时间，例如：推迟 3 到周五、推迟 3 到明天下午4点"),
        ("取消", "请写跟进编号，例如：取消 3"),
        (
            "把1转给小明",
            "没找到同事「小明」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
            "也可以写企业微信账号，例如：lisi",
        ),
    ],
)
async def test_commands_on_a_number_explain_what_to_type(
    chat: Chat, said: str, answer: str
) -> None:
    await chat.say("lisi", "明天下午3点提醒我打电话")
    assert await chat.say("lisi", said) == [answer]


async def test_postpone_keeps_the_hour_and_cancel_closes(chat: Chat) -> None:
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    assert await chat.say("lisi", "推迟 1 到周五") == ["已把跟进 #1 改到 11月27日（周五）15:00。"]
    assert await chat.say("lisi", "取消 1") == ["已取消跟进 #1：回访张总"]
    assert (await Followup.get(number=1)).status == FollowupStatus.CANCELLED
    assert await chat.say("lisi", "推迟 1 到周六") == ["跟进 #1 已取消，不能再改。"]


async def test_only_the_owner_or_an_admin_changes_a_follow_up(chat: Chat) -> None:
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    assert await chat.say("wangwu", "取消 1") == ["跟进 #1 是 lisi 的，只有他本人或管理员可以改。"]
    assert await chat.say("zhangsan", "推迟 1 到明天下午5点") == [
        "已把跟进 #1 改到 11月24日（周二）17:00。"
    ]


async def test_hand_a_follow_up_to_a_colleague(chat: Chat) -> None:
    await chat.say("wangwu", "帮助")  # wangwu has talked to the bot, so has a row
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    assert await chat.say("lisi", "把1转给wangwu") == ["已把跟进 #1 转给 wangwu。"]
    assert chat.sent_to("wangwu") == ["lisi 把跟进 #1 转给了你：11月24日（周二）15:00 回访张总"]
    assert await chat.say("wangwu", "我的待办") == [
        "你的待办（1 条）：\n#1 11月24日（周二）15:00 回访张总"
    ]


async def test_admins_see_the_team_and_the_overdue(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "今天中午12点提醒我回访张总")
    await chat.say("wangwu", "明天提醒我寄合同")
    assert await chat.say("lisi", "团队待办") == ["仅管理员可用"]
    assert await chat.say("lisi", "逾期") == ["仅管理员可用"]
    assert await chat.say("zhangsan", "团队待办") == [
        "团队待办（2 条）：\n#1 11月23日（周一）12:00 回访张总 — lisi\n"
        "#2 11月24日（周二）09:00 寄合同 — wangwu"
    ]
    assert await chat.say("zhangsan", "逾期") == ["没有逾期的跟进。"]
    clock.set(MONDAY_10AM.replace(hour=5))  # 13:00 in Shanghai
    assert await chat.say("zhangsan", "逾期") == [
        "逾期的跟进（1 条）：\n#1 11月23日（周一）12:00 回访张总（已逾期） — lisi"
    ]


async def test_a_known_name_without_a_title_is_found_by_the_segmenter(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    # In the book before start-up, so in the segmenter's dictionary.
    chen = await add_customer("陈晓明", tenant_id=tenant.id)
    async with frozen_chat(settings, clock) as chat:
        assert await chat.say("lisi", "周五上午10点提醒我和陈晓明吃饭") == created(
            1, "11月27日（周五）10:00", "和陈晓明吃饭", "陈晓明"
        )
    assert (await Followup.get(number=1)).customer_id == chen.id
