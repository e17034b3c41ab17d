"""Completing a job booked from a sales order records the installed quantity on the order's
lines, never more than was shipped, once; the order shows it."""

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
from models.orders import OrderLine

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        await opened.say("zhangsan", "安装设置 照片 0张")
        await opened.say("lisi", "下单 星辰科技 打印机 3台 单价1999")
        await opened.say("lisi", "确认")
        await opened.say("lisi", "订单0001安排安装 周四下午2点")
        await opened.say("zhaoliu", "安排 AZ0001 给 王师傅")
        yield opened


async def on_site(chat: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 26, 14, 0, tzinfo=SH))
    since = await chat.sim.sent_count()
    location = {"MsgType": "location", "FromUserName": "wangsf", "Location_X": "39.9",
                "Location_Y": "116.4", "Scale": "15", "Label": "朝阳区"}  # fmt: skip
    await chat.sim.deliver("acme", location)
    await chat.settle(since)


async def test_completion_records_what_was_shipped_as_installed(
    chat: Chat, clock: FrozenClock
) -> None:
    shipped = await chat.say("lisi", "发货 0001 打印机 2台")
    assert any("发货" in s for s in shipped), shipped
    await on_site(chat, clock)
    [done] = await chat.say("wangsf", "完工 AZ0001 已装好")
    order = done.splitlines()[1:]
    assert len(order) == 2, done
    assert order[0].startswith("订单 ") and order[0].endswith(" 已记安装：打印机2台。")
    assert order[1].endswith("的打印机1台还没发货，没有记为已安装（发货后再记）。")
    [line] = await OrderLine.all()
    assert line.installed_qty == 2
    [shown] = await chat.say("lisi", "订单 0001")
    assert "，已发 2台，已安装 2台" in shown


async def test_nothing_shipped_records_nothing(chat: Chat, clock: FrozenClock) -> None:
    await on_site(chat, clock)
    [done] = await chat.say("wangsf", "完工 AZ0001 已装好")
    assert done.splitlines()[1].endswith("的打印机3台还没发货，没有记为已安装（发货后再记）。")
    [line] = await OrderLine.all()
    assert line.installed_qty == 0
