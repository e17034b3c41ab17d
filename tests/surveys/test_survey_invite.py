"""Page surveys reach customers through their employee: a mass-send task the employee
confirms (add_msg_template), or a link to forward."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from support.surveys import customer, employee, survey
from tortoise.transactions import in_transaction

from bot.embedded import Embedded
from bot.surveys.invite import send_page_survey
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError
from bot.wecom.msg_templates import add_msg_template
from bot.wecom_sim.chat import message_text
from bot.wecom_sim.control_contacts import ContactsSimControl
from models.crm.customers import Customer
from models.outbox import OutboxMessage, OutboxStatus


@pytest.fixture
async def sim(embedded: Embedded) -> AsyncIterator[ContactsSimControl]:
    async with aiohttp.ClientSession() as session:
        yield ContactsSimControl(session, embedded.simulator_url)


async def tasks(embedded: Embedded) -> list[dict[str, Any]]:
    async with (
        aiohttp.ClientSession(embedded.simulator_url) as session,
        session.get("/_sim/msg_templates/acme") as response,
    ):
        assert response.status == 200
        found: list[dict[str, Any]] = await response.json()
        return found


async def confirm(embedded: Embedded, msgid: str) -> int:
    async with (
        aiohttp.ClientSession(embedded.simulator_url) as session,
        session.post(f"/_sim/msg_templates/acme/{msgid}/confirm") as response,
    ):
        return response.status


async def invite(embedded: Embedded, tenant: TenantInfo, about: Customer) -> str:
    """Send a page survey about ``about`` through lisi; returns what lisi was told."""
    now = embedded.runtime.options.clock.now()
    asked = await survey(now, who=await employee("lisi", "李四", now), about=about)
    async with in_transaction():
        await send_page_survey(
            asked, tenant=tenant, customer=about, base_url=embedded.bot_url, now=now
        )
    sender = embedded.runtime.sender
    assert sender is not None
    async with aiohttp.ClientSession() as session:
        control = ContactsSimControl(session, embedded.simulator_url)
        since = await control.sent_count()
        await sender.sweep()
        sent = [r for r in await control.sent(since=since) if r["api"] == "message/send"]
    [told] = [message_text(r["body"]) for r in sent if r["body"]["touser"] == "lisi"]
    return told.replace(asked.token, "TOKEN").replace(embedded.bot_url, "BOT")


async def test_a_wechat_customer_gets_a_task_the_employee_confirms(
    embedded: Embedded, tenant: TenantInfo, sim: ContactsSimControl
) -> None:
    await sim.seed_customer(
        "acme",
        {"external_userid": "wm_zhang", "name": "张三", "follow_users": [{"userid": "lisi"}]},
    )
    now = embedded.runtime.options.clock.now()
    told = await invite(embedded, tenant, await customer("张三", now, "wm_zhang"))
    assert told == (
        "已为客户 张三 生成满意度调查的群发，请在企业微信「客户联系 → 群发助手」"
        "（或手机上的群发提醒）里确认发送。\n"
        "如果没有看到提醒，也可以把这个链接直接转发给客户：\nBOT/s/TOKEN\n"
        "链接 7 天内有效，只能填写一次。"
    )
    [task] = await tasks(embedded)
    assert (task["sender"], task["external_userid"], task["status"]) == (
        "lisi",
        ["wm_zhang"],
        "waiting",
    )
    assert "艾克米科技" in task["text"]
    link = task["attachments"][0]["link"]
    assert link["title"] == "满意度调查" and link["desc"] == "您对本次服务满意吗？"
    assert link["url"].startswith(f"{embedded.bot_url}/s/")
    assert await confirm(embedded, task["msgid"]) == 200
    assert (await tasks(embedded))[0]["status"] == "sent"
    assert await confirm(embedded, task["msgid"]) == 409
    assert await confirm(embedded, "msg-unknown") == 404
    row = await OutboxMessage.get(channel="msg_template")
    assert row.status == OutboxStatus.SENT


async def test_a_customer_wecom_does_not_know_gets_a_link_to_forward(
    embedded: Embedded, tenant: TenantInfo
) -> None:
    now = embedded.runtime.options.clock.now()
    told = await invite(embedded, tenant, await customer("王老板", now))
    assert told == (
        "请把下面的满意度调查转发给客户 王老板 ：\n您对本次服务满意吗？\nBOT/s/TOKEN\n"
        "链接 7 天内有效，只能填写一次。"
    )
    assert await tasks(embedded) == []
    assert not await OutboxMessage.exists(channel="msg_template")


async def test_a_customer_of_someone_else_is_missed_and_the_link_remains(
    embedded: Embedded,
    tenant: TenantInfo,
    sim: ContactsSimControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await sim.seed_customer(
        "acme", {"external_userid": "wm_li", "name": "李总", "follow_users": [{"userid": "wangwu"}]}
    )
    now = embedded.runtime.options.clock.now()
    with caplog.at_level(logging.WARNING, logger="bot.surveys.invite"):
        told = await invite(embedded, tenant, await customer("李总", now, "wm_li"))
    assert "BOT/s/TOKEN" in told
    assert await tasks(embedded) == []
    assert "missed wm_li" in caplog.text


async def test_the_simulated_api_refuses_what_wecom_refuses(
    embedded: Embedded, tenant: TenantInfo, sim: ContactsSimControl
) -> None:
    client = embedded.runtime.client
    assert client is not None
    await sim.seed_customer(
        "acme", {"external_userid": "wm_a", "name": "甲", "follow_users": [{"userid": "lisi"}]}
    )
    cases = [
        ({"sender": "lisi", "external_userids": ["wm_nobody"], "text": "hi"}, 40096),
        ({"sender": "", "external_userids": ["wm_a"], "text": "hi"}, 40058),
        ({"sender": "lisi", "external_userids": ["wm_a"], "text": ""}, 40058),
        ({"sender": "lisi", "external_userids": [], "text": "hi"}, 40058),
    ]
    for fields, errcode in cases:
        with pytest.raises(WeComAPIError) as raised:
            await add_msg_template(client, tenant.credentials, **fields)  # type: ignore[arg-type]
        assert raised.value.errcode == errcode, fields
    task = await add_msg_template(
        client, tenant.credentials, sender="lisi", external_userids=["wm_a"], text="hi"
    )
    assert task.msgid.startswith("msg") and task.fail_list == ()
