"""库存占用: with the ERP-lite module, 确认订单 holds each line's goods in the default warehouse
(as much as is free, and says what is short), 库存 shows it as 占用, a 领用 or another order
cannot take it, 发货 takes the order's own hold first, and 取消订单 gives back what is still
held, exactly once. Without the module, confirming holds nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product, warehouse
from support.followups import add_customer
from support.orders import WITH_ORDERS

from bot.clock import FrozenClock
from bot.config import Settings
from bot.erp import reservations
from bot.erp.check import check_stock
from bot.subscription.plan import Plan
from models.erp import StockBalance, StockReservation
from models.orders import Order
from tests.erp.test_stock_invariants import assert_ledger_balanced

ERP_AND_ORDERS = Plan(edition="erp", seats=10, period="month", modules=frozenset({"orders"}))
ORDER = "DD-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock, plan=ERP_AND_ORDERS) as opened:
        await add_customer("星辰科技")
        await product()
        yield opened


async def _order(chat: Chat, qty: int, who: str = "lisi") -> str:
    await chat.say(who, f"下单 星辰科技 A4纸 {qty}箱 单价25")
    [reply] = await chat.say(who, "确认")
    return reply


async def assert_holds_add_up() -> None:
    """The balance's reserved is what the open reservations hold, never more than on hand."""
    report = await check_stock(1)
    assert report.ok, report
    for balance in await StockBalance.all():
        held = await StockReservation.filter(
            product_id=balance.product_id, warehouse_id=balance.warehouse_id
        ).values_list("qty", flat=True)
        assert balance.reserved == sum(int(q) for q in held)  # type: ignore[call-overload]
        assert 0 <= balance.reserved <= balance.on_hand


