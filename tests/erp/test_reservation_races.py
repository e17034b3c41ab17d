"""库存占用 under concurrency and over random sequences, on SQLite and on PostgreSQL
(``SCRM_TEST_DATABASE=postgres``).

Twenty orders of one confirmed at once against ten on hand hold ten between them, never more
than is on hand (Odoo PR#32857: "20 concurrent process can reserve successfully, even if you
only have 10 in stock"). A cancellation racing a shipment and another cancellation gives back
only what the shipment did not take, once. And over random confirmations, shipments,
cancellations, receipts and 领用 sent through the bot, the balance's reserved always equals
what the open reservations hold and never exceeds what is on hand.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.crm import Chat
from support.erp import erp_chat, product
from support.followups import add_customer
from support.tickets import colleague
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.erp.reservations import release_order, reserve_order, take_for_shipment
from bot.erp.stock import Move, post
from bot.erp.warehouses import default_warehouse
from bot.orders import moves
from bot.orders.asking import LineAsked, OrderAsked
from bot.orders.store import create_order
from bot.tenants import TenantInfo
from models.erp import MoveKind, StockBalance, StockReservation
from models.orders import Order, OrderLine
from models.products import Product
from tests.erp.test_order_reservations import ERP_AND_ORDERS, assert_holds_add_up
from tests.erp.test_stock_invariants import assert_ledger_balanced

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


async def _drafts(count: int, qty: int, item: Product) -> list[Order]:
    customer = await add_customer("星辰科技")
    owner = await colleague("lisi", "李四")
    asked = OrderAsked((LineAsked(item.name, qty, item.unit, 2500),))
    return [(await create_order(1, customer, owner, asked, NOW, TODAY)).order for _ in range(count)]


async def _confirm(order: Order) -> int:
    """What 确认订单 does with the module on, in a transaction of its own: what it held."""
    async with in_transaction():
        assert await moves.confirm(order, NOW)
        held = await reserve_order(1, order.id, await default_warehouse(1, NOW), NOW)
    return sum(h.held for h in held)


async def test_twenty_orders_of_one_confirmed_at_once_against_ten_hold_ten(
    tenant: TenantInfo,
) -> None:
    item = await product()
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 10, MoveKind.STOCK_IN)], None, NOW)
    orders = await _drafts(20, 1, item)
    held = await asyncio.gather(*(_confirm(order) for order in orders))
    assert sorted(held) == [0] * 10 + [1] * 10
    balance = await StockBalance.get(product_id=item.id, warehouse_id=place.id)
    assert (balance.on_hand, balance.reserved) == (10, 10)
    assert await StockReservation.filter(qty=1).count() == 10
    assert await StockReservation.all().count() == 20
    await assert_holds_add_up()


async def test_one_order_confirmed_twice_at_once_holds_once(tenant: TenantInfo) -> None:
    item = await product()
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 10, MoveKind.STOCK_IN)], None, NOW)
    [order] = await _drafts(1, 4, item)
    await moves.confirm(order, NOW)

    async def hold() -> int:
        async with in_transaction():
            return sum(h.held for h in await reserve_order(1, order.id, place, NOW))

    assert sorted(await asyncio.gather(hold(), hold(), hold())) == [0, 0, 4]
    assert (await StockBalance.get(product_id=item.id)).reserved == 4
    await assert_holds_add_up()


async def test_cancellations_racing_a_shipment_give_back_each_unit_once(
    tenant: TenantInfo,
) -> None:
    item = await product()
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 100, MoveKind.STOCK_IN)], None, NOW)
    for order in await _drafts(8, 10, item):
        assert await _confirm(order) == 10
        line = await OrderLine.get(order_id=order.id)

        async def ship(line: OrderLine = line) -> None:
            async with in_transaction():
                taken = await take_for_shipment(line.id, 4, place.id, NOW)
                out = Move(item, place, -4, MoveKind.SALE_OUT, reserved_used=taken.used)
                await post(1, [out], None, NOW)

        async def cancel(order: Order = order) -> int:
            async with in_transaction():
                return sum(f.qty for f in await release_order(order.id, NOW))

        _, first, second = await asyncio.gather(ship(), cancel(), cancel())
        held = await StockReservation.get(order_line_id=line.id)
        assert held.qty == 0
        assert held.shipped + held.released == 10
        assert first + second == held.released
        assert held.shipped in (0, 4)
    balance = await StockBalance.get(product_id=item.id)
    assert (balance.on_hand, balance.reserved) == (100 - 8 * 4, 0)
    await assert_holds_add_up()
    await assert_ledger_balanced()


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock, plan=ERP_AND_ORDERS) as opened:
        await add_customer("星辰科技")
        yield opened


PEOPLE = ("zhangsan", "lisi", "wangwu", "zhaoliu")


async def test_twenty_confirmations_sent_at_once_through_the_bot(chat: Chat) -> None:
    await product()
    await chat.say("zhangsan", "入库 A4纸 10箱")
    for n in range(20):
        await chat.say(PEOPLE[n % 4], "下单 星辰科技 A4纸 1箱 单价25")
    since = await chat.sim.sent_count()
    deliveries = [
        chat.sim.deliver(
            "acme",
            {"MsgType": "text", "FromUserName": PEOPLE[n % 4], "Content": f"确认订单 {n + 1:04d}"},
        )
        for n in range(20)
    ]
    assert all(r["status"] == 200 for r in await asyncio.gather(*deliveries))
    await chat.settle(since)
    replies = [text for user in PEOPLE for text in chat.sent_to(user)[-5:]]
    assert sum("已占用库存：A4纸 1箱（总仓）。" in r for r in replies) == 10
    assert sum("库存不足，没有占用；缺 A4纸 1箱，到货后可发货。" in r for r in replies) == 10
    balance = await StockBalance.get()
    assert (balance.on_hand, balance.reserved) == (10, 10)
    await assert_holds_add_up()


# One product per example (the chat and its database live across examples).
NAMES = (f"{a}{b}纸" for a, b in itertools.product("甲乙丙丁戊己庚辛壬癸", "红橙黄绿青蓝紫黑白灰"))
receipt = st.tuples(st.just("in"), st.integers(1, 12))
confirmation = st.tuples(st.just("order"), st.integers(1, 8))
shipment = st.tuples(st.just("ship"), st.integers(0, 5), st.integers(0, 8))  # 0: all that is left
steps = st.lists(
    st.one_of(
        receipt,
        receipt,
        st.tuples(st.just("issue"), st.integers(1, 8)),
        confirmation,
        confirmation,
        shipment,
        shipment,
        st.tuples(st.just("cancel"), st.integers(0, 5)),
    ),
    min_size=4,
    max_size=16,
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(stock=st.integers(0, 30), steps=steps)
async def test_holds_add_up_over_random_orders_shipments_and_stock_outs(
    chat: Chat, clock: FrozenClock, stock: int, steps: list[tuple[int | str, ...]]
) -> None:
    name = next(NAMES)
    await product(name)
    if stock:
        await chat.say("zhangsan", f"入库 {name} {stock}箱")
    orders: list[str] = []  # the tails of this example's orders, as people say them
    for step in steps:
        clock.advance(timedelta(seconds=30))  # within WeCom's 30 messages a minute to one person
        kind, *numbers = step
        if kind == "in":
            await chat.say("zhangsan", f"入库 {name} {numbers[0]}箱")
        elif kind == "issue":
            await chat.say("zhangsan", f"领用 {name} {numbers[0]}箱")
        elif kind == "order":
            [draft, *_] = await chat.say("lisi", f"下单 星辰科技 {name} {numbers[0]}箱 单价25")
            orders.append(draft.split("DD-20261123-", 1)[1][:4])
            await chat.say("lisi", "确认")
        elif orders and kind == "ship":
            which, qty = orders[int(numbers[0]) % len(orders)], numbers[1]
            await chat.say("lisi", f"发货 {which} {name} {qty}箱" if qty else f"发货 {which}")
        elif orders and kind == "cancel":
            await chat.say("lisi", f"取消订单 {orders[int(numbers[0]) % len(orders)]}")
        await assert_holds_add_up()
    for held in await StockReservation.filter(product__name=name).prefetch_related("order"):
        order = held.order
        assert held.qty + held.shipped + held.released <= held.wanted
        if order.state.value == "cancelled":
            assert held.qty == 0
    await assert_ledger_balanced()
