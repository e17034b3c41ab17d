"""进销存 said the way warehouse staff type it, end to end on the frozen Monday: each sentence
gets the reply its canonical command gives (a stock-in asked for with 帮我入个库, goods a
colleague took, a transfer, a count started and entered in words, a supplier added, shown,
listed and stopped, the warehouses listed), and chatter about a warehouse is no command."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.erp import erp_chat, product

from bot.clock import FrozenClock
from bot.config import Settings

PD = "PD-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await product()
        yield opened


async def test_stock_moves_said_in_words(chat: Chat) -> None:
    assert await chat.say("lisi", "帮我入个库 A4纸 30箱") == [
        "已入库：A4纸 30箱 → 总仓。总仓现有 30箱。"
    ]
    assert await chat.say("lisi", "王五拿了2箱A4纸") == [
        "王五 领用 A4纸 2箱（总仓）。总仓还剩 28箱。"
    ]
    assert await chat.say("lisi", "A4纸出了1箱库") == ["已出库：A4纸 1箱（总仓）。总仓还剩 27箱。"]
    assert await chat.say("lisi", "查一下A4纸的库存") == [
        "「A4纸」库存（单位：箱）\n总仓：在库 27箱 · 占用 0 · 可用 27箱 · 在途 0"
    ]


async def test_warehouses_and_a_count_said_in_words(chat: Chat) -> None:
    await chat.say("lisi", "入库 A4纸 27箱")
    assert await chat.say("zhangsan", "新增一个仓库 门店") == [
        "已新增仓库「门店」。入库到这里：入库 商品 数量 门店"
    ]
    assert await chat.say("lisi", "都有哪些仓库") == ["仓库（2 个）：总仓（默认）、门店"]
    assert await chat.say("lisi", "从总仓调5箱A4纸到门店") == [
        "已调拨：A4纸 5箱，总仓 → 门店。总仓还剩 22箱，门店现有 5箱。"
    ]
    assert await chat.say("zhangsan", "总仓要盘点了") == [
        f"已开始盘点 {PD}（总仓）。大家发送「盘 商品 数量」录入实盘数，"
        "「盘点差异」查看差异，管理员发送「确认盘点 0001」入账。"
    ]
    assert await chat.say("lisi", "A4纸盘出来是22箱") == [
        f"已记下：A4纸 实盘 22箱（账面 22箱，相符），盘点 {PD}。"
    ]
    assert await chat.say("lisi", "盘点和账面差多少") == [
        f"盘点 {PD}（总仓，进行中）已盘 1 种：\nA4纸：账面 22 · 实盘 22 · 相符\n"
        "合计差异金额 ¥0.00（按进价）"
    ]


async def test_suppliers_said_in_words(chat: Chat) -> None:
    assert await chat.say("lisi", "加个供应商：晨光文具 王五 13800000000") == [
        "已新增供应商「晨光文具」（王五 13800000000）。向它采购：采购 晨光文具 商品 数量 单价"
    ]
    assert await chat.say("lisi", "晨光文具这家供应商") == [
        "供应商「晨光文具」\n联系人：王五 · 电话：13800000000\n近90天采购 0 单，合计 ¥0.00\n"
        "准时到货率：近90天还没有按期限到齐的采购单"
    ]
    assert await chat.say("lisi", "我们有哪些供应商") == [
        "供应商（1 家）：\n晨光文具（王五 13800000000）"
    ]
    assert await chat.say("zhangsan", "晨光文具这家供应商先停用") == [
        "已停用供应商「晨光文具」，不能再向它采购；已有的采购单照常到货。"
    ]
    # 启用 / 停掉 said of a supplier is not a module of the subscription
    [restored] = await chat.say("zhangsan", "启用供应商晨光文具")
    assert "晨光文具" in restored and "开通" not in restored
    assert await chat.say("zhangsan", "把供应商晨光文具停掉") == [
        "已停用供应商「晨光文具」，不能再向它采购；已有的采购单照常到货。"
    ]
    [again] = await chat.say("zhangsan", "恢复晨光文具这家供应商")
    assert again == restored


async def test_talk_about_a_warehouse_is_no_command(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "仓库的空调又坏了")
    assert reply.startswith("没听懂「仓库的空调又坏了」。")
