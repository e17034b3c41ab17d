"""The demo's ERP-lite scene: the admin buys 进销存, a colleague orders paper from a supplier in
one sentence, half of it arrives, a colleague takes some for use, and the stock is asked in
plain words and checked against its ledger."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.embedded import Embedded
from bot.subscription import operations as ops
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.subscriptions import Order

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

BUY = "· 管理员开通进销存，服务商确认收款后立即生效："
PURCHASE = "· 李四建好商品和供应商，用一句话下采购单，确认后发出；货到了一部分先入库："
STOCK = "· 张三领走几箱，再用大白话问还剩多少，管理员核对库存与流水："


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


async def erp_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.billing is not None and runtime.sender is not None
    admin, clerk = ChatSession(control, "demo", "zhangsan"), ChatSession(control, "demo", "lisi")
    _out(BUY)
    await admin.say("开通 进销存")
    show("zhangsan", "确认", await admin.say("确认"))
    bought = await Order.filter(tenant__key="demo").order_by("-id").first()
    assert bought is not None, "确认 created the order"
    await ops.confirm_payment(runtime.billing, bought.id, "cli:demo")
    await runtime.sender.sweep()
    _out(PURCHASE)
    for text in (
        "新增商品 A4纸 单位箱 进价18 预警10",
        "新增供应商 晨光文具 王五 13800000000",
        "向晨光采购 A4纸100箱 单价18 周五到货",
        "确认",
        "到货 0001 A4纸 60",
    ):
        show("lisi", text, await clerk.say(text))
    _out(STOCK)
    show("lisi", "张三拿了3箱A4纸", await clerk.say("张三拿了3箱A4纸"))
    show("lisi", "A4纸还有多少", await clerk.say("A4纸还有多少"))
    show("zhangsan", "库存核对", await admin.say("库存核对"))
    _out()
