"""Real WeCom callbacks over loopback: wechatpy encrypts and signs them, as WeCom would, and
POSTs them to the bot; what the employee gets back is read from the simulated WeCom API."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.app import RUNTIME, Options, create_app
from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import Update
from bot.embedded import simulated_tenants
from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.simulator import create_simulator_app
from models.inbox import InboxStatus, InboxUpdate

TOKEN = "123456"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
CORP_ID = "wx49f0ab532d5d035a"
OTHER_TOKEN = "othertoken"
OTHER_AES_KEY = "Rb/oNXpmWDHVuAEVCy7Q2njX/ZxW3pF+1uLuVodQm6c"
SECRETS = (TOKEN, AES_KEY, "acme-secret", OTHER_TOKEN, OTHER_AES_KEY, "other-secret")
ACME = "/wecom/acme/app"


def xml(**fields: str | int) -> str:
    """A callback's plaintext XML as WeCom writes it: text in CDATA, numbers bare."""
    body = "".join(
        f"<{name}>{value}</{name}>"
        if isinstance(value, int)
        else f"<{name}><![CDATA[{value}]]></{name}>"
        for name, value in fields.items()
    )
    return f"<xml>{body}</xml>"


def text_message(content: str, *, sender: str = "zhangsan", msg_id: int = 1001) -> str:
    return xml(
        ToUserName=CORP_ID,
        FromUserName=sender,
        CreateTime=1795399200,
        MsgType="text",
        Content=content,
        MsgId=msg_id,
        AgentID=1000002,
    )


