"""Outbox transports per channel: a registered transport gets its rows, a row for a channel
nobody registered goes dead, and the group webhook robot and app group chats deliver through
the simulated WeCom on the test's frozen clock (the robot paced to its 20 a minute)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from tortoise.transactions import in_transaction

from bot.config import Settings
from bot.dispatch.types import Reply, ReplyKind
from bot.outbox import OutboxPolicy, OutboxSender, Transport, enqueue
from bot.tenants import TenantDirectory, TenantInfo
from bot.transports import register_transports
from models.outbox import OutboxMessage, OutboxStatus
from tests.core import test_outbox
from tests.core.test_outbox import Stage
from tests.support.aibot import WEBHOOK_KEY, with_aibot

stage = test_outbox.stage  # the simulated WeCom on the test's clock, with a sender factory


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_aibot(settings)


def sender_with_transports(stage: Stage) -> OutboxSender:
    sender = OutboxSender(stage.client, TenantDirectory(), stage.clock, OutboxPolicy())
    register_transports(sender, stage.client, stage.clock)
    return sender


async def commit(stage: Stage, replies: Sequence[Reply], key: str = "notice:1") -> list[Any]:
    async with in_transaction():
        return await enqueue(
            stage.tenant.id,
            replies,
            default_user=None,
            key_prefix=key,
            channel="app",
            now=stage.clock.now(),
            lease=OutboxPolicy().lease,
        )


async def test_a_registered_transport_receives_its_rows(stage: Stage) -> None:
    received: list[tuple[str, str, dict[str, Any]]] = []

    async def fax(tenant: TenantInfo, row: OutboxMessage) -> None:
        received.append((tenant.key, row.recipient, row.payload))

    sender = stage.sender()
    sender.add_transport("fax", Transport(fax))
    await sender.send_rows(await commit(stage, [Reply("传真到了", to_user="f-1", channel="fax")]))
    assert received == [("acme", "f-1", {"content": "传真到了"})]
    assert (await OutboxMessage.get()).status == OutboxStatus.SENT
    assert await stage.wecom.sent() == []  # nothing went through message/send


async def test_a_row_for_an_unknown_channel_goes_dead(stage: Stage) -> None:
    rows = await commit(stage, [Reply("信鸽", to_user="lisi", channel="pigeon")])
    await stage.sender().send_rows(rows)
    row = await OutboxMessage.get()
    assert (row.status, row.last_error) == (OutboxStatus.DEAD, "no transport for 'pigeon'")


def notices(count: int) -> list[Reply]:
    return [
        Reply(f"续费提醒 {n}", ReplyKind.MARKDOWN, to_user=WEBHOOK_KEY, channel="webhook")
        for n in range(1, count + 1)
    ]


async def test_21_notices_in_a_minute_reach_the_robot_all_20_now_and_1_a_minute_later(
    stage: Stage,
) -> None:
    sender = sender_with_transports(stage)
    await sender.send_rows(await commit(stage, notices(21)))
    first = await stage.wecom.sent()
    assert [r["api"] for r in first] == ["webhook/send"] * 20
    assert first[0]["key"] == WEBHOOK_KEY
    assert first[0]["body"] == {"msgtype": "markdown", "markdown": {"content": "续费提醒 1"}}
    held = await OutboxMessage.get(status=OutboxStatus.PENDING)
    assert held.payload == {"content": "续费提醒 21"}
    assert held.next_attempt_at == stage.clock.now() + timedelta(minutes=1)
    stage.later(59)
    assert await sender.sweep() == 0
    stage.later(1)
    assert await sender.sweep() == 1
    sent = await stage.wecom.sent()
    assert [r["body"]["markdown"]["content"] for r in sent] == [
        f"续费提醒 {n}" for n in range(1, 22)
    ]
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 21


async def test_the_simulated_robot_refuses_the_21st_message_of_a_minute(
    stage: Stage,
) -> None:
    url = stage.wecom._base_url + "/cgi-bin/webhook/send"
    message = {"msgtype": "text", "text": {"content": "你好"}}
    codes = []
    async with aiohttp.ClientSession() as http:
        for _ in range(21):
            async with http.post(url, params={"key": WEBHOOK_KEY}, json=message) as answer:
                codes.append((await answer.json())["errcode"])
        async with http.post(url, params={"key": "unknown"}, json=message) as answer:
            assert (await answer.json())["errcode"] == 93000
    assert codes == [0] * 20 + [45009]


async def test_an_admin_group_chat_gets_its_message_through_appchat(
    stage: Stage,
) -> None:
    reply = Reply("有 3 个工单超时", to_user="wradmins01", channel="appchat")
    await sender_with_transports(stage).send_rows(await commit(stage, [reply]))
    [sent] = await stage.wecom.sent()
    assert sent["api"] == "appchat/send"
    assert sent["body"] == {
        "chatid": "wradmins01",
        "msgtype": "text",
        "text": {"content": "有 3 个工单超时"},
    }
