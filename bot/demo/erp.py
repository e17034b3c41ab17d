"""The demo's ERP-lite scene: the provider adds 进销存, a colleague orders paper from a supplier in
one sentence, half of it arrives (two damaged boxes go back), a colleague takes some for use,
and the stock is asked in plain words and checked against its ledger."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.demo.grant import grant_module
from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

PURCHASE = (
    "· 仓管王五建好商品和供应商，用一句话下采购单，确认后发出；货到了一部分先入库，"
    "两箱破损退回供应商："
)
STOCK = "· 张三领走几箱，再用大白话问还剩多少，管理员核对库存与流水："


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


async def erp_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.billing is not None and runtime.sender is not None
    # The warehouse clerk is a third member: 李四 has used most of WeCom's per-member minute by
    # now, so more of his messages would wait for the next one.
    admin, clerk = ChatSession(control, "demo", "zhangsan"), ChatSession(control, "demo", "wangwu")
    await grant_module(embedded, "erp")
    _out(PURCHASE)
    for text in (
        "新增商品 A4纸 单位箱 进价18 预警10",
        "新增供应商 晨光文具 赵六 13800000000",
        "向晨光采购 A4纸100箱 单价18 周五到货",
        "确认",
        "到货 0001 A4纸 60",
        "退货 0001 A4纸 2",
    ):
        show("wangwu", text, await clerk.say(text))
    _out(STOCK)
    show("wangwu", "张三拿了3箱A4纸", await clerk.say("张三拿了3箱A4纸"))
    show("wangwu", "A4纸还有多少", await clerk.say("A4纸还有多少"))
    show("zhangsan", "库存核对", await admin.say("库存核对"))
    _out()
