"""Payment-plan reminders and overdue notices: each sent once, to the right people, at the
right tenant-local day, and never for a period the money paid already covers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.orders import order_chat, reminder_sweep, sweep

from bot.clock import FrozenClock
from bot.config import Settings
from models.orders import PaymentInstallment
from models.outbox import OutboxMessage

N1 = "DD-20261123-0001"
REMIND_FIRST = (
    f"【回款提醒】订单 {N1}（星辰科技）第1期 ¥225.00 将于 12月4日（周五）到期，还差 {{left}}。"
    "收到后发送「收款 0001 金额 方式」。"
)
OVERDUE_FIRST = (
    f"【回款逾期】订单 {N1}（星辰科技）第1期 ¥225.00 已于 12月4日（周五）到期，还差 ¥225.00。"
    "收到后发送「收款 0001 金额 方式」。"
)
TO_ADMINS = (
    f"【回款逾期】订单 {N1}（星辰科技）第1期还差 ¥225.00（12月4日（周五）到期），负责人：李四。"
)


SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with order_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        # Due 12月4日 (half) and 1月3日 (half).
        await opened.say("lisi", "下单 星辰科技 A4纸 20箱 单价25 打9折 分两期 首付一半下周五前")
        await opened.say("lisi", "确认")
        yield opened


async def test_the_owner_is_reminded_three_days_before_once(chat: Chat, clock: FrozenClock) -> None:
    clock.set(shanghai(11, 30, 23))
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == []
    clock.set(shanghai(12, 1, 0))  # midnight in Shanghai: 3 days before the 4th
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == [REMIND_FIRST.format(left="¥225.00")]
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == []
    first = await PaymentInstallment.get(period=1)
    assert (first.reminded_at, first.overdue_notified_at) == (shanghai(12, 1, 0), None)
    assert (await PaymentInstallment.get(period=2)).reminded_at is None


async def test_a_partly_paid_period_is_reminded_of_what_it_lacks(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "收款 0001 100 转账")
    clock.set(shanghai(12, 2))
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == [REMIND_FIRST.format(left="¥125.00")]


async def test_a_covered_period_is_never_mentioned(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "收款 0001 225 转账")
    for day in (2, 5, 9):
        clock.set(shanghai(12, day))
        await sweep(chat, clock)
        assert chat.sent_to("lisi") == chat.sent_to("zhangsan") == []
    first = await PaymentInstallment.get(period=1)
    assert first.reminded_at is not None and first.overdue_notified_at is not None


async def test_overdue_goes_to_the_owner_and_the_admins_once(
    chat: Chat, clock: FrozenClock
) -> None:
    clock.set(shanghai(12, 4, 23))  # still the due day: not overdue yet
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == [REMIND_FIRST.format(left="¥225.00")]
    clock.set(shanghai(12, 5, 0))
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == [OVERDUE_FIRST]
    assert chat.sent_to("zhangsan") == [TO_ADMINS]
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == chat.sent_to("zhangsan") == []


async def test_a_reminder_that_came_too_late_is_left_to_the_overdue_notice(
    chat: Chat, clock: FrozenClock
) -> None:
    clock.set(shanghai(12, 8))  # the sweep was down from before the 1st until the 8th
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == [OVERDUE_FIRST]
    first = await PaymentInstallment.get(period=1)
    assert first.reminded_at == first.overdue_notified_at == shanghai(12, 8)


@pytest.mark.db
async def test_two_replicas_sweeping_at_once_send_each_notice_once(
    chat: Chat, clock: FrozenClock
) -> None:
    clock.set(shanghai(12, 5))
    since = await chat.sim.sent_count()
    replicas = [reminder_sweep(chat, clock) for _ in range(4)]
    results = await asyncio.gather(*(replica.run() for replica in replicas))
    assert sum(results) == 1  # the overdue notice; the reminder came too late
    await chat.settle(since)
    assert chat.sent_to("lisi") == [OVERDUE_FIRST]
    assert chat.sent_to("zhangsan") == [TO_ADMINS]
    keys = await OutboxMessage.filter(idempotency_key__startswith="order-plan:").values_list(
        "idempotency_key", flat=True
    )
    assert keys == ["order-plan:1:overdue:0"]  # the owner's; the admins' notice is keyed too


async def test_an_admin_sets_how_many_days_before(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("zhangsan", "回款提醒提前5天")
    clock.set(shanghai(11, 28))
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == []
    clock.set(shanghai(11, 29))  # 5 days before the 4th
    await sweep(chat, clock)
    assert chat.sent_to("lisi") == [REMIND_FIRST.format(left="¥225.00")]
