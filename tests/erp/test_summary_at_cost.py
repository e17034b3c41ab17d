"""The monthly 进销存汇总 at moving-average cost, on SQLite and PostgreSQL: each move records
its value at cost when posted (purchases at their price, the rest at the average then), the
summary adds those values up, and moves without one (older rows) are valued at the 进价 and
flagged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from support.crm import Chat
from support.erp import erp_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.erp.notes import month_summary
from models.erp import MoveKind, StockMove
from models.products import Product
from scheduler.erp import monthly_summary
from tests.erp.test_erp_jobs import _tenant, shanghai, tick


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await opened.say("lisi", "新增商品 A4纸 单位箱 售价25 进价18")
        await opened.say("lisi", "新增供应商 晨光文具 王五 13800000000")
        yield opened


async def bought(chat: Chat, text: str, tail: str) -> None:
    await chat.say("lisi", text)
    await chat.say("lisi", "确认")
    [reply] = await chat.say("wangwu", f"到货 {tail}")
    assert "已全部到齐" in reply


async def test_moves_record_their_value_at_cost_when_posted(chat: Chat) -> None:
    await bought(chat, "向晨光采购 A4纸100箱 单价18", "0001")
    await bought(chat, "向晨光采购 A4纸100箱 单价24", "0002")
    assert (await Product.get(name="A4纸")).avg_cost_fen == 2100
    await chat.say("lisi", "领用 A4纸 50箱 张三")
    await chat.say("lisi", "退货 0002 A4纸 10")
    moves = await StockMove.all().order_by("id")
    assert [(m.kind, m.qty_delta, m.value_fen) for m in moves] == [
        (MoveKind.PURCHASE_IN, 100, 180_000),
        (MoveKind.PURCHASE_IN, 100, 240_000),
        (MoveKind.ISSUE, -50, -105_000),  # at the average ¥21, not the 进价 ¥24
        (MoveKind.PURCHASE_RETURN, -10, -24_000),  # at its receipt's price
    ]


async def test_the_summary_values_at_moving_average_cost(chat: Chat, clock: FrozenClock) -> None:
    await bought(chat, "向晨光采购 A4纸100箱 单价18", "0001")
    await bought(chat, "向晨光采购 A4纸100箱 单价24", "0002")
    await chat.say("lisi", "领用 A4纸 50箱 张三")
    [summary] = await tick(chat, monthly_summary, clock, shanghai(2026, 12, 1, 9, 0))
    assert summary.splitlines() == [
        "【进销存汇总】2026年11月（金额按移动平均成本计）",
        "· A4纸：期初 0箱 ¥0.00，入库 200箱 ¥4,200.00，出库 50箱 ¥1,050.00，期末 150箱 ¥3,150.00",
        "合计金额：期初 ¥0.00，入库 ¥4,200.00，出库 ¥1,050.00，期末 ¥3,150.00",
    ]
    # December opens where November closed, at the ledger's value, not at today's 进价.
    [december] = await tick(chat, monthly_summary, clock, shanghai(2027, 1, 1, 9, 0))
    assert december.splitlines()[1] == (
        "· A4纸：期初 150箱 ¥3,150.00，入库 0箱 ¥0.00，出库 0箱 ¥0.00，期末 150箱 ¥3,150.00"
    )


async def test_moves_without_a_value_are_valued_at_the_purchase_price_and_flagged(
    chat: Chat,
) -> None:
    """Rows from before values were recorded have none: they count at today's 进价."""
    await bought(chat, "向晨光采购 A4纸100箱 单价18", "0001")
    await chat.say("lisi", "领用 A4纸 40箱 张三")
    issued = await StockMove.get(kind=MoveKind.ISSUE)
    await StockMove.filter(id=issued.id).update(value_fen=None)
    await Product.filter(name="A4纸").update(purchase_price_fen=2000)
    [line] = await month_summary(await _tenant(chat), date(2026, 11, 1), date(2026, 12, 1))
    assert (line.value(line.came_in), line.value(line.went_out)) == (180_000, 80_000)
    assert line.value(line.closing) == 100_000
    assert line.estimated


async def test_a_product_without_any_cost_is_left_unvalued(chat: Chat, clock: FrozenClock) -> None:
    await chat.say("lisi", "新增商品 订书机 单位个 售价9")
    await chat.say("lisi", "入库 订书机 5个")
    assert (await StockMove.get()).value_fen is None
    [summary] = await tick(chat, monthly_summary, clock, shanghai(2026, 12, 1, 9, 0))
    assert summary.splitlines()[1] == (
        "· 订书机：期初 0个，入库 5个，出库 0个，期末 5个（未填进价，不计金额）"
    )
