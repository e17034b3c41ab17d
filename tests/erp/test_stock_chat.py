"""Stock in chat as transcripts on a frozen Monday 10:00 (2026-11-23) in Shanghai: products
and warehouses, 入库 / 出库 / 领用 / 调拨 with the balance they leave, refusals that say what
is available, the inquiries, the ledger and the check, natural phrasings, and the module's
entitlement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.crm import Chat
from support.erp import erp_chat, product, warehouse

from bot.clock import FrozenClock
from bot.config import Settings
from bot.inbox import APOLOGY
from models.erp import MoveKind, StockBalance, StockMove, Warehouse
from models.products import Product


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        yield opened


async def test_a_product_is_entered_shown_and_updated(chat: Chat) -> None:
    assert await chat.say(
        "lisi", "新增商品 A4纸 单位箱 条码6901234567890 售价25 进价18 预警10"
    ) == [
        "已新增商品「A4纸」。\n单位：箱\n条码：6901234567890\n售价 ¥25.00 · 进价 ¥18.00\n"
        "预警：在库不高于 10箱 时提醒"
    ]
    saved = await Product.get(name="A4纸")
    assert (saved.unit, saved.barcode, saved.sale_price_fen) == ("箱", "6901234567890", 2500)
    assert (saved.purchase_price_fen, saved.min_qty) == (1800, 10)
    assert await chat.say("lisi", "商品 A4纸") == [
        "商品「A4纸」\n单位：箱\n条码：6901234567890\n售价 ¥25.00 · 进价 ¥18.00\n"
        "预警：在库不高于 10箱 时提醒\n还没有库存记录。入库发送：入库 A4纸 数量"
    ]
    assert await chat.say("lisi", "新增商品 A4纸 进价17.5") == [
        "已更新商品「A4纸」。\n单位：箱\n条码：6901234567890\n售价 ¥25.00 · 进价 ¥17.50\n"
        "预警：在库不高于 10箱 时提醒"
    ]
    assert await chat.say("lisi", "商品 6901234567890") == [
        (await chat.say("lisi", "商品 A4纸"))[0]
    ]


async def test_wrong_product_input_says_what_to_type(chat: Chat) -> None:
    assert await chat.say("lisi", "新增商品 订书机 单位个") == [
        "新商品要写售价，例如：新增商品 订书机 单位箱 售价25"
    ]
    assert await chat.say("lisi", "新增商品 订书机 售价25 颜色红") == [
        "没看懂「颜色红」。请按这个格式写：新增商品 名称 单位箱 条码6901234567890 售价25 "
        "进价18 预警10（售价必填，其余可以不写）"
    ]
    assert await chat.say("lisi", "商品 订书机") == [
        "没有找到商品「订书机」。先「新增商品 订书机 单位箱 售价25」建档。"
    ]
    assert not await Product.exists()


async def test_stock_moves_answer_with_the_balance_they_leave(chat: Chat) -> None:
    await product(min_qty=10)
    await warehouse("门店")
    assert await chat.say("lisi", "入库 A4纸 50箱") == ["已入库：A4纸 50箱 → 总仓。总仓现有 50箱。"]
    assert await chat.say("lisi", "领用 A4纸 3箱 张三") == [
        "张三 领用 A4纸 3箱（总仓）。总仓还剩 47箱。"
    ]
    assert await chat.say("lisi", "出库 A4纸 2箱 破损") == [
        "已出库：A4纸 2箱（总仓）。总仓还剩 45箱。"
    ]
    assert await chat.say("lisi", "调拨 A4纸 10箱 总仓到门店") == [
        "已调拨：A4纸 10箱，总仓 → 门店。总仓还剩 35箱，门店现有 10箱。"
    ]
    assert await chat.say("lisi", "出库 A4纸 6箱 门店") == [
        "已出库：A4纸 6箱（门店）。门店还剩 4箱。"
    ]
    moves = await StockMove.all().order_by("id")
    # A transfer's two balances are updated in one fixed order (门店 was made first), so two
    # transfers between the same warehouses never wait on each other in a circle.
    assert [(m.kind, m.qty_delta, m.balance_after) for m in moves] == [
        (MoveKind.STOCK_IN, 50, 50),
        (MoveKind.ISSUE, -3, 47),
        (MoveKind.STOCK_OUT, -2, 45),
        (MoveKind.TRANSFER_IN, 10, 10),
        (MoveKind.TRANSFER_OUT, -10, 35),
        (MoveKind.STOCK_OUT, -6, 4),
    ]
    assert (moves[1].member, moves[2].note, moves[4].reference) == ("张三", "破损", "门店")
    assert await chat.say("lisi", "库存 A4纸") == [
        "「A4纸」库存（单位：箱）\n"
        "总仓：在库 35箱 · 占用 0 · 可用 35箱 · 在途 0\n"
        "门店：在库 4箱 · 占用 0 · 可用 4箱 · 在途 0\n"
        "合计：在库 39箱 · 可用 39箱 · 在途 0"
    ]
    assert await chat.say("lisi", "库存 门店") == ["门店库存（1 种）：\nA4纸 4箱"]


async def test_a_short_stock_out_is_refused_with_what_is_available(chat: Chat) -> None:
    await product()
    await chat.say("lisi", "入库 A4纸 5箱")
    assert await chat.say("lisi", "领用 A4纸 8箱 张三") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要8箱不够。"
    ]
    assert await chat.say("lisi", "调拨 A4纸 6箱 到门店") == [
        "没有找到仓库「门店」。现有仓库：总仓。新仓库请管理员发送「新增仓库 门店」。"
    ]
    await warehouse("门店")
    assert await chat.say("lisi", "调拨 A4纸 6箱 到门店") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要6箱不够。"
    ]
    assert [(m.qty_delta, m.balance_after) for m in await StockMove.all()] == [(5, 5)]
    [balance] = await StockBalance.all()
    assert balance.on_hand == 5


async def test_a_stock_out_below_the_warning_line_says_so_and_low_stock_lists_it(
    chat: Chat,
) -> None:
    await product(min_qty=10)
    await product("订书机", "个", 1250, min_qty=2)
    await chat.say("lisi", "入库 A4纸 12箱")
    await chat.say("lisi", "入库 订书机 30个")
    assert await chat.say("lisi", "领用 A4纸 3箱") == [
        "李四 领用 A4纸 3箱（总仓）。总仓还剩 9箱。\n"
        "提醒：「A4纸」各仓合计只剩 9箱，已到预警线 10箱。"
    ]
    expected = ["低库存（在库不高于预警线）1 种：\nA4纸 9箱（预警 10箱）"]
    assert await chat.say("lisi", "低库存") == expected
    assert await chat.say("lisi", "哪些东西快没货了") == expected


async def test_warehouses_are_added_by_admins(chat: Chat) -> None:
    assert await chat.say("zhangsan", "新增仓库 门店") == [
        "已新增仓库「门店」。入库到这里：入库 商品 数量 门店"
    ]
    assert await chat.say("zhangsan", "新增仓库 门店") == ["仓库「门店」已经有了。"]
    assert await chat.say("zhangsan", "仓库") == ["仓库（2 个）：总仓（默认）、门店"]
    [refused] = await chat.say("lisi", "新增仓库 后仓")
    assert "管理员" in refused
    assert await Warehouse.all().count() == 2


async def test_natural_phrasings(chat: Chat) -> None:
    await product()
    await warehouse("门店")
    assert await chat.say("lisi", "A4纸进了50箱") == ["已入库：A4纸 50箱 → 总仓。总仓现有 50箱。"]
    assert await chat.say("lisi", "张三拿了3箱A4纸") == [
        "张三 领用 A4纸 3箱（总仓）。总仓还剩 47箱。"
    ]
    assert await chat.say("lisi", "我拿了两箱A4纸") == [
        "李四 领用 A4纸 2箱（总仓）。总仓还剩 45箱。"
    ]
    assert await chat.say("lisi", "从总仓调10箱A4纸到门店") == [
        "已调拨：A4纸 10箱，总仓 → 门店。总仓还剩 35箱，门店现有 10箱。"
    ]
    per_product = (
        "「A4纸」库存（单位：箱）\n"
        "总仓：在库 35箱 · 占用 0 · 可用 35箱 · 在途 0\n"
        "门店：在库 10箱 · 占用 0 · 可用 10箱 · 在途 0\n"
        "合计：在库 45箱 · 可用 45箱 · 在途 0"
    )
    for said in ("A4纸还有多少", "A4纸还剩几箱？", "A4纸库存还有多少", "查一下A4纸的库存"):
        assert await chat.say("lisi", said) == [per_product], said
    for said in ("门店还剩多少货", "门店还有多少"):
        assert await chat.say("lisi", said) == ["门店库存（1 种）：\nA4纸 10箱"], said


async def test_the_ledger_of_a_product_over_a_period(chat: Chat, clock: FrozenClock) -> None:
    await product()
    await chat.say("lisi", "入库 A4纸 50箱")
    clock.advance(timedelta(minutes=5))
    await chat.say("lisi", "领用 A4纸 3箱 张三")
    assert await chat.say("lisi", "流水 A4纸 本月") == [
        "「A4纸」本月流水（2 条）：\n"
        "11-23 10:00 入库 +50 总仓 结存 50 · 李四\n"
        "11-23 10:05 领用 −3 总仓 结存 47 · 张三"
    ]
    assert await chat.say("lisi", "A4纸上月的流水") == ["「A4纸」上月没有出入库记录。"]


async def test_the_check_finds_a_balance_that_disagrees_with_its_ledger(chat: Chat) -> None:
    await product()
    await chat.say("lisi", "入库 A4纸 50箱")
    await chat.say("lisi", "领用 A4纸 3箱 张三")
    assert await chat.say("zhangsan", "库存核对") == [
        "库存核对：1 个库存余额、2 条流水，全部一致。"
    ]
    await StockBalance.all().update(on_hand=40)  # what a stray script might do
    assert await chat.say("zhangsan", "核对库存") == [
        "库存核对发现问题（1 个库存余额、2 条流水）：\n"
        "A4纸 @ 总仓：余额 40，流水合计 47，最后结存 47"
    ]
    [refused] = await chat.say("lisi", "库存核对")
    assert "管理员" in refused


async def test_the_commands_need_the_erp_module(settings: Settings, clock: FrozenClock) -> None:
    async with erp_chat(settings, clock, plan=None) as chat:
        [reply] = await chat.say("lisi", "入库 A4纸 50箱")
        assert "进销存" in reply
        assert not await StockMove.exists()


ODD_INPUTS = (
    "入库 A4纸 99999999999箱",
    "入库 A4纸 0箱",
    "入库 A4纸",
    "入库",
    "出库 不存在的东西 3箱",
    "领用 A4纸 3个 张三",
    "调拨 A4纸 3箱 总仓到总仓",
    "调拨 A4纸 3箱",
    "新增商品 " + "长" * 80 + " 售价25",
    "新增商品 订书机 售价99999999999999999999",
    "新增商品 订书机 售价25 预警99999999999",
    "新增仓库 " + "仓" * 40,
    "采购 晨光 A4纸 99999999999箱 单价18",
    "采购 晨光 A4纸 10箱 单价99999999999999999999",
    "采购 晨光 A4纸 10箱 单价18 昨天到货",
    "到货 0001 A4纸 99999999999",
    "到货 9999999999",
    "采购单 999999",
    "取消采购 0001",
    "流水 A4纸 本月",
    "库存 <b>门店</b>",
    "供应商 不存在",
    "新增供应商 13800000000",
)


async def test_odd_input_gets_an_answer_never_an_apology(chat: Chat) -> None:
    await product()
    await chat.say("lisi", "新增供应商 晨光文具 王五 13800000000")
    for text in ODD_INPUTS:
        for reply in await chat.say("zhangsan", text):
            assert reply and APOLOGY not in reply, (text, reply)
    assert not await StockMove.exists()
