"""A 微信客服 customer reporting a problem (报修 …): a work order for them, when the tenant has
the tickets module, and the admins hear of it at once (through their notice channel).

The customer is found by their external_userid (the same id as in 客户联系); one who is not
in the customer book yet is added, so the ticket has someone to belong to.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.notices import notify_admins
from bot.subscription.service import Billing
from bot.surveys.kf_chat import address_of
from bot.tickets.store import NewTicket, open_ticket
from models.crm.customers import Customer, CustomerKind
from models.tickets import Ticket

TICKETS = "tickets"
OPENED = "已为您登记工单 {number}：{title}。工作人员会尽快处理，并在这里回复您。"
USAGE = "请在“报修”后面写上遇到的问题，例如：报修 打印机不出纸"
TOLD = "【新工单】微信客服客户 {customer} 报修：{number} {title}。发送「派单 {tail} 给 同事」派单。"
VISITOR = "微信客服访客{tail}"
TITLE_LIMIT = 40


async def may_report(ctx: Context) -> bool:
    billing: Billing = ctx.deps["billing"]
    return await billing.grants(ctx.tenant.id, ctx.tenant.timezone, TICKETS)


async def report_problem(ctx: Context, text: str) -> str:
    problem = text.strip()
    if not problem:
        return USAGE
    customer = await _customer_of(ctx)
    ticket = await open_ticket(
        ctx, NewTicket(title=problem[:TITLE_LIMIT], description=problem, customer=customer)
    )
    await _tell_staff(ctx, ticket, customer)
    return OPENED.format(number=ticket.number, title=ticket.title)


async def _customer_of(ctx: Context) -> Customer:
    external_userid = address_of(ctx).external_userid
    found = await Customer.get_or_none(tenant_id=ctx.tenant.id, external_userid=external_userid)
    if found is not None:
        return found
    now = ctx.clock.now()
    return await Customer.create(
        tenant_id=ctx.tenant.id,
        external_userid=external_userid,
        name=VISITOR.format(tail=external_userid[-4:]),
        kind=CustomerKind.WECHAT,
        source="微信客服",
        created_at=now,
        updated_at=now,
    )


async def _tell_staff(ctx: Context, ticket: Ticket, customer: Customer) -> None:
    text = TOLD.format(
        customer=customer.display_name,
        number=ticket.number,
        title=ticket.title,
        tail=f"{ticket.seq:04d}",
    )
    await notify_admins(ctx.tenant, text, key=f"ticket:{ticket.id}:from-kf", now=ctx.clock.now())
