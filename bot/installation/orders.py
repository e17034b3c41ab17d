"""Closing the loop with the sales order a job was booked from (订单0001安排安装): completing
the job records the installed quantity on each of the order's lines, never more than was
shipped. Setting (not adding) the quantity, only upwards, makes it once however often it runs;
a job booked without an order changes nothing."""

from __future__ import annotations

from bot.orders.view import shipped_by_line
from models.installation import InstallJob
from models.orders import Order, OrderLine

INSTALLED = "订单 {number} 已记安装：{items}。"
NOT_SHIPPED = "订单 {number} 的{items}还没发货，没有记为已安装（发货后再记）。"


async def record_installed(job: InstallJob) -> str:
    """Call inside the completing transaction; returns what to add to the reply."""
    if job.order_id is None:
        return ""
    order = await Order.get_or_none(id=job.order_id, tenant_id=job.tenant_id)
    if order is None:
        return ""
    lines = (
        await OrderLine.filter(order_id=order.id).order_by("position").prefetch_related("product")
    )
    shipped = await shipped_by_line(order.id)
    installed, short = [], []
    for line in lines:
        can = min(line.qty, shipped.get(line.id, 0))
        if can < line.qty:
            short.append(f"{line.product.name}{line.qty - can}{line.unit}")
        if can > line.installed_qty:
            await OrderLine.filter(id=line.id, installed_qty__lt=can).update(installed_qty=can)
        if can:
            installed.append(f"{line.product.name}{can}{line.unit}")
    said = []
    if installed:
        said.append(INSTALLED.format(number=order.number, items="、".join(installed)))
    if short:
        said.append(NOT_SHIPPED.format(number=order.number, items="、".join(short)))
    return "\n".join(said)
