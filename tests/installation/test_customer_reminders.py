"""The customer's reminder the day before, with the link to confirm the time or ask for
another: in their open 微信客服 chat, else as a mass-send task the booker confirms with one tap
(add_msg_template), else as a link the booker forwards. Once per appointment version."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat, sweep

from bot.clock import FrozenClock
from bot.config import Settings
from models.installation import InstallLink, LinkPurpose
from models.kf import KfWindow
from models.outbox import OutboxMessage

pytestmark = pytest.mark.db
SH = ZoneInfo("Asia/Shanghai")
N1 = "AZ-20261123-0001"
DAY_BEFORE = datetime(2026, 11, 25, 14, 0, tzinfo=SH)
ASKED = (
    "您好，艾克米科技已为您预约上门安装：11月26日（周四）14:00-16:00，打印机2台。"
    "时间合适请点击链接确认，需要改时间也可以在链接里告诉我们："
)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        yield opened


async def book(chat: Chat, external_userid: str | None = None) -> None:
    customer = await add_customer("星辰科技")
    if external_userid:
        customer.external_userid = external_userid
        await customer.save()
    await chat.say("lisi", "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路")
    await chat.say("zhaoliu", "安排 AZ0001 给 王师傅")


async def link_url(chat: Chat) -> str:
    [link] = await InstallLink.all()
    assert link.purpose is LinkPurpose.APPOINTMENT
    return f"{chat.embedded.bot_url}/i/{link.token}"


async def tasks(chat: Chat) -> list[dict[str, Any]]:
    async with (
        aiohttp.ClientSession(chat.embedded.simulator_url) as session,
        session.get("/_sim/msg_templates/acme") as response,
    ):
        found: list[dict[str, Any]] = await response.json()
        return found


async def test_a_customer_wecom_does_not_know_gets_a_link_the_booker_forwards(
    chat: Chat, clock: FrozenClock
) -> None:
    await book(chat)
    clock.set(DAY_BEFORE)
    assert await sweep(chat, clock) == 1
    assert chat.sent_to("lisi") == [
        f"请把这个链接转发给客户 星辰科技 ，请客户确认安装时间（安装单 {N1}）：\n"
        f"{await link_url(chat)}"
    ]
    clock.set(DAY_BEFORE + timedelta(hours=2))
    assert await sweep(chat, clock) == 0
    assert chat.sent_to("lisi") == []


async def test_a_wechat_customer_gets_a_task_the_booker_confirms(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.sim.seed_customer(
        "acme",
        {"external_userid": "wm_xc", "name": "星辰科技", "follow_users": [{"userid": "lisi"}]},
    )
    await book(chat, "wm_xc")
    clock.set(DAY_BEFORE)
    assert await sweep(chat, clock) == 1
    url = await link_url(chat)
    assert chat.sent_to("lisi") == [
        f"已为客户 星辰科技 生成安装单 {N1} 的确认安装时间群发，请在企业微信「客户联系 → 群发助手」"
        f"里确认发送。没有看到提醒的话，也可以把这个链接转发给客户：\n{url}"
    ]
    [task] = await tasks(chat)
    assert (task["sender"], task["external_userid"]) == ("lisi", ["wm_xc"])
    assert task["text"] == ASKED
    assert task["attachments"][0]["link"]["url"] == url


async def test_a_customer_in_an_open_kf_chat_is_told_there(chat: Chat, clock: FrozenClock) -> None:
    await book(chat, "wm_xc")
    await KfWindow.create(
        tenant_id=1, open_kfid="wkSUPPORT", external_userid="wm_xc",
        last_customer_message_at=DAY_BEFORE - timedelta(hours=1), sends_left=5,
        updated_at=DAY_BEFORE,
    )  # fmt: skip
    clock.set(DAY_BEFORE)
    assert await sweep(chat, clock) == 1
    [row] = await OutboxMessage.filter(channel="kf")
    assert row.recipient == "wkSUPPORT|wm_xc"
    assert row.payload["content"] == f"{ASKED}\n{await link_url(chat)}"
    assert chat.sent_to("lisi") == []
    assert await tasks(chat) == []
