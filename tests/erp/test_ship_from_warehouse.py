"""发货 from a named warehouse: ``从门店`` (or ``门店发``) takes the goods out of that
warehouse; an unknown name is refused with the warehouses there are; a short warehouse refuses
the whole shipment and names the warehouse that could ship it all."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product, warehouse
from support.followups import add_customer
from support.orders import WITH_ORDERS

from bot.clock import FrozenClock
from bot.config import Settings
from models.erp import MoveKind, StockBalance, StockMove, StockRefusal
from models.inbox import InboxUpdate
from models.orders import Shipment
from tests.erp.test_orders_stock import ERP_AND_ORDERS
from tests.erp.test_stock_invariants import assert_ledger_balanced

SHIPPED = "已发货，订单 DD-20261123-0001：A4纸 10箱"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    """总仓 holds 5箱 of A4纸 and 门店 30箱; order 0001 asks for 20箱, confirmed."""
    async with erp_chat(settings, clock, plan=ERP_AND_ORDERS) as opened:
        await add_customer("星辰科技")
        await product()
        await warehouse("门店")
        await opened.say("lisi", "入库 A4纸 5箱")
        await opened.say("lisi", "入库 A4纸 30箱 门店")
        await opened.say("lisi", "下单 星辰科技 A4纸 20箱 单价25")
        await opened.say("lisi", "确认")
        yield opened


async def on_hand() -> dict[str, int]:
    balances = await StockBalance.all().prefetch_related("warehouse")
    return {b.warehouse.name: b.on_hand for b in balances}


async def sale_outs() -> list[tuple[str, int, int]]:
    moves = await StockMove.filter(kind=MoveKind.SALE_OUT).order_by("id")
    return [((await m.warehouse).name, m.qty_delta, m.balance_after) for m in moves]


async def test_shipping_from_a_named_warehouse_takes_the_goods_out_of_it(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "发货 0001 A4纸 10箱 从门店 顺丰 SF123")
    assert reply == (
        f"{SHIPPED}（顺丰 SF123）。部分发货，还差 A4纸 10箱。\n已从门店出库，还剩：A4纸 20箱。"
    )
    assert await sale_outs() == [("门店", -10, 20)]
    assert await on_hand() == {"总仓": 5, "门店": 20}
    shipment = await Shipment.get()
    assert (shipment.carrier, shipment.tracking_no) == ("顺丰", "SF123")
    await assert_ledger_balanced()


@pytest.mark.parametrize(
    "said",
    [
        "0001从门店仓发10箱A4纸",
        "发货 0001 A4纸 10箱 门店发",
        "订单0001从门店发货 A4纸 10箱",
        "发货 0001 A4纸10箱从门店",
        "发货 0001 从门店仓 A4纸 十箱",
    ],
)
async def test_natural_ways_of_naming_the_warehouse(chat: Chat, said: str) -> None:
    [reply] = await chat.say("lisi", said)
    assert reply.startswith(f"{SHIPPED}。")
    assert reply.endswith("\n已从门店出库，还剩：A4纸 20箱。")
    assert await sale_outs() == [("门店", -10, 20)]


async def test_without_a_name_the_default_warehouse_ships(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "发货 0001 A4纸 3箱")
    assert reply.endswith("\n已从总仓出库，还剩：A4纸 2箱。")
    [reply] = await chat.say("lisi", "发货 0001 A4纸 2箱 从总仓")
    assert reply.endswith("\n已从总仓出库，还剩：A4纸 0箱。")
    assert await sale_outs() == [("总仓", -3, 2), ("总仓", -2, 0)]
    assert await on_hand() == {"总仓": 0, "门店": 30}


async def test_an_unknown_warehouse_is_refused_with_the_ones_there_are(chat: Chat) -> None:
    assert await chat.say("lisi", "发货 0001 A4纸 3箱 从北京仓") == [
        "没有找到仓库「北京仓」，没有发货。现有仓库：总仓、门店。可以写：发货 0001 A4纸 3箱 从总仓"
    ]
    assert not await Shipment.exists()
    assert await sale_outs() == []
    assert await on_hand() == {"总仓": 5, "门店": 30}


async def test_a_short_warehouse_says_which_one_has_enough(chat: Chat) -> None:
    assert await chat.say("lisi", "发货 0001 A4纸 10箱 顺丰 SF123456") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要10箱不够。没有发货。"
        "门店有 30箱，可以写：发货 0001 A4纸 10箱 从门店 顺丰 SF123456"
    ]
    assert not await Shipment.exists()
    assert await sale_outs() == []
    assert await on_hand() == {"总仓": 5, "门店": 30}
    [reply] = await chat.say("lisi", "发货 0001 A4纸 10箱 从门店 顺丰 SF123456")
    assert reply.endswith("\n已从门店出库，还剩：A4纸 20箱。")
    assert await sale_outs() == [("门店", -10, 20)]
    await assert_ledger_balanced()


async def test_the_hint_points_back_to_the_default_warehouse(chat: Chat) -> None:
    await chat.say("lisi", "出库 A4纸 27箱 门店")
    assert await chat.say("lisi", "0001从门店发4箱A4纸") == [
        "库存不足：门店的「A4纸」只有 3箱 可用，要4箱不够。没有发货。"
        "总仓有 5箱，可以写：发货 0001 A4纸 4箱 从总仓"
    ]
    assert not await Shipment.exists()
    assert [(r.wanted, r.available) for r in await StockRefusal.filter(kind=MoveKind.SALE_OUT)] == [
        (4, 3)
    ]


async def test_no_hint_when_no_warehouse_has_enough(chat: Chat) -> None:
    await chat.say("lisi", "出库 A4纸 25箱 门店")
    assert await chat.say("lisi", "发货 0001 A4纸 8箱") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要8箱不够。没有发货。先入库或调拨到总仓，再发货。"
    ]
    assert not await Shipment.exists()
    assert await on_hand() == {"总仓": 5, "门店": 5}


async def test_a_shipment_wecom_delivers_twice_leaves_the_warehouse_once(chat: Chat) -> None:
    fields = {
        "MsgType": "text",
        "FromUserName": "lisi",
        "Content": "发货 0001 A4纸 10箱 从门店",
        "MsgId": 9201,
    }
    since = await chat.sim.sent_count()
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    await chat.settle(since)
    [reply] = chat.sent_to("lisi")
    assert reply.endswith("\n已从门店出库，还剩：A4纸 20箱。")
    assert await Shipment.all().count() == 1
    assert await sale_outs() == [("门店", -10, 20)]
    assert await InboxUpdate.filter(key="msg:9201").count() == 1
    await assert_ledger_balanced()


async def test_without_the_module_a_named_warehouse_leaves_stock_alone(
    settings: Settings, clock: FrozenClock
) -> None:
    async with erp_chat(settings, clock, plan=WITH_ORDERS) as chat:
        await add_customer("星辰科技")
        await chat.say("lisi", "下单 星辰科技 A4纸 20箱 单价25")
        await chat.say("lisi", "确认")
        [reply] = await chat.say("lisi", "发货 0001 A4纸 8箱 从门店")
        assert reply.startswith("已发货") and "出库" not in reply
        assert not await StockMove.exists()
