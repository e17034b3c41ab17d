"""The WeCom simulator, end to end over loopback: its API, its control API and its callbacks,
checked against a fake bot that decrypts with wechatpy (an implementation independent of ours).
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.clock import FrozenClock
from bot.wecom_sim.control import SimulatorControl, SimulatorControlError
from bot.wecom_sim.simulator import SimTenant, create_simulator_app
from bot.wecom_sim.state import SentLog

CORP_ID = "wx49f0ab532d5d035a"
TOKEN = "123456"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
SECRET = "demo-secret"
AGENT_ID = 1000002
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Received:
    query: dict[str, str]
    xml: str

    @property
    def root(self) -> ET.Element:
        return ET.fromstring(self.xml)

    def field(self, name: str) -> str | None:
        return self.root.findtext(name)


@dataclass
class FakeBot:
    """Decrypts callbacks with wechatpy and answers as scripted: a status or "sleep"."""

    script: list[int | str] = field(default_factory=list)
    echo_suffix: str = ""  # set to make URL verification answer the wrong body
    received: list[Received] = field(default_factory=list)
    crypto: WeChatCrypto = field(default_factory=lambda: WeChatCrypto(TOKEN, AES_KEY, CORP_ID))

    async def on_post(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        plain = self.crypto.decrypt_message(
            await request.text(), query["msg_signature"], query["timestamp"], query["nonce"]
        )
        self.received.append(Received(query, plain))
        action = self.script.pop(0) if self.script else 200
        if action == "sleep":
            await asyncio.sleep(0.5)
            return web.Response()
        assert isinstance(action, int)
        return web.Response(status=action)

    async def on_get(self, request: web.Request) -> web.Response:
        q = request.query
        echo = self.crypto.check_signature(
            q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"]
        )
        return web.Response(text=echo + self.echo_suffix)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/wecom/demo/app", self.on_post)
        app.router.add_get("/wecom/demo/app", self.on_get)
        return app


@dataclass
class Harness:
    base: str
    http: aiohttp.ClientSession
    bot: FakeBot
    clock: FrozenClock
    control: SimulatorControl

    async def get(self, path: str, **params: str) -> dict[str, Any]:
        async with self.http.get(self.base + path, params=params) as response:
            assert response.status == 200
            answer: dict[str, Any] = await response.json()
            return answer

    async def token(self) -> str:
        answer = await self.get("/cgi-bin/gettoken", corpid=CORP_ID, corpsecret=SECRET)
        assert answer["errcode"] == 0
        return str(answer["access_token"])

    async def send(self, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        params = {"access_token": token or await self.token()}
        url = self.base + "/cgi-bin/message/send"
        async with self.http.post(url, params=params, json=body) as response:
            assert response.status == 200
            answer: dict[str, Any] = await response.json()
            return answer


def text(to: str, content: str, **extra: Any) -> dict[str, Any]:
    body = {"touser": to, "msgtype": "text", "agentid": AGENT_ID, "text": {"content": content}}
    return body | extra


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


StartSim = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def start_sim() -> AsyncIterator[StartSim]:
    async with AsyncExitStack() as stack:

        async def start(**options: Any) -> Harness:
            bot, clock = FakeBot(), FrozenClock(START)
            bot_base = await stack.enter_async_context(serve(bot.app()))
            tenant = SimTenant(
                key="demo",
                corp_id=CORP_ID,
                name="演示企业",
                agent_id=AGENT_ID,
                secret=SECRET,
                token=TOKEN,
                encoding_aes_key=AES_KEY,
                callback_url=bot_base + "/wecom/demo/app",
            )
            app = create_simulator_app([tenant], clock=clock, **options)
            base = await stack.enter_async_context(serve(app))
            http = await stack.enter_async_context(aiohttp.ClientSession())
            return Harness(base, http, bot, clock, SimulatorControl(http, base))

        yield start


@pytest.fixture
async def sim(start_sim: StartSim) -> Harness:
    return await start_sim()


# --- gettoken -----------------------------------------------------------------------------


async def test_gettoken_issues_a_token_that_lasts_its_ttl(sim: Harness) -> None:
    answer = await sim.get("/cgi-bin/gettoken", corpid=CORP_ID, corpsecret=SECRET)
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok"
    assert answer["expires_in"] == 7200 and len(answer["access_token"]) > 20
    assert await sim.token() == answer["access_token"]  # same token while it is valid


async def test_gettoken_refuses_unknown_corp_and_wrong_secret(sim: Harness) -> None:
    unknown = await sim.get("/cgi-bin/gettoken", corpid="wwnope", corpsecret=SECRET)
    wrong = await sim.get("/cgi-bin/gettoken", corpid=CORP_ID, corpsecret="guess")
    assert unknown["errcode"] == 40013
    assert wrong["errcode"] == 40001
    assert "access_token" not in wrong


# --- message/send -------------------------------------------------------------------------


async def test_send_is_recorded_in_sent(sim: Harness) -> None:
    answer = await sim.send(text("zhangsan|lisi", "您好"))
    assert answer["errcode"] == 0 and answer["invaliduser"] == "" and answer["msgid"]
    [record] = await sim.control.sent()
    assert record["api"] == "message/send"
    assert record["body"]["text"]["content"] == "您好"
    assert record["dropped"] is False
    assert record["at"] == START.isoformat()


async def test_unknown_or_missing_token_is_40014(sim: Harness) -> None:
    assert (await sim.send(text("zhangsan", "hi"), token="forged"))["errcode"] == 40014
    async with sim.http.post(sim.base + "/cgi-bin/message/send", json={}) as response:
        assert (await response.json())["errcode"] == 40014


async def test_token_expires_with_the_clock(sim: Harness) -> None:
    token = await sim.token()
    sim.clock.advance(timedelta(seconds=7199))
    assert (await sim.send(text("zhangsan", "still fine"), token))["errcode"] == 0
    sim.clock.advance(timedelta(seconds=1))
    assert (await sim.send(text("zhangsan", "too late"), token))["errcode"] == 42001
    assert await sim.token() != token  # a fresh one once the old has expired


async def test_expire_tokens_control(sim: Harness) -> None:
    token = await sim.token()
    await sim.control.expire_tokens()
    assert (await sim.send(text("zhangsan", "hi"), token))["errcode"] == 42001


async def test_wrong_agentid_is_40056(sim: Harness) -> None:
    answer = await sim.send(text("zhangsan", "hi") | {"agentid": 42})
    assert answer["errcode"] == 40056
    assert await sim.control.sent() == []


async def test_text_limit_is_2048_utf8_bytes(sim: Harness) -> None:
    exact = "中" * 682 + "ab"  # 2,046 + 2 bytes
    over = "中" * 683  # 2,049 bytes
    assert len(exact.encode()) == 2048 and len(over.encode()) == 2049
    assert (await sim.send(text("zhangsan", over)))["errcode"] == 45002
    assert await sim.control.sent() == []
    assert (await sim.send(text("zhangsan", exact)))["errcode"] == 0
    markdown = {"touser": "zhangsan", "msgtype": "markdown", "agentid": AGENT_ID}
    answer = await sim.send(markdown | {"markdown": {"content": over}})
    assert answer["errcode"] == 45002


async def test_member_limit_silently_drops_the_31st_message(sim: Harness) -> None:
    token = await sim.token()
    for n in range(30):
        assert (await sim.send(text("zhangsan", f"第{n}条"), token))["errcode"] == 0
    answer = await sim.send(text("zhangsan", "第31条"), token)
    assert answer["errcode"] == 0 and answer["msgid"]
    records = await sim.control.sent()
    assert [r["dropped"] for r in records] == [False] * 30 + [True]
    assert records[-1]["reason"] == "member_limit"
    other = await sim.send(text("lisi|zhangsan", "群发"), token)
    assert other["errcode"] == 0
    assert (await sim.control.sent())[-1] | {"body": None} == {
        "seq": 31,
        "api": "message/send",
        "body": None,
        "at": START.isoformat(),
        "dropped": False,
        "dropped_users": ["zhangsan"],
    }

    sim.clock.advance(timedelta(minutes=1))
    await sim.send(text("zhangsan", "一分钟后"), token)
    assert (await sim.control.sent())[-1]["dropped"] is False


async def test_corp_limit_is_45009(start_sim: StartSim) -> None:
    sim = await start_sim(corp_limit_per_minute=3)
    token = await sim.token()
    codes = [(await sim.send(text(f"user{n}", "hi"), token))["errcode"] for n in range(4)]
    assert codes == [0, 0, 0, 45009]
    sim.clock.advance(timedelta(seconds=61))
    assert (await sim.send(text("user9", "hi"), token))["errcode"] == 0


async def test_duplicate_check_ignores_repeats_inside_the_interval(sim: Harness) -> None:
    token = await sim.token()
    body = text(
        "zhangsan", "提醒：明天开会", enable_duplicate_check=1, duplicate_check_interval=600
    )
    assert (await sim.send(body, token))["errcode"] == 0
    sim.clock.advance(timedelta(seconds=599))
    assert (await sim.send(body, token))["errcode"] == 0
    assert (await sim.send(body | {"touser": "lisi"}, token))["errcode"] == 0
    sim.clock.advance(timedelta(seconds=1))
    assert (await sim.send(body, token))["errcode"] == 0
    records = await sim.control.sent()
    assert [(r["body"]["touser"], r["dropped"], r.get("reason")) for r in records] == [
        ("zhangsan", False, None),
        ("zhangsan", True, "duplicate"),
        ("lisi", False, None),
        ("zhangsan", False, None),
    ]


async def test_media_upload_then_image_message(sim: Harness) -> None:
    token = await sim.token()
    form = aiohttp.FormData()
    form.add_field("media", b"\x89PNG" + b"\0" * 100, filename="qr.png", content_type="image/png")
    url = sim.base + "/cgi-bin/media/upload"
    params = {"access_token": token, "type": "image"}
    async with sim.http.post(url, params=params, data=form) as response:
        upload = await response.json()
    assert upload["errcode"] == 0 and upload["type"] == "image"
    assert upload["created_at"] == str(int(START.timestamp()))
    image = {"touser": "zhangsan", "msgtype": "image", "agentid": AGENT_ID}
    assert (await sim.send(image | {"image": {"media_id": "made-up"}}, token))["errcode"] == 40007
    sent = await sim.send(image | {"image": {"media_id": upload["media_id"]}}, token)
    assert sent["errcode"] == 0


# --- callbacks ----------------------------------------------------------------------------


async def test_callback_is_sealed_and_filled(sim: Harness) -> None:
    fields = {"MsgType": "text", "FromUserName": "zhangsan", "Content": "帮助 ]]> <b>"}
    answer = await sim.control.deliver("demo", fields)
    assert answer["status"] == 200 and answer["attempts"] == 1
    [got] = sim.bot.received
    assert got.field("ToUserName") == CORP_ID
    assert got.field("FromUserName") == "zhangsan"
    assert got.field("Content") == "帮助 ]]> <b>"
    assert got.field("CreateTime") == str(int(START.timestamp()))
    assert got.field("AgentID") == str(AGENT_ID)
    assert got.field("MsgId") == answer["msg_id"]
    assert int(answer["msg_id"]) < 2**64


async def test_events_get_no_msg_id_and_nested_fields_render(sim: Harness) -> None:
    fields = {
        "MsgType": "event",
        "Event": "change_external_chat",
        "ChangeType": "update",
        "UpdateDetail": "add_member",
        "MemChangeCnt": 2,
        "MemChangeList": {"Item": ["wm1", "wm2"]},
    }
    answer = await sim.control.deliver("demo", fields)
    assert answer["msg_id"] is None
    got = sim.bot.received[0]
    assert got.field("MsgId") is None
    assert got.field("MemChangeCnt") == "2"
    assert [i.text for i in got.root.findall("MemChangeList/Item")] == ["wm1", "wm2"]
    assert "<MemChangeCnt>2</MemChangeCnt>" in got.xml  # numbers bare, as WeCom writes them


async def test_callback_retries_the_same_payload_until_200(sim: Harness) -> None:
    sim.bot.script = [500, 500]
    answer = await sim.control.deliver("demo", {"MsgType": "text", "Content": "hi"})
    assert answer == {"status": 200, "attempts": 3, "msg_id": answer["msg_id"]}
    assert [r.field("MsgId") for r in sim.bot.received] == [answer["msg_id"]] * 3
    assert len({tuple(sorted(r.query.items())) for r in sim.bot.received}) == 1


async def test_callback_gives_up_after_three_timeouts(start_sim: StartSim) -> None:
    sim = await start_sim(callback_timeout=0.2)
    sim.bot.script = ["sleep", "sleep", "sleep"]
    answer = await sim.control.deliver("demo", {"MsgType": "text", "Content": "hi"})
    assert answer["status"] is None and answer["attempts"] == 3
    assert len(sim.bot.received) == 3


async def test_callback_keeps_the_last_status_seen(start_sim: StartSim) -> None:
    sim = await start_sim(callback_timeout=0.2)
    sim.bot.script = [503, "sleep", "sleep"]
    answer = await sim.control.deliver("demo", {"MsgType": "text", "Content": "hi"})
    assert answer["status"] == 503 and answer["attempts"] == 3


async def test_callback_errors(sim: Harness) -> None:
    with pytest.raises(SimulatorControlError) as unknown:
        await sim.control.deliver("nobody", {"MsgType": "text"})
    assert unknown.value.status == 404
    with pytest.raises(SimulatorControlError) as no_type:
        await sim.control.deliver("demo", {"Content": "hi"})
    assert no_type.value.status == 400
    with pytest.raises(SimulatorControlError):
        await sim.control.deliver("demo", {"MsgType": "text", "bad tag": "x"})


async def test_verify_url(sim: Harness) -> None:
    assert await sim.control.verify("demo") == {"status": 200, "verified": True}
    sim.bot.echo_suffix = "\n"
    assert await sim.control.verify("demo") == {"status": 200, "verified": False}


async def test_health_and_clearing_sent(sim: Harness) -> None:
    assert await sim.control.health() == {"status": "ok", "tenants": ["demo"]}
    await sim.send(text("zhangsan", "hi"))
    assert len(await sim.control.sent()) == 1
    await sim.control.clear_sent()
    assert await sim.control.sent() == []
    assert await sim.control.sent_count() == 0


async def test_wait_for_sent(sim: Harness) -> None:
    token = await sim.token()
    await sim.send(text("zhangsan", "before"), token)
    mark = await sim.control.sent_count()

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await sim.send(text("zhangsan", "later"), token)

    task = asyncio.create_task(reply_later())
    [record] = await sim.control.wait_for_sent(1, since=mark, timeout=2)
    await task
    assert record["body"]["text"]["content"] == "later" and record["seq"] == mark
    with pytest.raises(TimeoutError, match="expected at least 2 sent record"):
        await sim.control.wait_for_sent(2, since=mark, timeout=0.1)


def test_sent_log_keeps_seq_stable_past_its_cap() -> None:
    log = SentLog(limit=3)
    for n in range(5):
        log.append("message/send", {"n": n}, START)
    assert [r["seq"] for r in log.since(0)] == [2, 3, 4]
    assert [r["body"]["n"] for r in log.since(4)] == [4]
    assert log.since(5) == [] and log.total == 5
    assert log.clear() == 3 and log.total == 0
