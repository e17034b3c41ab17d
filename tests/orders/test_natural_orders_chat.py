"""Orders said the way salespeople type them, end to end on the frozen Monday: an order asked
for with the quantity before the goods, confirmed in passing, who still owes money, money
in, the order's state, everything shipped, the unclaimed 对外收款 and a customer's orders —
each answered as its canonical command is."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.orders import order_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.orders import Order, OrderLine

N1 = "DD-20261123-0001"
LINES = (
    "客户：星辰科技 · 负责人：李四\n1. A4纸 20箱 × ¥25.00 = ¥500.00\n小计 ¥500.00，合计 ¥500.00\n"
)
PLAN = "回款计划：第1期 ¥500.00 12月23日（周三）前\n"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with order_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        yield opened


async def test_an_order_from_writing_to_shipping_in_words(chat: Chat) -> None:
    assert await chat.say("lisi", "星辰科技要20箱A4纸，单价25，帮我下个单") == [
        f"订单 {N1}（待确认）\n{LINES}{PLAN}已收 ¥0.00 · 未收 ¥500.00 · 未付款 · 未发货\n"
        "新产品「A4纸」已按单价 ¥25.00/箱 建档。\n"
        "点卡片上的「确认」或回复「确认」生效，回复「取消」作废"
        "（也可以稍后发送「确认订单 0001」）。",
        f"【订单 {N1} 待确认】\n星辰科技 · 合计 ¥500.00\n[确认] [作废]",
    ]
    line = await OrderLine.get().prefetch_related("product")
    assert (line.product.name, line.qty, line.unit, line.unit_price_fen) == ("A4纸", 20, "箱", 2500)
    assert await chat.say("lisi", "订单0001客户那边确认了") == [
        "（已放弃刚才「订单」没完成的操作）",
        f"已确认订单 {N1}，合计 ¥500.00。收到钱后发送「收款 0001 金额 方式」记回款。",
    ]
    assert await chat.say("lisi", "还有谁没给钱") == [
        "待回款 1 单，共 ¥500.00：\n0001 星辰科技 ¥500.00，已收 ¥0.00，未收 ¥500.00，"
        "下一期 12月23日（周三）"
    ]
    assert await chat.say("lisi", "收到星辰科技的尾款 200 对公转账") == [
        f"已记回款 ¥200.00（对公转账），订单 {N1}（星辰科技）："
        "已收 ¥200.00，未收 ¥300.00，部分回款。"
    ]
    assert await chat.say("lisi", "0001号订单现在啥情况") == [
        f"订单 {N1}（已确认）\n{LINES}{PLAN}已收 ¥200.00 · 未收 ¥300.00 · 部分回款 · 未发货"
    ]
    assert await chat.say("lisi", "订单0001的货都发出去了") == [
        f"已发货，订单 {N1}：A4纸 20箱。已发货。"
    ]
    assert await chat.say("lisi", "星辰科技那边下过几单") == [
        "「星辰科技」的订单（最近 1 个）：\n0001 星辰科技 ¥500.00，已收 ¥200.00，已确认 · 部分回款"
    ]
    assert await Order.filter(number=N1).count() == 1


async def test_unclaimed_money_asked_in_words(chat: Chat) -> None:
    assert await chat.say("lisi", "待认领的钱有哪些") == ["没有待认领的对外收款。"]
