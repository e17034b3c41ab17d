"""Reminders under failure, on a frozen clock: on time, once, late after downtime, escalated,
claimed by one of two sweeps, recovered from a crashed claim, and the card's buttons."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from support.crm import Chat
from support.followups import MONDAY_10AM, add_customer, frozen_chat, sweep_of

from bot.clock import FrozenClock
from bot.config import Settings
from bot.followups.digest import daily_digest
from bot.wecom.client import WeComAPIError
from bot.wecom_sim.control import SimulatorControlError
from bot.workdays import is_working_day
from models.followups import Followup, FollowupStatus, ReminderStatus

DUE = MONDAY_10AM + timedelta(hours=5)  # 15:00 in Shanghai
BUTTONS = "[完成] [推迟1小时] [明天再提醒]"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with frozen_chat(settings, clock) as opened:
        yield opened
        await opened.embedded.runtime.tasks.drain()


async def sweep(chat: Chat, clock: FrozenClock) -> list[dict[str, Any]]:
    since = await chat.sim.sent_count()
    await sweep_of(chat, clock).run()
    return await chat.settle(since)


def texts(records: list[dict[str, Any]], user: str) -> list[str]:
    chat_view = Chat.__new__(Chat)
    chat_view.last = records
    return chat_view.sent_to(user)


async def planned(chat: Chat) -> Followup:
    await add_customer("张伟")
    await chat.say("lisi", "今天下午3点提醒我回访张总")
    return await Followup.get(number=1)


async def test_a_reminder_card_arrives_at_the_due_time_once(chat: Chat, clock: FrozenClock) -> None:
    await planned(chat)
    clock.set(DUE - timedelta(seconds=1))
    assert await sweep(chat, clock) == []
    clock.set(DUE)
    [record] = await sweep(chat, clock)
    assert record["body"]["msgtype"] == "template_card"
    assert record["body"]["template_card"]["sub_title_text"] == "客户：张伟"
    assert texts([record], "lisi") == [
        f"【跟进提醒 #1】\n11月23日（周一）15:00 回访张总\n{BUTTONS}"
    ]
    assert await sweep(chat, clock) == []
    followup = await Followup.get(number=1)
    assert (followup.sent_at, followup.late, followup.stage) == (DUE, False, 1)


async def test_two_sweeps_at_the_same_moment_send_one_reminder(
    chat: Chat, clock: FrozenClock
) -> None:
    await planned(chat)
    clock.set(DUE)
    since = await chat.sim.sent_count()
    first, second = sweep_of(chat, clock), sweep_of(chat, clock)
    claimed = await asyncio.gather(first.run(), second.run())
    assert sorted(claimed) == [0, 1]
    assert len(await chat.settle(since)) == 1


async def test_a_crashed_claim_expires_and_another_sweep_sends_it(
    chat: Chat, clock: FrozenClock
) -> None:
    followup = await planned(chat)
    clock.set(DUE)
    # A replica claimed the reminder and died before writing anything else.
    await Followup.filter(id=followup.id).update(
        reminder_status=ReminderStatus.SENDING, lease_until=DUE + timedelta(seconds=60)
    )
    assert await sweep(chat, clock) == []
    clock.advance(timedelta(seconds=61))
    assert len(await sweep(chat, clock)) == 1
    assert await sweep(chat, clock) == []


async def test_reminders_due_during_downtime_are_sent_once_and_marked_late(
    chat: Chat, clock: FrozenClock
) -> None:
    await planned(chat)
    clock.set(DUE + timedelta(minutes=95))  # the bot was down from before 15:00 to 16:35
    [record] = await sweep(chat, clock)
    assert "（bot 暂停期间到期，晚了 95 分钟）" in texts([record], "lisi")[0]
    assert (await Followup.get(number=1)).late is True
    assert await sweep(chat, clock) == []


async def test_a_few_minutes_late_is_not_late(chat: Chat, clock: FrozenClock) -> None:
    await planned(chat)
    clock.set(DUE + timedelta(minutes=10))
    [record] = await sweep(chat, clock)
    assert "晚了" not in texts([record], "lisi")[0]
    assert (await Followup.get(number=1)).late is False


async def test_an_open_follow_up_escalates_to_the_owner_then_an_admin(
    chat: Chat, clock: FrozenClock
) -> None:
    await planned(chat)
    clock.set(DUE)
    await sweep(chat, clock)
    clock.set(DUE + timedelta(hours=4))
    assert texts(await sweep(chat, clock), "lisi") == [
        "【跟进逾期】#1 11月23日（周一）15:00 回访张总 还没完成。"
        "发送「完成 1 结果」或「推迟 1 到明天」。"
    ]
    clock.set(DUE + timedelta(hours=8))
    assert texts(await sweep(chat, clock), "zhangsan") == [
        "【跟进逾期】lisi 的跟进 #1（11月23日（周一）15:00 回访张总）已逾期 8 小时仍未完成。"
    ]
    clock.advance(timedelta(days=3))
    assert await sweep(chat, clock) == []
    assert (await Followup.get(number=1)).reminder_status == ReminderStatus.SENT


async def test_a_done_follow_up_is_not_escalated(chat: Chat, clock: FrozenClock) -> None:
    await planned(chat)
    clock.set(DUE)
    await sweep(chat, clock)
    await chat.say("lisi", "完成 1 聊过了")
    clock.set(DUE + timedelta(hours=9))
    assert await sweep(chat, clock) == []


async def press(chat: Chat, user: str, action: str, followup: Followup) -> list[str]:
    # Each press is on a fresh card: WeCom tells retries apart by user, task and key.
    task = f"followup-{followup.id}-{action}-{await chat.sim.sent_count()}"
    await chat.event(
        {
            "Event": "template_card_event",
            "FromUserName": user,
            "EventKey": f"followup:{action}:{followup.id}",
            "TaskId": task,
            "CardType": "button_interaction",
        }
    )
    return chat.sent_to(user)


async def test_the_card_buttons_postpone_and_complete(chat: Chat, clock: FrozenClock) -> None:
    followup = await planned(chat)
    clock.set(DUE)
    await sweep(chat, clock)
    assert await press(chat, "lisi", "later", followup) == [
        "好的，跟进 #1 改到 11月23日（周一）16:00 再提醒你。"
    ]
    clock.set(DUE + timedelta(hours=1))
    assert len(await sweep(chat, clock)) == 1  # the moved reminder comes again
    assert await press(chat, "lisi", "tomorrow", followup) == [
        "好的，跟进 #1 改到 11月24日（周二）16:00 再提醒你。"
    ]
    assert await press(chat, "wangwu", "done", followup) == [
        "跟进 #1 不是你的，只有负责人或管理员可以处理。"
    ]
    assert await press(chat, "lisi", "done", followup) == ["已完成跟进 #1：回访张总"]
    assert (await Followup.get(id=followup.id)).status == FollowupStatus.DONE
    assert await press(chat, "lisi", "later", followup) == ["跟进 #1 已完成，不用再处理。"]
    # Each accepted click greyed its card's buttons out; refused clicks left theirs alone.
    updates = [
        r["body"] for r in await chat.sim.sent() if r["api"] == "message/update_template_card"
    ]
    assert [(u["userids"], u["button"]["replace_name"]) for u in updates] == [
        (["lisi"], "已推迟1小时"),
        (["lisi"], "明天再提醒"),
        (["lisi"], "已完成"),
    ]
    assert all(u["response_code"] for u in updates)


async def test_the_daily_digest_lists_today_and_overdue_on_working_days(
    chat: Chat, clock: FrozenClock
) -> None:
    await planned(chat)
    await chat.say("lisi", "下周一上午10点提醒我寄合同")
    tenant = await chat.embedded.runtime.tenants.get("acme")
    assert tenant is not None
    lease = timedelta(seconds=60)
    assert await daily_digest(tenant, MONDAY_10AM - timedelta(hours=2), lease) == []  # 08:00
    [row] = await daily_digest(tenant, MONDAY_10AM, lease)
    assert row.recipient == "lisi"
    assert row.payload["content"].splitlines()[:2] == [
        "【今日跟进】今天要跟进和已逾期的共 1 条：",
        "#1 11月23日（周一）15:00 回访张总（张伟）",
    ]
    assert await daily_digest(tenant, MONDAY_10AM + timedelta(hours=1), lease) == []  # once
    saturday = MONDAY_10AM + timedelta(days=5)
    assert not is_working_day(saturday.date())
    assert await daily_digest(tenant, saturday, lease) == []


async def test_a_response_code_updates_a_card_once(chat: Chat, clock: FrozenClock) -> None:
    followup = await planned(chat)
    await press(chat, "lisi", "later", followup)
    [update] = [
        r["body"] for r in await chat.sim.sent() if r["api"] == "message/update_template_card"
    ]
    runtime = chat.embedded.runtime
    tenant = await runtime.tenants.get("acme")
    assert runtime.client is not None and tenant is not None
    with pytest.raises(WeComAPIError) as spent:
        await runtime.client.call(tenant.credentials, "message/update_template_card", json=update)
    assert spent.value.errcode == 40058


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 1), False),  # National Day, a Thursday
        (date(2026, 10, 10), True),  # a Saturday worked in exchange (调休)
        (date(2026, 2, 14), True),  # the Saturday before the Spring Festival, worked
        (date(2026, 11, 24), True),  # an ordinary Tuesday
        (date(2026, 11, 28), False),  # an ordinary Saturday
        (date(2031, 1, 4), False),  # a year the calendar does not cover yet: weekends only
        (date(2031, 1, 6), True),
    ],
)
def test_working_days_follow_chinas_public_holidays(day: date, working: bool) -> None:
    assert is_working_day(day) is working


async def test_the_simulator_clicks_a_button_of_the_card_it_delivered(
    chat: Chat, clock: FrozenClock
) -> None:
    followup = await planned(chat)
    clock.set(DUE)
    [record] = await sweep(chat, clock)
    card = record["body"]["template_card"]
    since = await chat.sim.sent_count()
    clicked = await chat.sim.click_card(
        "acme", "lisi", card["task_id"], f"followup:done:{followup.id}"
    )
    assert clicked["status"] == 200
    await chat.settle(since)
    assert chat.sent_to("lisi") == ["已完成跟进 #1：回访张总"]
    [update] = [
        r["body"]
        for r in await chat.sim.sent(since=since)
        if r["api"] == "message/update_template_card"
    ]
    assert (update["response_code"], update["button"]) == (
        clicked["response_code"],
        {"replace_name": "已完成"},
    )
    with pytest.raises(SimulatorControlError) as missing:
        await chat.sim.click_card("acme", "wangwu", card["task_id"], f"followup:done:{followup.id}")
    assert missing.value.status == 404  # the card was never sent to wangwu
