"""Orders and stock together: with the ERP-lite module, 发货 takes the goods out of the
default warehouse through the guarded path (销售出库), and short stock refuses the shipment
whole; without it, shipping never touches stock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product
from support.followups import add_customer
from support.orders import WITH_ORDERS

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.plan import Plan
from models.erp import MoveKind, StockBalance, StockMove
from models.orders import Shipment
from tests.erp.test_stock_invariants import assert_ledger_balanced

ERP_AND_ORDERS = Plan(edition="erp", seats=10, period="month", modules=frozenset({"orders"}))


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock, plan=ERP_AND_ORDERS) as opened:
        await add_customer("星辰科技")
        await product()
        yield opened


async def test_shipping_takes_the_goods_out_of_stock(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价25")
    await chat.say("lisi", "确认")
    [reply] = await chat.say("lisi", "发货 0001 A4纸 12箱 顺丰 SF123456")
    assert reply.startswith("已发货，订单 DD-20261123-0001：A4纸 12箱（顺丰 SF123456）。")
    assert reply.endswith("\n已从总仓出库，还剩：A4纸 18箱。")
    [reply] = await chat.say("lisi", "发货 0001")
    assert "\n已从总仓出库，还剩：A4纸 10箱。" in reply
    moves = await StockMove.filter(kind=MoveKind.SALE_OUT).order_by("id")
    assert [(m.qty_delta, m.balance_after, m.reference) for m in moves] == [
        (-12, 18, "DD-20261123-0001"),
        (-8, 10, "DD-20261123-0001"),
    ]
    assert all(m.key and m.key.startswith("ship:") for m in moves)
    await assert_ledger_balanced()


async def test_short_stock_refuses_the_whole_shipment(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 5箱")
    await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价25")
    await chat.say("lisi", "确认")
    assert await chat.say("lisi", "发货 0001 A4纸 8箱") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要8箱不够。没有发货。先入库或调拨到总仓，再发货。"
    ]
    assert not await Shipment.exists()
    assert (await StockBalance.get()).on_hand == 5
    await chat.say("lisi", "入库 A4纸 10箱")
    [reply] = await chat.say("lisi", "发货 0001 A4纸 8箱")
    assert reply.endswith("已从总仓出库，还剩：A4纸 7箱。")
    await assert_ledger_balanced()


async def test_without_the_module_shipping_leaves_stock_alone(
    settings: Settings, clock: FrozenClock
) -> None:
    async with erp_chat(settings, clock, plan=WITH_ORDERS) as chat:
        await add_customer("星辰科技")
        await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价25")
        await chat.say("lisi", "确认")
        [reply] = await chat.say("lisi", "发货 0001 A4纸 8箱")
        assert reply.startswith("已发货") and "出库" not in reply
        assert not await StockMove.exists()
