"""A customer-visible ticket reply reaches a customer who is talking to 微信客服."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from support.crm import Chat
from support.kf import CUSTOMER, KFID, KfChat, kf_chat, kf_text
from support.tickets import AFTERSALES, STAFF, colleague

from bot.clock import FrozenClock
from bot.config import Settings
from models.crm.customers import Customer, CustomerKind
from models.tickets import Ticket
from tests.support.billing import subscribe

N1 = "GD-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[KfChat]:
    async with kf_chat(settings, clock) as opened:
        billing = opened.embedded.runtime.billing
        assert billing is not None
        await subscribe(billing, 1, date(2026, 11, 1), date(2026, 12, 1), AFTERSALES)
        for userid, name, role in STAFF:
            await colleague(userid, name, role)
        now = clock.now()
        await Customer.create(
            tenant_id=1,
            name="张三",
            external_userid=CUSTOMER,
            kind=CustomerKind.WECHAT,
            created_at=now,
            updated_at=now,
        )
        yield opened


async def test_a_reply_goes_to_the_customers_open_kf_chat(chat: KfChat) -> None:
    employee = Chat(chat.embedded, chat.sim)
    await chat.says("打印机开不了机")  # the customer writes: the 48-hour window opens
    await employee.say("lisi", "新建工单 张三 打印机无法开机")
    since = await chat.sim.sent_count()
    [told] = await employee.say("lisi", "回复 0001 请检查电源线是否插紧")
    assert told.endswith("已通过微信客服发给客户。")
    [sent] = [r for r in await chat.sim.sent(since=since) if r["api"] == "kf/send_msg"]
    assert sent["body"]["touser"] == CUSTOMER and sent["body"]["open_kfid"] == KFID
    assert kf_text(sent) == f"【工单 {N1}】请检查电源线是否插紧"
    [note] = await employee.say("lisi", "备注 0001 备件明天到")  # internal: never to the customer
    assert [r for r in await chat.sim.sent(since=since) if r["api"] == "kf/send_msg"] == [sent]
    assert note == f"已给工单 {N1} 添加内部备注。"


async def test_a_customer_reports_a_problem_and_gets_a_work_order(chat: KfChat) -> None:
    [offer] = await chat.says("你们的打印机为什么老是卡纸")  # no knowledge base: no answer
    assert kf_text(offer) == (
        "抱歉，暂时没有找到相关答案。回复“报修 问题描述”登记工单，或回复“人工”转人工客服。"
    )
    [usage] = await chat.says("报修")
    assert kf_text(usage) == "请在“报修”后面写上遇到的问题，例如：报修 打印机不出纸"
    [opened] = await chat.says("报修 会议室打印机一直卡纸")
    assert kf_text(opened) == (
        f"已为您登记工单 {N1}：会议室打印机一直卡纸。工作人员会尽快处理，并在这里回复您。"
    )
    ticket = await Ticket.get(number=N1)
    customer = await Customer.get(external_userid=CUSTOMER)
    assert (ticket.customer_id, ticket.creator_id) == (customer.id, None)
    told = [r for r in await chat.sweep_outbox() if r["api"] == "message/send"]
    assert [(r["body"]["touser"], r["body"]["text"]["content"]) for r in told] == [
        (
            "zhangsan",
            f"【新工单】微信客服客户 张三 报修：{N1} 会议室打印机一直卡纸。"
            "发送「派单 0001 给 同事」派单。",
        )
    ]
