"""Stock counts (盘点) in chat: an admin starts one, colleagues enter what they counted, 盘点差异
shows quantity and value, and confirming posts each difference on top of what moved since
(selling during a count never corrupts stock); confirming twice posts once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product

from bot.clock import FrozenClock
from bot.config import Settings
from models.erp import CountState, MoveKind, StockBalance, StockCount, StockMove
from tests.erp.test_stock_invariants import assert_ledger_balanced

N1 = "PD-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await product()
        await opened.say("lisi", "新增商品 A4纸 进价18")
        await product("订书机", "个", 1250)
        await opened.say("lisi", "入库 A4纸 100箱")
        await opened.say("lisi", "入库 订书机 20个")
        yield opened


async def test_a_count_posts_its_differences_on_top_of_moves_made_since(chat: Chat) -> None:
    assert await chat.say("zhangsan", "开始盘点") == [
        f"已开始盘点 {N1}（总仓）。大家发送「盘 商品 数量」录入实盘数，"
        "「盘点差异」查看差异，管理员发送「确认盘点 0001」入账。"
    ]
    assert await chat.say("lisi", "盘 A4纸 97") == [
        f"已记下：A4纸 实盘 97箱（账面 100箱，盘亏 3箱），盘点 {N1}。"
    ]
    assert await chat.say("wangwu", "盘 订书机 22个") == [
        f"已记下：订书机 实盘 22个（账面 20个，盘盈 2个），盘点 {N1}。"
    ]
    # Sold while the count goes on: the 10 boxes are not part of the 3 missing ones.
    await chat.say("lisi", "出库 A4纸 10箱")
    assert await chat.say("lisi", "盘点差异") == [
        f"盘点 {N1}（总仓，进行中）已盘 2 种：\n"
        "A4纸：账面 100 · 实盘 97 · 盘亏 3箱 · -¥54.00"
        "（盘点后有出入库，确认时差额叠加在现有库存上）\n"
        "订书机：账面 20 · 实盘 22 · 盘盈 2个\n"
        "合计差异金额 -¥54.00（按进价）"
    ]
    [refused] = await chat.say("lisi", "确认盘点 0001")
    assert "管理员" in refused
    assert await chat.say("zhangsan", "确认盘点 0001") == [
        f"已确认盘点 {N1}：A4纸 盘亏 3箱，现有 87箱；订书机 盘盈 2个，现有 22个。"
    ]
    assert await chat.say("zhangsan", "确认盘点 0001") == [f"盘点 {N1} 已经确认过了。"]
    counted = await StockMove.filter(kind=MoveKind.COUNT).order_by("id")
    assert sorted((m.qty_delta, m.balance_after) for m in counted) == [(-3, 87), (2, 22)]
    assert {b.on_hand for b in await StockBalance.all()} == {87, 22}
    assert (await StockCount.get()).state is CountState.CONFIRMED
    await assert_ledger_balanced()


async def test_counting_again_replaces_and_cancelling_posts_nothing(chat: Chat) -> None:
    assert await chat.say("lisi", "盘 A4纸 97") == [
        "现在没有进行中的盘点。管理员发送「开始盘点 仓库」开始，例如：开始盘点 总仓"
    ]
    await chat.say("zhangsan", "开始盘点 总仓")
    assert await chat.say("zhangsan", "开始盘点") == [
        f"总仓已有盘点 {N1} 进行中：发送「盘 商品 数量」录入，「盘点差异」查看。"
    ]
    await chat.say("lisi", "盘 A4纸 97")
    await chat.say("wangwu", "盘 A4纸 100")
    assert "A4纸：账面 100 · 实盘 100 · 相符" in (await chat.say("lisi", "盘点差异 0001"))[0]
    assert await chat.say("zhangsan", "取消盘点 0001") == [f"已取消盘点 {N1}，没有入账。"]
    assert await chat.say("lisi", "盘 A4纸 90") == [
        "现在没有进行中的盘点。管理员发送「开始盘点 仓库」开始，例如：开始盘点 总仓"
    ]
    assert not await StockMove.filter(kind=MoveKind.COUNT).exists()


async def test_a_loss_larger_than_what_is_left_is_refused(chat: Chat) -> None:
    await chat.say("zhangsan", "开始盘点")
    await chat.say("lisi", "盘 订书机 5个")  # 15 missing
    await chat.say("lisi", "出库 订书机 10个")  # 10 left
    assert await chat.say("zhangsan", "确认盘点") == [
        "库存不足：总仓的「订书机」只有 10个 可用，要15个不够。"
        f"盘点 {N1} 的盘亏超过现有库存（盘点后又有出库），请复盘后再确认。"
    ]
    assert (await StockCount.get()).state is CountState.OPEN
    await assert_ledger_balanced()