async def test_confirming_holds_the_stock_and_the_inquiry_shows_it(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    assert await _order(chat, 20) == (
        f"已确认订单 {ORDER}，合计 ¥500.00。收到钱后发送「收款 0001 金额 方式」记回款。\n"
        "已占用库存：A4纸 20箱（总仓）。"
    )
    assert await chat.say("zhangsan", "库存 A4纸") == [
        "「A4纸」库存（单位：箱）\n总仓：在库 30箱 · 占用 20 · 可用 10箱 · 在途 0"
    ]
    assert await chat.say("zhangsan", "领用 A4纸 15箱") == [
        "库存不足：总仓的「A4纸」只有 10箱 可用，要15箱不够。"
    ]
    held = await StockReservation.get()
    assert (held.wanted, held.qty, held.shipped, held.released) == (20, 20, 0, 0)
    await assert_holds_add_up()


async def test_a_retried_confirmation_holds_nothing_more(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await _order(chat, 20)
    assert await chat.say("lisi", "确认订单 0001") == [f"订单 {ORDER} 已经确认过了。"]
    assert (await StockBalance.get()).reserved == 20
    assert await StockReservation.all().count() == 1


async def test_shipping_takes_the_orders_own_hold_first(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await _order(chat, 20)
    await chat.say("zhangsan", "领用 A4纸 10箱")  # everything free is gone now
    [reply] = await chat.say("lisi", "发货 0001 A4纸 12箱 顺丰 SF123456")
    assert reply.endswith("\n已从总仓出库，还剩：A4纸 8箱。")
    balance = await StockBalance.get()
    assert (balance.on_hand, balance.reserved) == (8, 8)
    [reply] = await chat.say("lisi", "发货 0001")
    assert reply.endswith("\n已从总仓出库，还剩：A4纸 0箱。")
    held = await StockReservation.get()
    assert (held.qty, held.shipped, held.released) == (0, 20, 0)
    assert (await StockBalance.get()).reserved == 0
    await assert_holds_add_up()
    await assert_ledger_balanced()


async def test_another_orders_hold_is_not_for_shipping(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await _order(chat, 20)
    assert (await _order(chat, 20)).endswith(
        "已占用库存：A4纸 10箱（总仓）；缺 A4纸 10箱，到货后可发货。"
    )
    assert await chat.say("lisi", "发货 0002 A4纸 20箱") == [
        "库存不足：总仓的「A4纸」只有 10箱 可用，要20箱不够。没有发货。先入库或调拨到总仓，再发货。"
    ]
    [reply] = await chat.say("lisi", "发货 0002 A4纸 10箱")
    assert reply.endswith("还剩：A4纸 20箱。")
    await assert_holds_add_up()


async def test_short_stock_holds_what_there_is_and_ships_when_more_arrives(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 15箱")
    assert (await _order(chat, 20)).endswith(
        "\n已占用库存：A4纸 15箱（总仓）；缺 A4纸 5箱，到货后可发货。"
    )
    assert await chat.say("zhangsan", "库存 A4纸") == [
        "「A4纸」库存（单位：箱）\n总仓：在库 15箱 · 占用 15 · 可用 0箱 · 在途 0"
    ]
    await chat.say("lisi", "入库 A4纸 10箱")
    [reply] = await chat.say("lisi", "发货 0001")
    assert reply.endswith("\n已从总仓出库，还剩：A4纸 5箱。")
    balance = await StockBalance.get()
    assert (balance.on_hand, balance.reserved) == (5, 0)
    await assert_holds_add_up()
    await assert_ledger_balanced()


async def test_no_stock_at_all_still_confirms(chat: Chat) -> None:
    assert (await _order(chat, 20)).endswith("\n库存不足，没有占用；缺 A4纸 20箱，到货后可发货。")
    held = await StockReservation.get()
    assert (held.wanted, held.qty) == (20, 0)
    await assert_holds_add_up()


async def test_cancelling_gives_the_hold_back_once(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await _order(chat, 20)
    assert await chat.say("lisi", "取消订单 0001 客户不要了") == [
        f"已取消订单 {ORDER}。\n已释放库存占用：A4纸 20箱（总仓）。"
    ]
    assert await chat.say("lisi", "取消订单 0001") == [f"订单 {ORDER} 已取消。"]
    balance = await StockBalance.get()
    assert (balance.on_hand, balance.reserved) == (30, 0)
    held = await StockReservation.get()
    assert (held.qty, held.shipped, held.released) == (0, 0, 20)
    assert await chat.say("zhangsan", "领用 A4纸 30箱") == [
        "张三丰 领用 A4纸 30箱（总仓）。总仓还剩 0箱。"
    ]
    await assert_holds_add_up()


async def test_shipping_from_another_warehouse_gives_the_hold_back(chat: Chat) -> None:
    await warehouse("门店")
    await chat.say("lisi", "入库 A4纸 30箱")
    await chat.say("lisi", "入库 A4纸 20箱 门店")
    await _order(chat, 20)
    [reply] = await chat.say("lisi", "发货 0001 从门店")
    assert reply.endswith("\n已从门店出库，还剩：A4纸 0箱。")
    main = await StockBalance.get(on_hand=30)
    assert main.reserved == 0
    held = await StockReservation.get()
    assert (held.qty, held.shipped, held.released) == (0, 0, 20)
    await assert_holds_add_up()
    await assert_ledger_balanced()


async def test_erp_check_reports_a_hold_that_does_not_add_up(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await _order(chat, 20)
    await StockReservation.all().update(qty=15)
    [reply] = await chat.say("zhangsan", "库存核对")
    assert reply.endswith("A4纸 @ 总仓：占用 20，订单占用合计 15")


async def test_without_the_module_confirming_holds_nothing(
    settings: Settings, clock: FrozenClock
) -> None:
    async with erp_chat(settings, clock, plan=WITH_ORDERS) as chat:
        await add_customer("星辰科技")
        await product()
        reply = await _order(chat, 20)
        assert reply == (
            f"已确认订单 {ORDER}，合计 ¥500.00。收到钱后发送「收款 0001 金额 方式」记回款。"
        )
        assert await chat.say("lisi", "取消订单 0001") == [f"已取消订单 {ORDER}。"]
        assert not await StockReservation.exists()
        assert not await StockBalance.exists()


async def test_a_hold_that_keeps_changing_under_a_cancel_is_answered_and_kept(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chat.say("lisi", "入库 A4纸 30箱")
    await _order(chat, 20)
    # as if others changed the reservation before every one of this cancel's tries
    monkeypatch.setattr(reservations, "ATTEMPTS", 0)
    assert await chat.say("lisi", "取消订单 0001 客户不要了") == [reservations.BUSY]
    assert (await StockBalance.get()).reserved == 20  # the cancel rolled back whole
    assert [o.state.value for o in await Order.all()] == ["confirmed"]
    monkeypatch.setattr(reservations, "ATTEMPTS", 20)
    assert await chat.say("lisi", "取消订单 0001 客户不要了") == [
        f"已取消订单 {ORDER}。\n已释放库存占用：A4纸 20箱（总仓）。"
    ]
