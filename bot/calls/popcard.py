"""The screen pop: who is calling, in the few lines an agent reads before picking up."""

from __future__ import annotations

from bot.calls.numbers import Match, spaced
from models.calls import CallRecord
from models.crm.customers import Customer, CustomerNote
from models.orders import Order, OrderState
from models.tenants import Employee
from models.tickets import OPEN_STATUSES, Ticket

RECENT = 3
UNKNOWN = "来电 {number}：未知号码。新建客户？发送「新建客户 姓名 {number}」"
SEVERAL = "来电 {number}：{count} 位客户用这个号码，接听时请确认是哪一位：\n{names}"
OPEN_ORDERS = (OrderState.DRAFT, OrderState.CONFIRMED)


async def pop_text(call: CallRecord, match: Match) -> str:
    shown = spaced(call.number)
    customer = match.customer
    if customer is not None:
        return await _known(shown, customer)
    if match.ambiguous:
        names = "\n".join(f"· {_label(c)}" for c in match.customers)
        return SEVERAL.format(number=shown, count=len(match.customers), names=names)
    return UNKNOWN.format(number=call.number)


def _label(customer: Customer) -> str:
    return (
        f"{customer.display_name}（{customer.company}）"
        if customer.company
        else customer.display_name
    )


async def _known(shown: str, customer: Customer) -> str:
    owner = await Employee.get_or_none(id=customer.owner_id) if customer.owner_id else None
    lines = [
        f"来电 {shown}：{_label(customer)}",
        f"{customer.value_tier}级客户 · 负责人：{owner.name if owner else '无'}",
    ]
    notes = (
        await CustomerNote.filter(customer_id=customer.id)
        .order_by("-created_at", "-id")
        .limit(RECENT)
    )
    lines += [f"· {n.text}" for n in notes]
    tickets = await Ticket.filter(customer_id=customer.id, status__in=OPEN_STATUSES).count()
    orders = await Order.filter(customer_id=customer.id, state__in=OPEN_ORDERS).count()
    lines.append(f"未结工单 {tickets} 个 · 进行中订单 {orders} 个")
    return "\n".join(lines)
