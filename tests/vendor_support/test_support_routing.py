"""Words shared with work orders and 微信客服 stay theirs: 回复 / 关闭 with a work order's
number reach the tickets, a 微信客服 customer's 联系客服 is a question for the knowledge base,
and only a KF number makes 回复 / 关闭 a support request's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from support.billing import subscribe
from support.followups import MONDAY_10AM
from support.kf import kf_chat, kf_text
from support.tickets import AFTERSALES
from support.vendor_support import OPERATOR, Both, operators, support_chat

from bot.clock import FrozenClock
from bot.config import Settings
from models.tickets import Ticket, TicketComment, TicketStatus
from models.vendor_support import SupportRequest


@pytest.fixture
async def both(settings: Settings, clock: FrozenClock) -> AsyncIterator[Both]:
    async with support_chat(settings, clock) as opened:
        billing = opened.client.embedded.runtime.billing
        assert billing is not None
        await subscribe(billing, 1, date(2026, 11, 1), date(2027, 3, 1), AFTERSALES)
        yield opened


async def test_a_work_orders_reply_and_close_stay_with_the_tickets(both: Both) -> None:
    [opened] = await both.client_says("lisi", "新建工单 内部 打印机卡纸")
    assert "GD-20261123-0001" in opened
    await both.client_says("lisi", "联系客服 工单怎么打印")
    await both.client_says("zhangsan", "回复 0001 已远程处理")
    comment = await TicketComment.get()
    assert (comment.text, comment.internal) == ("已远程处理", False)
    await both.client_says("zhangsan", "回客户 1 明天上门")
    assert await TicketComment.filter(text="明天上门").count() == 1
    await both.client_says("zhangsan", "关闭 0001")
    ticket = await Ticket.get(tenant_id=1)
    assert ticket.status is TicketStatus.CLOSED
    request = await SupportRequest.get()
    assert request.last_reply == "" and request.closed_at is None


async def test_a_kf_number_makes_reply_and_close_the_requests(both: Both) -> None:
    await both.client_says("lisi", "联系客服 工单怎么打印")
    assert await both.desk_says(OPERATOR, "回复 KF0001 在 工单详情 里点打印") == [
        "已回复 KF0001（艾克米科技 · 李四）。"
    ]
    assert await both.desk_says(OPERATOR, "关闭 KF0001") == ["已关闭客服请求 KF0001，已通知 李四。"]
    # The desk's work order follows the request: the reply is its first response, and
    # closing the request closes it; the client's own work orders are untouched.
    desk_ticket = await Ticket.get(tenant_id=2)
    assert desk_ticket.status is TicketStatus.CLOSED
    assert desk_ticket.first_responded_at == MONDAY_10AM and desk_ticket.response_met
    comment = await TicketComment.get(ticket_id=desk_ticket.id)
    assert (comment.text, comment.internal) == ("在 工单详情 里点打印", False)
    assert await Ticket.filter(tenant_id=1).count() == 0


async def test_office_talk_about_customer_service_is_no_request(both: Both) -> None:
    await both.client_says("lisi", "客户说要找客服，帮我建个工单")
    await both.client_says("lisi", "帮助")
    assert await SupportRequest.all().count() == 0


async def test_a_wechat_customer_asking_for_service_is_not_a_support_request(
    settings: Settings, clock: FrozenClock
) -> None:
    async with kf_chat(operators(settings), clock) as chat:
        [answer] = await chat.says("联系客服 怎么退货")
        assert kf_text(answer).startswith("抱歉，暂时没有找到相关答案。")
        handed = await chat.says("人工客服")
        texts = [kf_text(r) for r in handed if r["api"] == "kf/send_msg"]
        assert texts == ["正在为您转接人工客服，请稍候…"]
    assert await SupportRequest.all().count() == 0
