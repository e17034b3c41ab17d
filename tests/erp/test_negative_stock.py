"""Negative stock per product (商品设置 … 允许负库存), on SQLite and PostgreSQL: off by
default, an admin's switch in chat (canonical and natural), stock-outs below zero with the
ledger still balanced, 库存 showing the figure below zero, the moving-average cost defined
only while there is stock, and the guard unchanged for products that do not allow it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from support.crm import Chat
from support.erp import erp_chat, product, warehouse
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.erp import costing
from bot.erp.check import check_stock
from bot.erp.stock import Move, Shortage, post
from bot.erp.warehouses import default_warehouse
from bot.tenants import TenantInfo
from models.erp import MoveKind, StockBalance, StockMove
from models.products import Product

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ALLOWED = "已设置「A4纸」：允许负库存（库存不够也能出库，余额可以为负）。"
REFUSED = "已设置「A4纸」：不允许负库存（库存不够的出库会被拒绝）。"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        yield opened


async def test_it_is_off_until_an_admin_allows_it(chat: Chat) -> None:
    await product()
    assert await chat.say("lisi", "入库 A4纸 5箱") == ["已入库：A4纸 5箱 → 总仓。总仓现有 5箱。"]
    assert await chat.say("lisi", "出库 A4纸 8箱") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要8箱不够。"
    ]
    assert await chat.say("zhangsan", "商品设置 A4纸") == [
        "「A4纸」的商品设置：不允许负库存（库存不够的出库会被拒绝）。\n"
        "修改：商品设置 A4纸 允许负库存 / 不允许负库存"
    ]
    assert await chat.say("zhangsan", "商品设置 A4纸 允许负库存") == [ALLOWED]
    assert (await Product.get(name="A4纸")).allow_negative
    assert await chat.say("lisi", "出库 A4纸 8箱") == [
        "已出库：A4纸 8箱（总仓）。总仓还剩 -3箱（负库存）。"
    ]
    assert await chat.say("lisi", "库存 A4纸") == [
        "「A4纸」库存（单位：箱）\n总仓：在库 -3箱（负库存） · 占用 0 · 可用 -3箱 · 在途 0"
    ]
    assert await chat.say("lisi", "库存 总仓") == ["总仓库存（1 种）：\nA4纸 -3箱（负库存）"]
    assert await chat.say("zhangsan", "库存核对") == [
        "库存核对：1 个库存余额、2 条流水，全部一致。"
    ]
    assert await chat.say("zhangsan", "商品设置 A4纸 不允许负库存") == [REFUSED]
    assert await chat.say("lisi", "出库 A4纸 1箱") == [
        "库存不足：总仓的「A4纸」只有 0箱 可用，要1箱不够。"
    ]
    assert await chat.say("lisi", "入库 A4纸 10箱") == ["已入库：A4纸 10箱 → 总仓。总仓现有 7箱。"]
    assert (await check_stock(1)).ok
    moves = await StockMove.all().order_by("id")
    assert [m.balance_after for m in moves] == [5, -3, 7]


@pytest.mark.parametrize(
    ("said", "allowed"),
    [
        ("A4纸允许负库存", True),
        ("A4纸可以负库存", True),
        ("A4纸的库存可以为负", True),
        ("允许A4纸负库存", True),
        ("打开A4纸的负库存", True),
        ("商品设置 A4纸允许负库存", True),
        ("A4纸不允许负库存", False),
        ("A4纸不能负库存", False),
        ("A4纸的库存不能为负", False),
        ("关闭A4纸的负库存", False),
        ("禁止A4纸负库存", False),
    ],
)
async def test_natural_phrasings_set_it(chat: Chat, said: str, allowed: bool) -> None:
    await product(name="A4纸")
    await Product.filter(name="A4纸").update(allow_negative=not allowed)
    assert await chat.say("zhangsan", said) == [ALLOWED if allowed else REFUSED]
    assert (await Product.get(name="A4纸")).allow_negative is allowed


async def test_members_are_refused_and_nothing_changes(chat: Chat) -> None:
    await product()
    assert await chat.say("lisi", "商品设置 A4纸 允许负库存") == ["仅管理员可用"]
    assert await chat.say("lisi", "A4纸允许负库存") == ["仅管理员可用"]
    assert not (await Product.get(name="A4纸")).allow_negative


async def test_bad_settings_say_what_to_type(chat: Chat) -> None:
    await product()
    usage = (
        "请按这个格式写：商品设置 商品 允许负库存（或 不允许负库存），"
        "例如：商品设置 A4纸 允许负库存"
    )
    assert await chat.say("zhangsan", "商品设置 A4纸 红色") == [usage]
    assert await chat.say("zhangsan", "商品设置") == [
        "请写上商品名，例如：商品设置 A4纸 允许负库存"
    ]
    assert await chat.say("zhangsan", "商品设置 订书机 允许负库存") == [
        "没有找到商品「订书机」。先「新增商品 订书机 单位箱 售价25」建档。"
    ]
    assert await chat.say("zhangsan", "商品设置 A4纸 不允许负库存") == [
        "「A4纸」已经是不允许负库存（库存不够的出库会被拒绝），没有改动。"
    ]
    assert not (await Product.get(name="A4纸")).allow_negative


async def test_cost_is_defined_only_while_stock_is_positive(chat: Chat) -> None:
    await product()
    assert await chat.say("zhangsan", "商品设置 A4纸 允许负库存") == [ALLOWED]
    item = await Product.get(name="A4纸")
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 10, MoveKind.PURCHASE_IN)], None, NOW)
    assert await costing.received(1, item.id, 10, 2000, NOW) == 2000
    assert await chat.say("lisi", "出库 A4纸 15箱") == [
        "已出库：A4纸 15箱（总仓）。总仓还剩 -5箱（负库存）。"
    ]
    shown = (await chat.say("lisi", "商品 A4纸"))[0]
    assert "移动平均成本" not in shown
    assert "允许负库存：库存不够也能出库" in shown
    # 8 arrive at ¥30 onto −5: nothing to average with, the cost starts again at ¥30.
    await post(1, [Move(item, place, 8, MoveKind.PURCHASE_IN)], None, NOW)
    assert await costing.received(1, item.id, 8, 3000, NOW) == 3000
    assert "移动平均成本：¥30.00" in (await chat.say("lisi", "商品 A4纸"))[0]


async def test_concurrent_stock_outs_go_below_zero_and_stay_balanced(tenant: TenantInfo) -> None:
    """Allowed: all fifty go out, each ledger row the running balance. Beside it, a product
    that does not allow it keeps the guard under the same race."""
    loose = await product(name="A4纸")
    strict = await product(name="订书机", unit="个")
    await Product.filter(id=loose.id).update(allow_negative=True)
    loose = await Product.get(id=loose.id)
    place = await default_warehouse(1, NOW)
    await post(1, [Move(loose, place, 10, MoveKind.STOCK_IN)], None, NOW)
    await post(1, [Move(strict, place, 10, MoveKind.STOCK_IN)], None, NOW)

    async def out(item: Product) -> str:
        try:
            async with in_transaction():
                await post(1, [Move(item, place, -1, MoveKind.STOCK_OUT)], None, NOW)
        except Shortage:
            return "short"
        return "ok"

    results = await asyncio.gather(*(out(item) for _ in range(50) for item in (loose, strict)))
    assert results[0::2].count("ok") == 50
    assert results[1::2].count("ok") == 10
    assert (await StockBalance.get(product_id=loose.id)).on_hand == -40
    assert (await StockBalance.get(product_id=strict.id)).on_hand == 0
    outs = await StockMove.filter(product_id=loose.id, kind=MoveKind.STOCK_OUT)
    assert sorted(m.balance_after for m in outs) == list(range(-40, 10))
    report = await check_stock(1)
    assert report.ok and report.negative == 0


async def test_the_check_still_flags_a_negative_balance_of_a_guarded_product(
    tenant: TenantInfo,
) -> None:
    item = await product()
    shop = await warehouse("门店")
    await Product.filter(id=item.id).update(allow_negative=True)
    item = await Product.get(id=item.id)
    await post(1, [Move(item, shop, -2, MoveKind.STOCK_OUT)], None, NOW)
    assert (await check_stock(1)).ok
    await Product.filter(id=item.id).update(allow_negative=False)
    report = await check_stock(1)
    assert report.negative == 1 and not report.ok
