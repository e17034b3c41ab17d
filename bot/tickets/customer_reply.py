"""A customer-visible reply (回复 0001 …) reaching the customer.

An app cannot message a WeChat customer; the bot can only answer them in 微信客服, and only
within 48 hours of their last message there (``bot.kf.budget``). So a reply goes out through
the customer's open 微信客服 chat when there is one, and otherwise the employee is told to
pass it on themselves. Either way the reply is on the ticket.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.types import Reply
from bot.kf.budget import open_address
from bot.kf.transport import KF_CHANNEL
from models.crm.customers import Customer
from models.tickets import Ticket

TO_CUSTOMER = "【工单 {number}】{text}"
SENT = "已通过微信客服发给客户。"
NOT_REACHABLE = "客户最近 48 小时没有在微信客服联系过，消息发不过去：请通过企业微信转告客户。"


async def reply_to_customer(ctx: Context, ticket: Ticket, text: str) -> str:
    """Queue ``text`` for the ticket's customer in the handler's transaction; returns what
    to tell the employee ("" for an internal ticket)."""
    if ticket.customer_id is None:
        return ""
    customer = await Customer.get_or_none(id=ticket.customer_id, tenant_id=ctx.tenant.id)
    external_userid = customer.external_userid if customer else None
    to = (
        await open_address(ctx.tenant.id, external_userid, ctx.clock.now())
        if external_userid
        else None
    )
    if to is None:
        return NOT_REACHABLE
    message = TO_CUSTOMER.format(number=ticket.number, text=text)
    ctx.replies.append(Reply(message, to_user=str(to), channel=KF_CHANNEL))
    return SENT
