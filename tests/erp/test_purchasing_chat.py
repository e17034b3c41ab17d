"""Suppliers and purchasing in chat on a frozen Monday 10:00 (2026-11-23) in Shanghai: a draft
from a natural sentence, its confirm step and card, partial receipts that post stock through
the guarded path, received ≤ ordered, 未到货, cancelling only before any receipt, and the
supplier card."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.crm import Chat
from support.erp import erp_chat, product, warehouse
from support.followups import MONDAY_10AM

from bot.clock import FrozenClock
from bot.config import Settings
from models.erp import (
    MoveKind,
    PurchaseLine,
    PurchaseOrder,
    PurchaseState,
    StockBalance,
    StockMove,
    Supplier,
)
from models.products import Product
from tests.erp.test_stock_invariants import assert_ledger_balanced

N1 = "CG-20261123-0001"
SENTENCE = "向晨光采购 A4纸100箱 单价18 周五到货"
CARD = (
    f"采购单 {N1}（待确认）\n"
    "供应商：晨光文具 · 入库：总仓 · 到货：11月27日（周五）\n"
    "1. A4纸 100箱 × ¥18.00 = ¥1,800.00\n"
    "合计 ¥1,800.00"
)
ASK = "回复「确认」或点卡片上的「确认」发出，回复「取消」作废（也可以稍后发送「确认采购 0001」）。"
CONFIRMED = (
    f"已确认采购单 {N1}，合计 ¥1,800.00，预计 11月27日（周五）到货。"
    "到货后发送「到货 0001 商品 数量」入库（不写商品就是全部到齐）。"
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await product()
        assert await opened.say("lisi", "新增供应商 晨光文具 王五 13800000000") == [
            "已新增供应商「晨光文具」（王五 13800000000）。向它采购：采购 晨光文具 商品 数量 单价"
        ]
        yield opened


async def confirmed(chat: Chat, text: str = SENTENCE) -> PurchaseOrder:
    await chat.say("lisi", text)
    await chat.say("lisi", "确认")
    return await PurchaseOrder.all().order_by("-id").first()  # type: ignore[return-value]


async def test_a_natural_sentence_writes_a_draft_that_is_confirmed(chat: Chat) -> None:
    replies = await chat.say("lisi", SENTENCE)
    assert replies == [
        f"{CARD}\n{ASK}",
        f"【采购单 {N1} 待确认】\n晨光文具 · 合计 ¥1,800.00\n[确认] [作废]",
    ]
    order = await PurchaseOrder.get(number=N1)
    assert (order.state, order.total_fen, str(order.expected_date)) == (
        PurchaseState.DRAFT,
        180000,
        "2026-11-27",
    )
    assert await chat.say("lisi", "确认") == [CONFIRMED]
    assert (await PurchaseOrder.get(number=N1)).state is PurchaseState.CONFIRMED
    assert await chat.say("lisi", "确认采购 0001") == [f"采购单 {N1} 已经确认过了。"]
    assert not await StockMove.exists()  # ordering is not receiving


async def test_other_phrasings_and_the_product_purchase_price(chat: Chat) -> None:
    await chat.say("lisi", "新增商品 A4纸 进价17")
    [card, _] = await chat.say("lisi", "从晨光进 A4纸 50箱")
    assert "1. A4纸 50箱 × ¥17.00 = ¥850.00" in card and "到货：" not in card
    await chat.say("lisi", "取消")
    await warehouse("门店")
    [card, _] = await chat.say("lisi", "采购 晨光 A4纸 10箱 单价18.5 入门店 备注 加急")
    assert "供应商：晨光文具 · 入库：门店\n" in card and card.endswith(
        "备注：加急\n" + ASK.replace("0001", "0002")
    )
    assert await chat.say("lisi", "采购 晨光 订书机 5个 单价9") == [
        "没有找到商品「订书机」。先「新增商品 订书机 单位箱 售价25」建档。"
    ]
    assert await chat.say("lisi", "采购 蓝天 A4纸 5箱 单价9") == [
        "没有找到供应商「蓝天」。先「新增供应商 蓝天 联系人 电话」。"
    ]
    assert await chat.say("lisi", "采购 晨光 A4纸 5个 单价9") == [
        "「A4纸」按箱计，请写成箱，例如：A4纸 3箱"
    ]


async def test_the_card_buttons_confirm_once(chat: Chat) -> None:
    await chat.say("lisi", SENTENCE)
    order = await PurchaseOrder.get(number=N1)
    event = {
        "Event": "template_card_event",
        "FromUserName": "lisi",
        "EventKey": f"purchase:confirm:{order.id}",
        "TaskId": "t1",
        "CardType": "button_interaction",
    }
    await chat.event(event)
    assert chat.sent_to("lisi") == [CONFIRMED]
    await chat.event({**event, "TaskId": "t2"})  # a double click
    assert chat.sent_to("lisi") == [f"采购单 {N1} 已经确认过了。"]
    await chat.event({**event, "FromUserName": "wangwu", "TaskId": "t3"})
    assert chat.sent_to("wangwu") == [f"采购单 {N1} 是同事下的，请下单人或管理员确认。"]


async def test_partial_receipts_post_stock_and_never_exceed_the_order(chat: Chat) -> None:
    await confirmed(chat)
    assert await chat.say("wangwu", "到货 0001 A4纸 60") == [
        f"采购单 {N1} 到货：A4纸 60箱 → 总仓（现有 60箱）。还差 A4纸 40箱。"
    ]
    assert await chat.say("wangwu", "到货 0001 A4纸 50") == [
        "「A4纸」订了 100箱，已到 60箱，最多还能收 40箱。"
    ]
    assert await chat.say("wangwu", "取消采购 0001") == [f"采购单 {N1} 已经有到货，不能取消。"]
    assert await chat.say("wangwu", "采购单0001到货了") == [
        f"采购单 {N1} 到货：A4纸 40箱 → 总仓（现有 100箱）。采购单 {N1} 已全部到齐。"
    ]
    assert await chat.say("wangwu", "到货 0001") == [f"采购单 {N1} 已全部到货。"]
    order = await PurchaseOrder.get(number=N1)
    assert (order.state, order.received_at) == (PurchaseState.RECEIVED, MONDAY_10AM)
    [line] = await PurchaseLine.all()
    assert line.received == 100
    moves = await StockMove.all().order_by("id")
    assert [(m.kind, m.qty_delta, m.balance_after, m.reference) for m in moves] == [
        (MoveKind.PURCHASE_IN, 60, 60, N1),
        (MoveKind.PURCHASE_IN, 40, 100, N1),
    ]
    assert (await Product.get(name="A4纸")).purchase_price_fen == 1800
    assert "在库 100箱" in (await chat.say("lisi", "库存 A4纸"))[0]
    await assert_ledger_balanced()


async def test_on_order_shows_in_the_stock_inquiry(chat: Chat) -> None:
    await confirmed(chat)
    await chat.say("wangwu", "到货 0001 A4纸 60")
    assert await chat.say("lisi", "库存 A4纸") == [
        "「A4纸」库存（单位：箱）\n总仓：在库 60箱 · 占用 0 · 可用 60箱 · 在途 40"
    ]


async def test_concurrent_receipts_of_one_delivery_receive_it_once(chat: Chat) -> None:
    await confirmed(chat)
    people = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
    since = await chat.sim.sent_count()
    await asyncio.gather(
        *(
            chat.sim.deliver(
                "acme", {"MsgType": "text", "FromUserName": who, "Content": "到货 0001 A4纸 60"}
            )
            for who in people
        )
    )
    await chat.settle(since)
    replies = [text for who in people for text in chat.sent_to(who)]
    assert sum("到货：A4纸 60箱" in r for r in replies) == 1
    assert sum(r == "「A4纸」订了 100箱，已到 60箱，最多还能收 40箱。" for r in replies) == 3
    assert (await PurchaseLine.get()).received == 60
    assert (await StockBalance.get()).on_hand == 60
    await assert_ledger_balanced()


async def test_cancelling_before_any_receipt(chat: Chat) -> None:
    await chat.say("lisi", SENTENCE)
    assert await chat.say("lisi", "取消") == [f"好的，采购单 {N1} 已作废。"]
    await confirmed(chat)
    assert await chat.say("lisi", "取消采购 0002 供应商缺货") == ["已取消采购单 CG-20261123-0002。"]
    assert await chat.say("lisi", "到货 0002") == ["采购单 CG-20261123-0002 已取消。"]
    order = await PurchaseOrder.get(number="CG-20261123-0002")
    assert (order.state, order.cancel_reason) == (PurchaseState.CANCELLED, "供应商缺货")
    assert not await StockMove.exists()


async def test_overdue_purchase_orders(chat: Chat, clock: FrozenClock) -> None:
    await confirmed(chat)
    await confirmed(chat, "采购 晨光 A4纸 20箱 单价18 12月10日到货")
    await chat.say("wangwu", "到货 0001 A4纸 30")
    assert await chat.say("lisi", "未到货") == [
        "没有逾期未到货的采购单。\n另有 2 张在途，还没到期。"
    ]
    clock.advance(timedelta(days=5))  # Saturday: Friday 27th has passed
    expected = [
        "逾期未到货的采购单 1 张：\n"
        f"{N1} 晨光文具 应于 11月27日（周五）到货，逾期 1 天，还差 A4纸 70箱\n"
        "另有 1 张在途，还没到期。"
    ]
    assert await chat.say("lisi", "未到货") == expected
    assert await chat.say("lisi", "哪些采购还没到货") == expected


async def test_the_supplier_card_and_list(chat: Chat, clock: FrozenClock) -> None:
    await confirmed(chat)
    await chat.say("wangwu", "到货 0001")  # on time: due Friday, here on Monday
    await confirmed(chat, "采购 晨光 A4纸 10箱 单价18 周三到货")
    clock.advance(timedelta(days=3))
    await chat.say("wangwu", "到货 0002")  # late: due Wednesday, here on Thursday
    await confirmed(chat, "采购 晨光 A4纸 5箱 单价18")
    assert await chat.say("lisi", "供应商 晨光") == [
        "供应商「晨光文具」\n"
        "联系人：王五 · 电话：13800000000\n"
        "近90天采购 3 单，合计 ¥2,070.00\n"
        "准时到货率 50%（1/2 单按期到齐）\n"
        "退货率 0.0%（到货 ¥1,980.00，退回 ¥0.00）\n"
        "未完成的采购单 1 张：\n"
        "· CG-20261126-0001（已确认，未到货）¥90.00 发送「采购单 0001」查看"
    ]
    await chat.say("lisi", "新增供应商 蓝天纸业")
    assert await chat.say("lisi", "供应商列表") == [
        "供应商（2 家）：\n晨光文具（王五 13800000000）\n蓝天纸业"
    ]
    assert await chat.say("zhangsan", "停用供应商 蓝天") == [
        "已停用供应商「蓝天纸业」，不能再向它采购；已有的采购单照常到货。"
    ]
    assert await chat.say("lisi", "采购 蓝天 A4纸 5箱 单价9") == [
        "供应商「蓝天纸业」已停用。管理员发送「恢复供应商 蓝天纸业」后才能向它采购。"
    ]
    [refused] = await chat.say("lisi", "恢复供应商 蓝天")
    assert "管理员" in refused
    assert not (await Supplier.get(name="蓝天纸业")).enabled


async def test_office_talk_near_a_purchasing_word_is_no_purchasing_request(chat: Chat) -> None:
    # each shares a word or two with 未到货 / 供应商列表 and says what neither is about
    for said in ("工资还没到账", "供应商的年会邀请我们去"):
        [reply] = await chat.say("lisi", said)
        assert reply.startswith(f"没听懂「{said}」。"), (said, reply)
    # asked for, the same lists still answer
    assert (await chat.say("lisi", "还有哪些货没到"))[0] == (await chat.say("lisi", "未到货"))[0]
