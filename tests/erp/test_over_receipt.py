"""Over-receipt tolerance (采购设置 超收 5%) in chat and under concurrency, on SQLite and
PostgreSQL: off by default, an admin's setting (canonical and natural), each line receiving
at most ordered × (1 + tolerance) rounded down, refusals that say how much can still arrive,
and racing receipts that never pass the limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product
from support.followups import MONDAY_10AM
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.errors import UserFacingError
from bot.erp import purchasing
from bot.erp.receipt_tolerance import most_receivable, read_tolerance, tolerance_of
from models.erp import PurchaseLine, PurchaseOrder, PurchaseState, StockBalance
from tests.erp.test_stock_invariants import assert_ledger_balanced

N1 = "CG-20261123-0001"
SHOWN = (
    "采购设置：采购单确认后直接发出，不用审批。\n到货：{tolerance}。\n"
    "修改：采购设置 审批 全部、采购设置 审批 超过5000、采购设置 审批 关、采购设置 超收 5%"
)
OFF = "不允许超收（到货不能多于订购数量）"
FIVE = "可超收 5%（每行最多收到订购数量的 105%）"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await product()
        await opened.say("lisi", "新增供应商 晨光文具 王五 13800000000")
        yield opened


async def ordered(chat: Chat, text: str = "向晨光采购 A4纸100箱 单价18") -> PurchaseOrder:
    await chat.say("lisi", text)
    await chat.say("lisi", "确认")
    return await PurchaseOrder.all().order_by("-id").first()  # type: ignore[return-value]


async def test_the_tolerance_is_off_until_an_admin_sets_it(chat: Chat) -> None:
    assert await chat.say("zhangsan", "采购设置") == [SHOWN.format(tolerance=OFF)]
    assert await chat.say("zhangsan", "采购设置 超收 5%") == [
        "已保存。" + SHOWN.format(tolerance=FIVE)
    ]
    assert await tolerance_of(1) == 500
    assert await chat.say("lisi", "采购设置 超收 50%") == ["仅管理员可用"]
    assert await chat.say("lisi", "允许超收50%") == ["仅管理员可用"]
    assert await tolerance_of(1) == 500
    assert await chat.say("zhangsan", "采购设置 超收 0") == [
        "已保存。" + SHOWN.format(tolerance=OFF)
    ]
    assert await tolerance_of(1) == 0


@pytest.mark.parametrize(
    ("said", "points"),
    [
        ("采购设置 超收5%", 500),
        ("采购设置 超收 2.5%", 250),
        ("采购设置 超收 百分之十", 1000),
        ("允许超收5%", 500),
        ("到货最多可以超收5%", 500),
        ("收货可以多收百分之五", 500),
        ("到货可以超3%", 300),
        ("超收不超过10%", 1000),
        ("到货不允许超收", 0),
        ("采购到货不能多收", 0),
    ],
)
async def test_natural_phrasings_set_the_tolerance(chat: Chat, said: str, points: int) -> None:
    await chat.say("zhangsan", "采购设置 超收 7%")
    [reply] = await chat.say("zhangsan", said)
    assert reply.startswith("已保存。")
    assert await tolerance_of(1) == points


async def test_a_bare_no_over_receipt_stays_the_orders_setting(chat: Chat) -> None:
    """不允许超收 with nothing about deliveries is the orders' over-payment switch."""
    await chat.say("zhangsan", "采购设置 超收 5%")
    [reply] = await chat.say("zhangsan", "不允许超收")
    assert not reply.startswith("已保存。采购设置")
    assert await tolerance_of(1) == 500