def sign(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


@dataclass
class Wire:
    http: TestClient[Any, Any]
    wecom: SimulatorControl
    clock: FrozenClock

    def seal(
        self,
        plaintext: str,
        *,
        token: str = TOKEN,
        key: str = AES_KEY,
        corp_id: str = CORP_ID,
        timestamp: int | None = None,
        nonce: str = "5e3a9c",
    ) -> tuple[dict[str, str], str, str]:
        """Query, envelope and ciphertext, exactly as wechatpy builds them."""
        stamp = str(timestamp if timestamp is not None else int(self.clock.now().timestamp()))
        envelope = WeChatCrypto(token, key, corp_id).encrypt_message(plaintext, nonce, stamp)
        signature = re.search(r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", envelope)
        encrypted = re.search(r"<Encrypt><!\[CDATA\[(.+?)\]\]>", envelope)
        assert signature and encrypted
        query = {"msg_signature": signature[1], "timestamp": stamp, "nonce": nonce}
        return query, envelope, encrypted[1]

    async def send(self, query: dict[str, str], body: Any, path: str = ACME) -> tuple[int, str]:
        async with self.http.post(path, params=query, data=body) as response:
            return response.status, await response.text()

    async def post(self, plaintext: str, **seal: Any) -> tuple[int, str]:
        query, envelope, _ = self.seal(plaintext, **seal)
        return await self.send(query, envelope)

    async def settle(self) -> list[dict[str, Any]]:
        """Let background handling finish; what reached the employees."""
        await self.http.app[RUNTIME].tasks.drain()
        return await self.wecom.sent()


@pytest.fixture
async def start_bot(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[Callable[..., Awaitable[Wire]]]:
    simulator = TestServer(
        create_simulator_app(simulated_tenants(settings), clock=clock), host="127.0.0.1"
    )
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(simulator)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        api_base = str(simulator.make_url("")).rstrip("/")

        async def start(*, routers: list[Router] | None = None, replay_window: int = 300) -> Wire:
            wecom = replace(settings.wecom, api_base=api_base, replay_window_seconds=replay_window)
            options = Options(
                clock=clock, manage_database=False, run_scheduler=False, routers=routers
            )
            app = create_app(replace(settings, wecom=wecom), options)
            http = await stack.enter_async_context(TestClient(TestServer(app, host="127.0.0.1")))
            return Wire(http, SimulatorControl(session, api_base), clock)

        yield start


@pytest.fixture
async def wire(start_bot: Callable[..., Awaitable[Wire]]) -> Wire:
    return await start_bot()


def refusal_log(caplog: pytest.LogCaptureFixture) -> str:
    records = [r for r in caplog.records if r.name == "bot.wecom.callback"]
    assert records and all(r.levelno == logging.WARNING for r in records)
    text = "\n".join(r.getMessage() for r in records)
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"secrets in the log: {leaked}"
    return text


# --- URL verification ------------------------------------------------------------------------


def echostr_with_plus(wire: Wire, plain: str) -> tuple[dict[str, str], str]:
    for _ in range(200):  # the 16 random bytes in front make each ciphertext different
        query, _, encrypted = wire.seal(plain)
        if "+" in encrypted:
            return query, encrypted
    raise AssertionError("no ciphertext with a '+' in 200 tries")


@pytest.mark.parametrize("plus_as", ["%2B", "+", "%20"], ids=["escaped", "raw", "space"])
async def test_url_verification_answers_the_bare_echostr(wire: Wire, plus_as: str) -> None:
    # Behind some proxies the '+' of the base64 echostr arrives unescaped or as a space.
    query, echostr = echostr_with_plus(wire, "1616140317555161061")
    signed = "&".join(f"{name}={value}" for name, value in query.items())
    path = f"{ACME}?{signed}&echostr={echostr.replace('/', '%2F').replace('+', plus_as)}"
    async with wire.http.get(path) as response:
        assert (response.status, await response.text()) == (200, "1616140317555161061")


async def test_url_verification_with_a_wrong_signature_is_refused(
    wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    query, _, echostr = wire.seal("1616140317555161061", token=OTHER_TOKEN)
    async with wire.http.get(ACME, params={**query, "echostr": echostr}) as response:
        assert (response.status, await response.text()) == (403, "")
    assert "signature mismatch" in refusal_log(caplog)


# --- messages and events ---------------------------------------------------------------------


async def test_a_text_message_is_stored_acknowledged_and_answered(wire: Wire) -> None:
    assert await wire.post(text_message("你好", msg_id=1001)) == (200, "")
    [sent] = await wire.settle()
    assert sent["api"] == "message/send"
    assert sent["body"]["touser"] == "zhangsan"
    assert sent["body"]["text"]["content"].startswith("你好！我是你的客户助手")
    row = await InboxUpdate.get(key="msg:1001")
    assert row.status == InboxStatus.DONE
    update = Update.from_json(row.payload)
    assert (update.user_id, update.text, update.msg_type) == ("zhangsan", "你好", "text")


CONTACT_EVENTS = {
    "add_external_contact": {"State": "展会二维码", "WelcomeCode": "WELCOME-1"},
    "edit_external_contact": {},
    "add_half_external_contact": {"State": "官网", "WelcomeCode": "WELCOME-2"},
    "del_external_contact": {"Source": "DELETE_BY_TRANSFER"},
    "del_follow_user": {},
    "transfer_fail": {"FailReason": "customer_refused"},
}


@pytest.mark.parametrize("change_type", CONTACT_EVENTS)
async def test_every_customer_contact_change_becomes_an_update(
    wire: Wire, change_type: str
) -> None:
    extra = CONTACT_EVENTS[change_type]
    callback = xml(
        ToUserName=CORP_ID,
        FromUserName="sys",
        CreateTime=1795399200,
        MsgType="event",
        Event="change_external_contact",
        ChangeType=change_type,
        UserID="zhangsan",
        ExternalUserID="wmEAlECwAAHrbWYDetiu3Af13xlYDDNQ",
        **extra,
    )
    assert await wire.post(callback) == (200, "")
    assert await wire.settle() == []  # an event is not a chat: nobody gets a reply
    [row] = await InboxUpdate.all()
    update = Update.from_json(row.payload)
    assert (update.event, update.change_type) == ("change_external_contact", change_type)
    assert update.user_id == "zhangsan"  # the employee, not "sys"
    assert update.external_user_id == "wmEAlECwAAHrbWYDetiu3Af13xlYDDNQ"
    assert {name: update.fields.get(name) for name in extra} == extra
    assert row.status == InboxStatus.DONE


@pytest.mark.parametrize("how", ["same bytes", "re-encrypted", "concurrently"])
async def test_wecom_retries_have_one_effect(wire: Wire, how: str) -> None:
    callback = text_message("帮助", msg_id=4242)
    query, envelope, _ = wire.seal(callback)
    if how == "same bytes":
        statuses = [await wire.send(query, envelope) for _ in range(3)]
    elif how == "re-encrypted":
        statuses = [await wire.post(callback, nonce=f"n{i}") for i in range(3)]
    else:
        statuses = list(await asyncio.gather(*(wire.send(query, envelope) for _ in range(3))))
    assert statuses == [(200, "")] * 3
    [sent] = await wire.settle()
    assert "【通用】帮助" in sent["body"]["text"]["content"]
    assert await InboxUpdate.filter(key="msg:4242").count() == 1


SQLITE = os.environ.get("SCRM_TEST_DATABASE", "sqlite") == "sqlite"


@pytest.mark.parametrize(
    "slow_in",
    [
        "prepare",
        pytest.param(
            "handler",
            marks=pytest.mark.xfail(
                SQLITE,
                strict=True,
                reason="SQLite has one connection, held for a whole transaction: slow work "
                "inside a handler's transaction delays every other callback's acknowledgement",
            ),
        ),
    ],
)
async def test_the_acknowledgement_waits_neither_for_the_handler_nor_for_others(
    start_bot: Callable[..., Awaitable[Wire]], slow_in: str
) -> None:
    started, gate = asyncio.Event(), asyncio.Event()
    router = Router("slow")

    async def wait_for_wecom(ctx: Context) -> None:
        if ctx.update.user_id == "zhangsan":
            started.set()
            await gate.wait()

    async def answer(ctx: Context) -> str:
        if slow_in == "handler":
            await wait_for_wecom(ctx)
        return "好的"

    prepare = wait_for_wecom if slow_in == "prepare" else None
    router.message(prepare=prepare)(answer)
    wire = await start_bot(routers=[router])
    # zhangsan's handler stays blocked on the gate; both callbacks are acknowledged anyway.
    assert await asyncio.wait_for(wire.post(text_message("在吗")), timeout=2) == (200, "")
    await asyncio.wait_for(started.wait(), timeout=2)
    try:
        lisi = wire.post(text_message("你好", sender="lisi", msg_id=1002))
        assert await asyncio.wait_for(lisi, timeout=1) == (200, "")
    finally:
        gate.set()
    assert sorted(r["body"]["touser"] for r in await wire.settle()) == ["lisi", "zhangsan"]


async def test_an_old_timestamp_is_accepted_when_the_replay_window_is_off(
    start_bot: Callable[..., Awaitable[Wire]], clock: FrozenClock
) -> None:
    wire = await start_bot(replay_window=0)
    a_day_ago = int((clock.now() - timedelta(days=1)).timestamp())
    assert await wire.post(text_message("你好"), timestamp=a_day_ago) == (200, "")
    [sent] = await wire.settle()
    assert sent["body"]["touser"] == "zhangsan"


# --- refusals --------------------------------------------------------------------------------


def flip_padding(encrypted: str) -> str:
    raw = bytearray(base64.b64decode(encrypted))
    raw[-17] ^= 0x80  # CBC: flips the top bit of the last padding byte, now > 32
    return base64.b64encode(bytes(raw)).decode()


def truncate(encrypted: str) -> str:
    return base64.b64encode(base64.b64decode(encrypted)[:-5]).decode()


def resigned(wire: Wire, change: Callable[[str], str]) -> tuple[dict[str, str], str]:
    """Ciphertext damaged in transit but signed again, so only the decryption can notice."""
    query, _, encrypted = wire.seal(text_message("你好"))
    damaged = change(encrypted)
    query["msg_signature"] = sign(TOKEN, query["timestamp"], query["nonce"], damaged)
    return query, f"<xml><Encrypt><![CDATA[{damaged}]]></Encrypt></xml>"


def query_with(**changes: str | None) -> Callable[[Wire], tuple[dict[str, str], str]]:
    """A good callback whose query is then altered (None: the parameter is left out)."""

    def build(wire: Wire) -> tuple[dict[str, str], str]:
        query, envelope, _ = wire.seal(text_message("你好"))
        altered = {**query, **changes}
        return {name: value for name, value in altered.items() if value is not None}, envelope

    return build


def timestamp_off_by(seconds: int) -> Callable[[Wire], tuple[dict[str, str], str]]:
    def build(wire: Wire) -> tuple[dict[str, str], str]:
        stamp = int(wire.clock.now().timestamp()) + seconds
        query, envelope, _ = wire.seal(text_message("你好"), timestamp=stamp)
        return query, envelope

    return build


async def chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 4096):
        yield b"<" * 4096


DOCTYPE = '<!DOCTYPE xml [<!ENTITY x "y">]><xml><Encrypt>&x;</Encrypt></xml>'
Build = Callable[[Wire], tuple[dict[str, str], Any]]
REFUSALS: dict[str, tuple[Build, int, str]] = {
    "bad signature": (query_with(msg_signature="0" * 40), 403, "signature mismatch"),
    "encrypted for another corp": (
        lambda w: w.seal(text_message("你好"), corp_id="wwsomeoneelse0001")[:2],
        403,
        "corp id",
    ),
    "tampered ciphertext": (lambda w: resigned(w, flip_padding), 400, "padding"),
    "truncated ciphertext": (lambda w: resigned(w, truncate), 400, "block size"),
    "malformed envelope": (
        lambda w: (w.seal("x")[0], "<xml><Encrypt>abc</Encrypt"),
        400,
        "malformed XML",
    ),
    "malformed XML inside": (lambda w: w.seal("<xml><MsgType>")[:2], 400, "malformed"),
    "envelope with DOCTYPE": (lambda w: (w.seal("x")[0], DOCTYPE), 400, "DOCTYPE"),
    "DOCTYPE inside": (
        lambda w: w.seal('<!DOCTYPE x [<!ENTITY a "b">]>' + text_message("&a;"))[:2],
        400,
        "DOCTYPE",
    ),
    "timestamp too old": (timestamp_off_by(-301), 403, "replay window"),
    "timestamp in the future": (timestamp_off_by(+301), 403, "replay window"),
    "no msg_signature": (query_with(msg_signature=None), 400, "msg_signature"),
    "no timestamp": (query_with(timestamp=None), 400, "timestamp"),
    "no nonce": (query_with(nonce=None), 400, "nonce"),
    "body over 64 KiB": (lambda w: (w.seal("x")[0], b"<" * (64 * 1024 + 1)), 413, "bytes"),
    "streamed body over 64 KiB": (lambda w: (w.seal("x")[0], chunks(80 * 1024)), 413, "64 KiB"),
}


@pytest.mark.parametrize(("build", "status", "reason"), REFUSALS.values(), ids=REFUSALS.keys())
async def test_bad_callbacks_are_refused_without_internals(
    wire: Wire, caplog: pytest.LogCaptureFixture, build: Build, status: int, reason: str
) -> None:
    query, body = build(wire)
    assert await wire.send(query, body) == (status, "")
    assert reason in refusal_log(caplog)
    assert await InboxUpdate.all().count() == 0
    assert await wire.settle() == []


async def test_an_unknown_tenant_is_not_found(wire: Wire, caplog: pytest.LogCaptureFixture) -> None:
    query, envelope, _ = wire.seal(text_message("你好"))
    assert await wire.send(query, envelope, path="/wecom/nobody/app") == (404, "")
    assert "unknown tenant" in refusal_log(caplog)


async def test_the_other_tenants_signature_does_not_open_acme(
    wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    # Same message, sealed correctly for "other": accepted there, refused at acme's door.
    sealed = wire.seal(
        text_message("你好", sender="wangwu"),
        token=OTHER_TOKEN,
        key=OTHER_AES_KEY,
        corp_id="wwother0000000001",
    )
    assert await wire.send(*sealed[:2]) == (403, "")
    assert await wire.send(*sealed[:2], path="/wecom/other/app") == (200, "")
    [sent] = await wire.settle()
    assert sent["body"]["touser"] == "wangwu"
    assert sent["body"]["agentid"] == 1000003
    assert "signature mismatch" in refusal_log(caplog)


# --- hostile and unusual input -----------------------------------------------------------------


async def test_a_400_digit_timestamp_is_refused_before_any_arithmetic(
    wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    query, envelope, _ = wire.seal(text_message("你好"), timestamp=int("9" * 400))
    assert await wire.send(query, envelope) == (400, "")
    async with wire.http.get(ACME, params={**query, "echostr": "abc"}) as response:
        assert (response.status, await response.text()) == (400, "")
    assert "timestamp" in refusal_log(caplog)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("name", ["msg_signature", "nonce"])
async def test_oversized_signed_parameters_are_refused(
    wire: Wire, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    query, envelope, _ = wire.seal(text_message("你好"))
    assert await wire.send({**query, name: "a" * 5000}, envelope) == (400, "")
    assert f"{name} of 5000 characters" in refusal_log(caplog)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("endpoint", ["app", "aibot"])
async def test_an_overlong_tenant_key_is_not_found_and_not_logged_whole(
    wire: Wire, caplog: pytest.LogCaptureFixture, method: str, endpoint: str
) -> None:
    key = "k" * 33 + "x" * 3000
    query, envelope, _ = wire.seal(text_message("你好"))
    async with wire.http.request(
        method, f"/wecom/{key}/{endpoint}", params=query, data=envelope
    ) as response:
        assert (response.status, await response.text()) == (404, "")
    log = refusal_log(caplog)
    assert "unknown tenant" in log and "x" * 100 not in log and "3033 characters" in log
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_url_verification_honours_the_replay_window(
    wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    stale = int(wire.clock.now().timestamp()) - 301
    query, _, echostr = wire.seal("1616140317555161061", timestamp=stale)
    async with wire.http.get(ACME, params={**query, "echostr": echostr}) as response:
        assert (response.status, await response.text()) == (403, "")
    assert "replay window" in refusal_log(caplog)


async def test_the_server_header_names_no_versions(wire: Wire) -> None:
    for path in ("/healthz", "/nowhere", ACME):
        async with wire.http.get(path) as response:
            assert response.headers["Server"] == "scrm-bot", path


async def test_deeply_nested_xml_is_refused(wire: Wire, caplog: pytest.LogCaptureFixture) -> None:
    nested = "<a>" * 500 + "x" + "</a>" * 500
    assert await wire.post(f"<xml><MsgType>text</MsgType>{nested}</xml>") == (400, "")
    assert "nested more than" in refusal_log(caplog)
    assert await InboxUpdate.all().count() == 0


async def test_a_sender_longer_than_a_wecom_userid_is_refused(
    wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    assert await wire.post(text_message("你好", sender="u" * 65)) == (400, "")
    assert "FromUserName" in refusal_log(caplog)
    assert await InboxUpdate.all().count() == 0


@pytest.mark.parametrize("text", ["帮助", "我的工单", "本周工单统计"])
async def test_a_message_from_the_system_sender_is_refused(
    wire: Wire, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    # "sys" signs customer-contact and contact events; a message is always from a member.
    assert await wire.post(text_message(text, sender="sys")) == (400, "")
    assert "sys" in refusal_log(caplog)
    assert await InboxUpdate.all().count() == 0
    assert await wire.settle() == []
