"""The demo's order scene: the admin buys the orders module, a salesperson writes an order
for 王小明 in one sentence and confirms it, records part of the money, ships half, and
reads what is still to come."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.embedded import Embedded
from bot.subscription import operations as ops
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.subscriptions import Order

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

BUY = "· 管理员开通订单管理，服务商确认收款后立即生效："
WRITE = "· 李四用一句话给王小明下单（折扣、分期、首付日期都在句子里），确认后生效："
MONEY = "· 收到一半货款、先发一半货，再看还有哪些钱没收回来："
ORDER = "给王小明下单 A4纸 20箱 单价25，打9折，分两期付款，首付一半下周五前"


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


async def order_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.billing is not None and runtime.sender is not None
    admin, seller = ChatSession(control, "demo", "zhangsan"), ChatSession(control, "demo", "lisi")
    _out(BUY)
    await admin.say("开通 订单")
    show("zhangsan", "确认", await admin.say("确认"))
    bought = await Order.filter(tenant__key="demo").order_by("-id").first()
    assert bought is not None, "确认 created the order"
    await ops.confirm_payment(runtime.billing, bought.id, "cli:demo")
    await runtime.sender.sweep()
    _out(WRITE)
    show("lisi", ORDER, await seller.say(ORDER))
    show("lisi", "确认", await seller.say("确认"))
    _out(MONEY)
    for text in ("收到王小明回款 225 转账", "发货 0001 A4纸 10箱 顺丰 SF123456", "待回款"):
        show("lisi", text, await seller.say(text))
    _out()