async def test_bad_tolerances_say_what_to_type_and_keep_the_setting(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 超收 5%")
    usage = "请按这个格式写：采购设置 超收 5%（0 就是不允许超收，最多 100%）"
    assert await chat.say("zhangsan", "采购设置 超收 150%") == [usage]
    assert await chat.say("zhangsan", "采购设置 超收 很多") == [usage]
    assert await chat.say("zhangsan", "采购设置 超收 -5%") == [usage]
    assert await tolerance_of(1) == 500


def test_the_limit_rounds_down_in_integers() -> None:
    assert most_receivable(100, 500) == 105
    assert most_receivable(10, 500) == 10  # 10.5 rounds down: never above the tolerance
    assert most_receivable(30, 500) == 31
    assert most_receivable(7, 0) == 7
    assert read_tolerance("2.25%") == 225
    with pytest.raises(UserFacingError):
        read_tolerance("5.123%")


async def test_receipts_may_exceed_the_order_within_the_tolerance(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 超收 5%")
    await ordered(chat)
    assert await chat.say("wangwu", "到货 0001 A4纸 106") == [
        "「A4纸」订了 100箱，可超收 5%（最多收 105箱），已到 0箱，最多还能收 105箱。"
    ]
    assert await chat.say("wangwu", "到货 0001 A4纸 60") == [
        f"采购单 {N1} 到货：A4纸 60箱 → 总仓（现有 60箱）。还差 A4纸 40箱。"
    ]
    assert await chat.say("wangwu", "到货 0001 A4纸 50") == [
        "「A4纸」订了 100箱，可超收 5%（最多收 105箱），已到 60箱，最多还能收 45箱。"
    ]
    assert await chat.say("wangwu", "到货 0001 A4纸 45") == [
        f"采购单 {N1} 到货：A4纸 45箱 → 总仓（现有 105箱）。采购单 {N1} 已全部到齐。"
    ]
    assert (await PurchaseLine.get()).received == 105
    assert (await PurchaseOrder.get(number=N1)).state is PurchaseState.RECEIVED
    assert "已到 105箱" in (await chat.say("lisi", "采购单 0001"))[0]
    await assert_ledger_balanced()


async def test_without_a_tolerance_the_order_is_the_limit(chat: Chat) -> None:
    await ordered(chat)
    assert await chat.say("wangwu", "到货 0001 A4纸 101") == [
        "「A4纸」订了 100箱，已到 0箱，最多还能收 100箱。"
    ]
    assert not await StockBalance.exists()


async def test_an_over_received_line_expects_nothing_more_in_the_stock_inquiry(
    chat: Chat,
) -> None:
    await chat.say("zhangsan", "采购设置 超收 10%")
    await product(name="订书机", unit="个")
    await ordered(chat, "向晨光采购 A4纸10箱 单价18 订书机5个 单价9")
    await chat.say("wangwu", "到货 0001 A4纸 11")
    assert await chat.say("lisi", "库存 A4纸") == [
        "「A4纸」库存（单位：箱）\n总仓：在库 11箱 · 占用 0 · 可用 11箱 · 在途 0"
    ]


async def test_concurrent_receipts_never_pass_the_limit(chat: Chat) -> None:
    """Ten receipts of 15 race onto an order of 100 at 5%: seven fit under 105, the rest are
    refused, and exactly what was received is in stock."""
    await chat.say("zhangsan", "采购设置 超收 5%")
    order = await ordered(chat)

    async def receive() -> str:
        try:
            async with in_transaction():
                found = await PurchaseOrder.get(id=order.id)
                await purchasing.receive(found, [("A4纸", 15, "箱")], None, MONDAY_10AM)
        except UserFacingError as refused:
            return refused.message
        return "ok"

    results = await asyncio.gather(*(receive() for _ in range(10)))
    assert results.count("ok") == 7
    assert all(r in ("ok", f"采购单 {N1} 已全部到货。") or "最多还能收 0箱" in r for r in results)
    assert (await PurchaseLine.get()).received == 105
    assert (await StockBalance.get()).on_hand == 105
    assert (await PurchaseOrder.get(id=order.id)).state is PurchaseState.RECEIVED
    await assert_ledger_balanced()


async def test_concurrent_receipts_in_chat_never_pass_the_limit(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 超收 5%")
    await ordered(chat)
    await chat.say("wangwu", "到货 0001 A4纸 60")
    people = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
    since = await chat.sim.sent_count()
    await asyncio.gather(
        *(
            chat.sim.deliver(
                "acme", {"MsgType": "text", "FromUserName": who, "Content": "到货 0001 A4纸 30"}
            )
            for who in people
        )
    )
    await chat.settle(since)
    replies = [text for who in people for text in chat.sent_to(who)]
    assert sum("到货：A4纸 30箱" in r for r in replies) == 1
    refusal = "「A4纸」订了 100箱，可超收 5%（最多收 105箱），已到 90箱，最多还能收 15箱。"
    assert sum(r == refusal for r in replies) == 3
    assert (await PurchaseLine.get()).received == 90
    assert (await StockBalance.get()).on_hand == 90
    await assert_ledger_balanced()
