"""The demo's order scene: the admin buys the orders module, a salesperson writes an order
for 王小明 in one sentence and confirms it, 王小明 pays the first half through WeCom
对外收款 (a bill in the simulator, its remark naming the order), the sync puts it on the
order, half is shipped, and 待回款 shows what is still to come.

The bill is matched by its remark and needs no message to anyone, so the salesperson gets
no more messages than before: the tour stays within WeCom's 30 a minute to one member."""

from __future__ import annotations

import sys
from collections.abc import Callable

import aiohttp

from bot.embedded import Embedded
from bot.orders.externalpay import sync_bills
from bot.subscription import operations as ops
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.control_externalpay import ExternalPaySimControl
from models.crm.customers import Customer
from models.orders import Order as SalesOrder
from models.subscriptions import Order

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

BUY = "· 管理员开通订单管理，服务商确认收款后立即生效："
WRITE = "· 李四用一句话给王小明下单（折扣、分期、首付日期都在句子里），确认后生效："
PAID = (
    "· 王小明通过企业微信「对外收款」付了首付 ¥225（收款备注写了订单号 {number}），"
    "机器人同步对外收款记录，按备注记到订单上："
)
SYNCED = "  同步对外收款：{bills} 笔收款，{collected} 笔自动记到订单，{queued} 笔待认领。"
MONEY = "· 先发一半货，再看还有哪些钱没收回来："
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
    await _pays_through_externalpay(embedded)
    _out(MONEY)
    for text in ("订单 0001", "发货 0001 A4纸 10箱 顺丰 SF123456", "待回款"):
        show("lisi", text, await seller.say(text))
    _out()


async def _pays_through_externalpay(embedded: Embedded) -> None:
    """王小明 pays ¥225 with the order number in the remark; one sync takes it."""
    runtime = embedded.runtime
    tenant = await runtime.tenants.get("demo")
    customer = await Customer.get(tenant__key="demo", name="王小明")
    order = await SalesOrder.filter(tenant__key="demo").order_by("-id").first()
    assert tenant is not None and runtime.client is not None and order is not None
    _out(PAID.format(number=order.number))
    async with aiohttp.ClientSession() as http:
        await ExternalPaySimControl(http, embedded.simulator_url).add_bill(
            "demo",
            22500,
            external_userid=customer.external_userid,
            payee_userid="lisi",
            remark=f"订单{order.number} 首付",
        )
    report = await sync_bills(runtime.client, tenant, runtime.options.clock)
    _out(SYNCED.format(bills=report.bills, collected=report.collected, queued=report.queued))
