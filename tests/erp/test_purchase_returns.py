"""Purchase returns (退货) as transcripts on the frozen Monday: received goods go back to the
supplier through the guarded stock-out, never more than received minus already returned
(also when several people return at once), valued at the receipt's price, and shown in the
supplier's return rate; natural phrasings reach the same command."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.errors import UserFacingError
from bot.erp.check import check_stock
from bot.erp.purchasing import return_goods
from models.erp import MoveKind, PurchaseLine, PurchaseOrder, StockBalance, StockMove
from models.products import Product

N1 = "CG-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await product()
        await opened.say("lisi", "新增供应商 晨光文具 王五 13800000000")
        await opened.say("lisi", "向晨光采购 A4纸100箱 单价18 周五到货")
        await opened.say("lisi", "确认")
        yield opened


async def test_received_goods_go_back_and_stock_says_so(chat: Chat) -> None:
    assert await chat.say("lisi", "退货 0001 A4纸 5") == [f"采购单 {N1} 还没有到货，没有可退的。"]
    await chat.say("wangwu", "到货 0001 A4纸 60")
    assert await chat.say("lisi", "退货 0001 A4纸 5") == [
        f"采购单 {N1} 退货：A4纸 5箱（总仓还剩 55箱），退回晨光文具，按进价计 ¥90.00。"
    ]
    assert await chat.say("lisi", "退货 CG0001 A4纸 56箱") == [
        "「A4纸」已到 60箱，已退 5箱，最多还能退 55箱。"
    ]
    assert await chat.say("lisi", "退货 0001 订书机 1") == [
        f"采购单 {N1} 里没有「订书机」。单里有：A4纸。"
    ]
    assert await chat.say("lisi", "退货 0001") == ["请写退哪些商品和数量，例如：退货 0001 A4纸 5"]
    line = await PurchaseLine.get()
    assert (line.received, line.returned) == (60, 5)
    move = await StockMove.filter(kind=MoveKind.PURCHASE_RETURN).get()
    assert (move.qty_delta, move.balance_after, move.reference) == (-5, 55, N1)
    assert (await check_stock(1)).ok


async def test_goods_used_since_cannot_go_back(chat: Chat) -> None:
    await chat.say("wangwu", "到货 0001 A4纸 10")
    await chat.say("lisi", "领用 A4纸 8箱 张三")
    assert await chat.say("lisi", "退货 0001 A4纸 5") == [
        "库存不足：总仓的「A4纸」只有 2箱 可用，要5箱不够。"
    ]
    assert (await PurchaseLine.get()).returned == 0  # the whole return undone
    assert (await StockBalance.get()).on_hand == 2


async def test_concurrent_returns_never_exceed_what_arrived(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("wangwu", "到货 0001 A4纸 10")
    order = await PurchaseOrder.get()

    async def give_back() -> str:
        try:
            async with in_transaction():
                await return_goods(order, [("A4纸", 3, "")], None, clock.now())
        except UserFacingError as refused:
            return refused.message
        return "ok"

    results = await asyncio.gather(*(give_back() for _ in range(6)))
    assert results.count("ok") == 3
    line = await PurchaseLine.get()
    assert line.returned == 9
    assert (await StockBalance.get()).on_hand == 1
    assert (await check_stock(1)).ok


async def test_the_supplier_card_shows_the_return_rate(chat: Chat) -> None:
    await chat.say("wangwu", "到货 0001 A4纸 100")
    await chat.say("lisi", "退货 0001 A4纸 4")
    [card] = await chat.say("lisi", "供应商 晨光")
    assert "退货率 4.0%（到货 ¥1,800.00，退回 ¥72.00）" in card.splitlines()


@pytest.mark.parametrize(
    "said",
    [
        "采购退货 CG-20261123-0001 A4纸 5箱",
        "退货 CG0001 A4纸 5箱",
        "采购单0001退货 A4纸 5箱",
        "采购单0001要退回去 A4纸 5箱",
        "把采购单0001的A4纸退5箱",
        "采购单1号的A4纸退回5箱",
        "把5箱A4纸退给晨光 采购单0001",
    ],
)
async def test_natural_phrasings_return_goods(chat: Chat, said: str) -> None:
    await chat.say("wangwu", "到货 0001 A4纸 60")
    [reply] = await chat.say("lisi", said)
    assert reply.endswith(
        f"采购单 {N1} 退货：A4纸 5箱（总仓还剩 55箱），退回晨光文具，按进价计 ¥90.00。"
    )


async def test_moving_average_cost_follows_receipts_and_returns(chat: Chat) -> None:
    await chat.say("lisi", "向晨光采购 A4纸50箱 单价21")
    await chat.say("lisi", "确认")
    await chat.say("wangwu", "到货 0001 A4纸 100")  # 100 at ¥18 onto nothing
    assert (await Product.get(name="A4纸")).avg_cost_fen == 1800
    await chat.say("wangwu", "到货 0002 A4纸 50")  # (100 × 18 + 50 × 21) / 150
    assert (await Product.get(name="A4纸")).avg_cost_fen == 1900
    [card] = await chat.say("lisi", "商品 A4纸")
    assert "移动平均成本：¥19.00" in card.splitlines()
    # 10 go back at their receipt's ¥21: (150 × 19 − 10 × 21) / 140 = 18.857…
    await chat.say("lisi", "退货 0002 A4纸 10")
    assert (await Product.get(name="A4纸")).avg_cost_fen == 1886
    await chat.say("lisi", "出库 A4纸 140箱")  # out at the average: it stays
    assert (await Product.get(name="A4纸")).avg_cost_fen == 1886
    await chat.say("lisi", "向晨光采购 A4纸10箱 单价20")
    await chat.say("lisi", "确认")
    await chat.say("wangwu", "到货 0003")  # onto no stock: its own price
    assert (await Product.get(name="A4纸")).avg_cost_fen == 2000
