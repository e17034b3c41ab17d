"""Signed callbacks mutated at random (seeded, so a failure replays): whatever a stranger or a
broken proxy sends, the bot answers below 500, stores nothing for what it refuses, and no
handler crashes on what it accepts. Every mutation is signed and encrypted correctly, so it
reaches the parsers and the handlers rather than stopping at the signature check."""

from __future__ import annotations

import json
import logging
import random
import string
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.wecom.crypto import CallbackCrypto
from models.inbox import InboxStatus, InboxUpdate
from tests.core.test_callback_transport import CORP_ID, Wire, start_bot, wire  # noqa: F401
from tests.support.aibot import AIBOT_AES_KEY, AIBOT_TOKEN, GroupBot, group_bot, with_aibot

SEED = 20261123
CASES = 300

WORDS = [
    "帮助", "知识 99999999999999999999", "我的客户 99999999999999999999", "知识 9999999999",
    "[退款点这里](http://evil.example/r)", "**粗体**", "<font color=\"red\">x</font>",
    "新建客户 王五 13800138000", "本月满意度", "问 打印机卡纸", "", " ", "\u2005", "😀" * 50,
    "a" * 3000, "<![CDATA[x]]>", "&amp;", "\t\r\n", "第 2 页", "-1", "0", "1e309",
]  # fmt: skip
EVENTS = [
    "change_external_contact", "change_external_chat", "change_contact", "template_card_event",
    "enter_agent", "kf_msg_or_event", "location", "click", "pic_weixin", "x" * 300, "",
]  # fmt: skip


def odd_text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.4:
        return rng.choice(WORDS)
    alphabet = string.ascii_letters + string.digits + "_-.@:/ 中文\u200b"
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 8, 64, 65, 300])))


def odd_number(rng: random.Random) -> str:
    return rng.choice(
        ["1", "0", "-1", "1795399200", "9" * 20, "9" * 400, "1.5", "abc", "", "  7", "٣"]
    )


def cdata(value: str) -> str:
    return f"<![CDATA[{value.replace(']]>', '')}]]>"


def app_callback(rng: random.Random, n: int) -> str:
    fields: dict[str, str] = {
        "ToUserName": cdata(CORP_ID),
        "FromUserName": cdata(rng.choice(["zhangsan", "lisi", "sys", "u" * 65, odd_text(rng)])),
        "CreateTime": rng.choice(["1795399200", odd_number(rng)]),
        "MsgType": cdata(rng.choice(["text", "text", "event", "image", "voice", odd_text(rng)])),
        "AgentID": rng.choice(["1000002", odd_number(rng)]),
    }
    if rng.random() < 0.7:
        fields["MsgId"] = rng.choice([str(10_000 + n), odd_number(rng)])
    if rng.random() < 0.8:
        fields["Content"] = cdata(odd_text(rng))
    if rng.random() < 0.5:
        fields["Event"] = cdata(rng.choice(EVENTS))
        fields["ChangeType"] = cdata(odd_text(rng))
        fields["UserID"] = cdata(rng.choice(["lisi", "u" * 65, ""]))
        fields["ExternalUserID"] = cdata(odd_text(rng))
    body = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    if rng.random() < 0.1:
        depth = rng.choice([3, 17, 600])
        body += "<a>" * depth + "x" + "</a>" * depth
    if rng.random() < 0.05:
        body = body[: rng.randrange(len(body))]  # cut short: malformed
    return f"<xml>{body}</xml>"


