"""The group bot end to end on loopback: the simulator plays WeCom (encrypted JSON callbacks
with the empty receive id, response_url) and the bot answers either in the callback's own HTTP
reply or, when the answer is slow, through response_url. Both sides share a frozen clock."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType, Reply, Update
from bot.wecom.crypto import CallbackCrypto
from models.inbox import InboxUpdate
from models.outbox import OutboxMessage, OutboxStatus
from tests.support.aibot import AIBOT_AES_KEY, AIBOT_TOKEN, GROUP, GroupBot, group_bot, with_aibot


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_aibot(settings)


@pytest.fixture
async def bot(settings: Settings, clock: FrozenClock) -> AsyncIterator[GroupBot]:
    async with group_bot(settings, clock) as running:
        yield running


def gated_router(gate: asyncio.Event, *answers: Reply) -> Router:
    """Answers once ``gate`` opens; the wait is in ``prepare``, outside any transaction."""
    router = Router("gated")

    async def wait(ctx: Context) -> None:
        await gate.wait()

    async def answer(ctx: Context) -> list[Reply]:
        return list(answers)

    router.message(prepare=wait)(answer)
    return router


async def stored(msgid: str) -> Update:
    return Update.from_json((await InboxUpdate.get(key=f"aibot:{msgid}")).payload)


# --- URL verification and passive replies -----------------------------------------------------


async def test_wecom_verifies_the_group_bot_url(bot: GroupBot) -> None:
    assert await bot.wecom.verify_aibot("acme") == {"status": 200, "verified": True}


async def test_help_in_a_group_is_answered_in_the_callbacks_own_reply(bot: GroupBot) -> None:
    answer = await bot.wecom.aibot("acme", "@小助手 帮助", chatid=GROUP, msgid="m-help")
    assert (answer["status"], answer["attempts"]) == (200, 1)
    stream = answer["reply"]["stream"]
    assert answer["reply"]["msgtype"] == "stream" and stream["finish"] is True
    assert "我能帮你做这些" in stream["content"]
    await bot.settle()
    update = await stored("m-help")
    assert (update.chat_type, update.chat_id, update.user_id, update.text) == (
        ChatType.GROUP,
        GROUP,
        "zhangsan",
        "帮助",
    )
    [row] = await OutboxMessage.all()
    assert (row.channel, row.recipient, row.status) == ("aibot", "aibot:m-help", "sent")
    assert [r["api"] for r in await bot.wecom.sent()] == ["aibot/passive_reply"]


async def test_a_quoted_message_reaches_the_handler(bot: GroupBot) -> None:
    await bot.wecom.aibot("acme", "@小助手 查客户", quoted="张三 13800138000", msgid="m-q")
    await bot.settle()
    assert (await stored("m-q")).fields["quote"] == "张三 13800138000"


async def test_a_retried_message_is_handled_once(bot: GroupBot) -> None:
    first = await bot.wecom.aibot("acme", "@小助手 帮助", msgid="m-twice")
    again = await bot.wecom.aibot("acme", "@小助手 帮助", msgid="m-twice")
    await bot.settle()
    assert first["reply"] is not None and again["reply"] is None
    assert await InboxUpdate.filter(key="aibot:m-twice").count() == 1
    assert await OutboxMessage.all().count() == 1
    assert len(await bot.wecom.sent()) == 1  # no second answer through response_url either


async def test_a_message_delivered_twice_at_once_is_answered_once(bot: GroupBot) -> None:
    answers = await asyncio.gather(
        *(bot.wecom.aibot("acme", "@小助手 帮助", msgid="m-race") for _ in range(2))
    )
    await bot.settle()
    assert sorted(a["reply"] is None for a in answers) == [False, True]
    assert await InboxUpdate.filter(key="aibot:m-race").count() == 1
    assert [r["api"] for r in await bot.wecom.sent()] == ["aibot/passive_reply"]
    assert len(bot.embedded.runtime.passive) == 0  # no waiter outlives its request


# --- slow answers: response_url ----------------------------------------------------------------


async def test_a_slow_answer_goes_through_response_url_in_one_message(
    settings: Settings, clock: FrozenClock
) -> None:
    gate = asyncio.Event()
    router = gated_router(gate, Reply("报表生成好了"), Reply.markdown("**本月新增 12 位客户**"))
    async with group_bot(settings, clock, routers=[router], reply_seconds=0.05) as bot:
        answer = await bot.wecom.aibot("acme", "@小助手 日报", msgid="m-slow")
        assert (answer["status"], answer["reply"]) == (200, None)  # acknowledged in time
        gate.set()
        await bot.settle()
        [sent] = await bot.sent("aibot/response")
    assert sent["msgid"] == "m-slow"
    assert sent["body"] == {
        "msgtype": "markdown",
        "markdown": {"content": "报表生成好了\n\n**本月新增 12 位客户**"},
    }
    rows = await OutboxMessage.all().order_by("id")
    assert [(row.status, row.attempts) for row in rows] == [(OutboxStatus.SENT, 1)] * 2


async def test_a_long_answer_split_by_the_outbox_arrives_whole(
    settings: Settings, clock: FrozenClock
) -> None:
    report = "".join(f"第{n:03d}位客户：本周已回访，等待报价。\n" for n in range(150))
    gate = asyncio.Event()
    router = gated_router(gate, Reply(report), Reply("以上"))
    async with group_bot(settings, clock, routers=[router], reply_seconds=0.05) as bot:
        await bot.wecom.aibot("acme", "@小助手 日报", msgid="m-long")
        gate.set()
        await bot.settle()
        [sent] = await bot.sent("aibot/response")
    assert await OutboxMessage.all().count() > 2  # the report was split to 2,048 bytes
    assert sent["body"]["markdown"]["content"] == report + "\n\n以上"


async def test_an_answer_later_than_an_hour_is_a_dead_letter_with_a_reason(
    settings: Settings, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    gate = asyncio.Event()
    router = gated_router(gate, Reply("终于好了"))
    async with group_bot(settings, clock, routers=[router], reply_seconds=0.05) as bot:
        await bot.wecom.aibot("acme", "@小助手 日报", msgid="m-late")
        clock.advance(timedelta(minutes=61))
        with caplog.at_level(logging.WARNING):
            gate.set()
            await bot.settle()
        assert await bot.sent("aibot/response") == []
    [row] = await OutboxMessage.all()
    assert row.status == OutboxStatus.DEAD and "expired" in row.last_error
    assert "response_url has expired" in caplog.text


async def test_a_reply_addressed_to_a_person_reaches_them_through_the_app(
    settings: Settings, clock: FrozenClock
) -> None:
    gate = asyncio.Event()
    gate.set()
    router = gated_router(gate, Reply("已安排", to_user="lisi"))
    async with group_bot(settings, clock, routers=[router]) as bot:
        answer = await bot.wecom.aibot("acme", "@小助手 派单 lisi")
        await bot.settle()
        [sent] = await bot.sent("message/send")
    assert answer["reply"] is None  # nothing for the group itself
    assert (sent["body"]["touser"], sent["body"]["text"]["content"]) == ("lisi", "已安排")


# --- refusals ----------------------------------------------------------------------------------


def sealed_post(
    bot: GroupBot, plaintext: str, *, token: str = AIBOT_TOKEN, age: int = 0
) -> tuple[dict[str, str], dict[str, str]]:
    stamp = str(int(bot.clock.now().timestamp()) - age)
    sealed = CallbackCrypto(token, AIBOT_AES_KEY, "").seal(plaintext, stamp)
    query = {k: sealed[k] for k in ("msg_signature", "timestamp", "nonce")}
    return query, {"encrypt": sealed["encrypt"]}


MESSAGE = json.dumps(
    {
        "msgid": "m-bad",
        "chattype": "single",
        "from": {"userid": "zhangsan"},
        "msgtype": "text",
        "text": {"content": "帮助"},
    }
)


def oversized(bot: GroupBot) -> tuple[dict[str, str], Any]:
    query, _ = sealed_post(bot, MESSAGE)
    return query, b"{" * (64 * 1024 + 1)


REFUSALS: dict[str, tuple[Any, int, str]] = {
    "bad signature": (lambda b: sealed_post(b, MESSAGE, token="forged"), 403, "signature"),
    "bad JSON body": (lambda b: (sealed_post(b, MESSAGE)[0], b"{encrypt"), 400, "not JSON"),
    "bad JSON inside": (lambda b: sealed_post(b, "{msgid"), 400, "not JSON"),
    "body over 64 KiB": (oversized, 413, "bytes"),
    "replayed": (lambda b: sealed_post(b, MESSAGE, age=301), 403, "replay window"),
    "overlong userid": (
        lambda b: sealed_post(b, MESSAGE.replace("zhangsan", "u" * 65)),
        400,
        "from.userid of 65 characters",
    ),
    "400-digit timestamp": (
        lambda b: ({**sealed_post(b, MESSAGE)[0], "timestamp": "9" * 400}, {"encrypt": "x"}),
        400,
        "timestamp",
    ),
}


@pytest.mark.parametrize(("build", "status", "reason"), REFUSALS.values(), ids=REFUSALS.keys())
async def test_bad_callbacks_are_refused_like_the_apps(
    bot: GroupBot, caplog: pytest.LogCaptureFixture, build: Any, status: int, reason: str
) -> None:
    query, body = build(bot)
    url = URL(bot.embedded.bot_url) / "wecom/acme/aibot"
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with aiohttp.ClientSession() as http, http.post(url, params=query, data=data) as answer:
        assert (answer.status, await answer.text()) == (status, "")
    assert reason in caplog.text
    assert AIBOT_TOKEN not in caplog.text and AIBOT_AES_KEY not in caplog.text
    assert await InboxUpdate.all().count() == 0


async def test_a_tenant_without_a_group_bot_has_no_endpoint(bot: GroupBot) -> None:
    query, body = sealed_post(bot, MESSAGE)
    url = URL(bot.embedded.bot_url) / "wecom/other/aibot"
    async with aiohttp.ClientSession() as http, http.post(url, params=query, json=body) as answer:
        assert answer.status == 404


async def test_a_callback_with_a_lone_surrogate_is_refused_and_the_others_are_stored(
    bot: GroupBot, caplog: pytest.LogCaptureFixture
) -> None:
    def message(msgid: str, text: str) -> str:
        body = json.loads(MESSAGE)
        return json.dumps({**body, "msgid": msgid, "text": {"content": text}})

    bad = message("m-bad", "PLACEHOLDER").replace("PLACEHOLDER", "\\ud800")
    plaintexts = [message(f"m-{n}", "帮助") for n in range(10)]
    plaintexts.insert(5, bad)
    url = URL(bot.embedded.bot_url) / "wecom/acme/aibot"

    async def post(http: aiohttp.ClientSession, plaintext: str) -> int:
        query, body = sealed_post(bot, plaintext)
        async with http.post(url, params=query, json=body) as answer:
            return answer.status

    async with aiohttp.ClientSession() as http:
        statuses = await asyncio.gather(*(post(http, p) for p in plaintexts))
    assert statuses == [200] * 5 + [400] + [200] * 5
    assert "not Unicode" in caplog.text
    keys = {row.key for row in await InboxUpdate.all()}
    assert keys == {f"aibot:m-{n}" for n in range(10)}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
