"""Completing a job booked from an order with a payment plan tells the order's owner of the
next unpaid period, once, however the completion is retried; a paid-up order or a job
without an order tells nobody."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallReminder

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
ORDER = "下单 星辰科技 打印机 3台 单价1000 分两期付款 首付一半下周五前"
COMPLETE = {"MsgType": "text", "FromUserName": "wangsf", "Content": "完工 AZ0001 已装好"}


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await opened.say("zhangsan", "安装设置 照片 0张")
        yield opened


async def booked_from_order(chat: Chat, clock: FrozenClock, order: str = ORDER) -> None:
    await chat.say("lisi", order)
    await chat.say("lisi", "确认")
    await chat.say("lisi", "订单0001安排安装 周四下午2点")
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")
    clock.set(datetime(2026, 11, 26, 14, 0, tzinfo=SH))
    location = {"MsgType": "location", "FromUserName": "wangsf", "Location_X": "39.9",
                "Location_Y": "116.4", "Scale": "15", "Label": "朝阳区"}  # fmt: skip
    since = await chat.sim.sent_count()
    await chat.sim.deliver("acme", location)
    await chat.settle(since)


async def complete_twice(chat: Chat) -> list[str]:
    """完工 delivered twice with one MsgId (a WeCom retry), then said again; the payment notices
    the owner got (the booker's link to forward to the customer left out)."""
    since = await chat.sim.sent_count()
    for _ in range(2):
        assert (await chat.sim.deliver("acme", {**COMPLETE, "MsgId": 9401}))["status"] == 200
    await chat.settle(since)
    told = chat.sent_to("lisi")
    await chat.say("wangsf", "完工 AZ0001 已装好")  # refused: it is completed already
    return [t for t in told + chat.sent_to("lisi") if not t.startswith("请把这个链接转发给客户")]


async def test_the_owner_hears_of_the_next_period_once(chat: Chat, clock: FrozenClock) -> None:
    await booked_from_order(chat, clock)
    assert await complete_twice(chat) == [
        "安装单 AZ-20261123-0001 已完工，订单 DD-20261123-0001 下一期（第1期）¥1,500.00 应于 "
        "12月4日（周五）收款，还差 ¥1,500.00。收到后发送「收款 0001 金额 方式」。"
    ]
    assert await InstallReminder.filter(kind="payment").count() == 1


async def test_money_already_paid_moves_on_to_the_next_period(
    chat: Chat, clock: FrozenClock
) -> None:
    await booked_from_order(chat, clock)
    await chat.say("lisi", "收款 0001 2000 转账")
    [told] = await complete_twice(chat)
    assert "下一期（第2期）¥1,500.00 应于 " in told and "还差 ¥1,000.00。" in told


async def test_a_period_past_due_is_said_to_be_overdue(chat: Chat, clock: FrozenClock) -> None:
    await booked_from_order(
        chat, clock, "下单 星辰科技 打印机 3台 单价1000 分两期付款 首付一半明天前"
    )
    [told] = await complete_twice(chat)
    assert told.startswith(
        "安装单 AZ-20261123-0001 已完工，订单 DD-20261123-0001 第1期 ¥1,500.00 "
        "已于 11月24日（周二）到期"
    )


async def test_a_paid_up_order_tells_nobody(chat: Chat, clock: FrozenClock) -> None:
    await booked_from_order(chat, clock)
    await chat.say("lisi", "收款 0001 3000 转账")
    assert await complete_twice(chat) == []
    assert not await InstallReminder.filter(kind="payment").exists()