def aibot_callback(rng: random.Random, n: int) -> str:
    data: dict[str, Any] = {
        "msgid": rng.choice([f"m{n}", "", odd_text(rng)]),
        "chattype": rng.choice(["group", "single", odd_text(rng)]),
        "from": {"userid": rng.choice(["zhangsan", "lisi", "u" * 65, odd_text(rng)])},
        "msgtype": rng.choice(["text", "text", "mixed", "voice", "event", "stream", ""]),
        "text": {"content": "@小助手 " + odd_text(rng)},
        "create_time": rng.choice([1795399200, -1, 2**70, "soon", None, True]),
    }
    if rng.random() < 0.2:
        data["mixed"] = {"msg_item": rng.choice([[{"msgtype": "text", "text": {}}], "x", [1]])}
    if rng.random() < 0.1:
        data["from"] = rng.choice([None, "zhangsan", [], {"userid": 7}])
    text = json.dumps(data, ensure_ascii=False)
    if rng.random() < 0.1:
        text = text.replace("@小助手", "\\ud800")  # a lone surrogate, spelled in JSON
    if rng.random() < 0.05:
        text = "[" * 5000 + "]" * 5000
    return text


def query_mutation(rng: random.Random, query: dict[str, str]) -> dict[str, str]:
    """Now and then the query itself is damaged, after signing."""
    roll = rng.random()
    if roll < 0.85:
        return query
    name = rng.choice(["msg_signature", "timestamp", "nonce"])
    damaged = dict(query)
    if roll < 0.9:
        damaged.pop(name)
    else:
        damaged[name] = rng.choice(["9" * 400, "x" * 5000, "", "-1", "１２３"])
    return damaged


def cases(build: Callable[[random.Random, int], str]) -> Iterator[tuple[int, str, random.Random]]:
    rng = random.Random(SEED)
    for n in range(CASES):
        yield n, build(rng, n), rng


# Where a crash on input would be logged. (An answer the outbox gives up on, say to a signed
# group-bot message that came without a response_url, is an ERROR of bot.outbox by design.)
CRASH_LOGGERS = ("aiohttp", "bot.app", "bot.inbox", "bot.wecom", "bot.dispatch")


def no_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()[:200]
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith(CRASH_LOGGERS)
    ]


async def test_mutated_app_callbacks(wire: Wire, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    statuses: dict[int, int] = {}
    for _, plaintext, rng in cases(app_callback):
        query, envelope, _ = wire.seal(plaintext)
        stored_before = await InboxUpdate.all().count()
        status, body = await wire.send(query_mutation(rng, query), envelope)
        stored = await InboxUpdate.all().count() - stored_before
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, plaintext[:300]
        assert body == ""
        assert stored == 0 if status != 200 else stored <= 1, plaintext[:300]
    await wire.settle()
    assert statuses.get(200, 0) > 20 and sum(v for k, v in statuses.items() if k >= 400) > 20
    crashed = await InboxUpdate.filter(status=InboxStatus.FAILED).values_list("key", flat=True)
    assert crashed == []
    assert no_errors(caplog) == []


async def test_mutated_group_bot_callbacks(
    settings: Any, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    crypto = CallbackCrypto(AIBOT_TOKEN, AIBOT_AES_KEY, "")
    statuses: dict[int, int] = {}
    async with (
        group_bot(with_aibot(settings), clock, reply_seconds=0.05) as bot,
        aiohttp.ClientSession() as http,
    ):
        url = URL(bot.embedded.bot_url) / "wecom/acme/aibot"
        for _, plaintext, rng in cases(aibot_callback):
            sealed = crypto.seal(plaintext, str(int(clock.now().timestamp())))
            query = {k: sealed[k] for k in ("msg_signature", "timestamp", "nonce")}
            stored_before = await InboxUpdate.all().count()
            async with http.post(
                url, params=query_mutation(rng, query), json={"encrypt": sealed["encrypt"]}
            ) as answer:
                status = answer.status
            stored = await InboxUpdate.all().count() - stored_before
            statuses[status] = statuses.get(status, 0) + 1
            assert status < 500, plaintext[:300]
            assert stored == 0 if status != 200 else stored <= 1, plaintext[:300]
        await bot.settle()
    assert statuses.get(200, 0) > 20 and sum(v for k, v in statuses.items() if k >= 400) > 20
    crashed = await InboxUpdate.filter(status=InboxStatus.FAILED).values_list("key", flat=True)
    assert crashed == []
    assert no_errors(caplog) == []


_ = GroupBot  # the running bot's type, for readers of group_bot
