"""The simulator's 微信客服: callbacks with a sync token, sync_msg cursors, the send budget,
single-use event codes and session states."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.clock import FrozenClock
from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.simulator import SimTenant, create_simulator_app

CORP_ID = "wx49f0ab532d5d035a"
TOKEN = "123456"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
SECRET = "demo-secret"
KFID, CUSTOMER = "wkKF1", "wmC1"


@dataclass
class Bot:
    callbacks: list[ET.Element] = field(default_factory=list)
    crypto: WeChatCrypto = field(default_factory=lambda: WeChatCrypto(TOKEN, AES_KEY, CORP_ID))

    async def on_post(self, request: web.Request) -> web.Response:
        q = request.query
        plain = self.crypto.decrypt_message(
            await request.text(), q["msg_signature"], q["timestamp"], q["nonce"]
        )
        self.callbacks.append(ET.fromstring(plain))
        return web.Response()


@dataclass
class Kf:
    base: str
    http: aiohttp.ClientSession
    bot: Bot
    clock: FrozenClock
    control: SimulatorControl

    async def call(self, api: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.http.get(
            self.base + "/cgi-bin/gettoken", params={"corpid": CORP_ID, "corpsecret": SECRET}
        ) as response:
            token = (await response.json())["access_token"]
        url = f"{self.base}/cgi-bin/{api}"
        async with self.http.post(url, params={"access_token": token}, json=body) as response:
            answer: dict[str, Any] = await response.json()
            return answer

    async def say(self, text: str = "你好") -> str:
        await self.control.kf_say("demo", KFID, CUSTOMER, text)
        return str(self.bot.callbacks[-1].findtext("Token"))

    async def send(self, content: str) -> int:
        body = {
            "touser": CUSTOMER,
            "open_kfid": KFID,
            "msgtype": "text",
            "text": {"content": content},
        }
        return int((await self.call("kf/send_msg", body))["errcode"])


async def _serve(stack: AsyncExitStack, app: web.Application) -> str:
    runner = web.AppRunner(app)
    await runner.setup()
    stack.push_async_callback(runner.cleanup)
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return f"http://127.0.0.1:{runner.addresses[0][1]}"


@pytest.fixture
async def kf() -> AsyncIterator[Kf]:
    async with AsyncExitStack() as stack:
        bot, clock = Bot(), FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        bot_app = web.Application()
        bot_app.router.add_post("/wecom/demo/app", bot.on_post)
        bot_base = await _serve(stack, bot_app)
        tenant = SimTenant(
            key="demo",
            corp_id=CORP_ID,
            name="演示企业",
            agent_id=1000002,
            secret=SECRET,
            token=TOKEN,
            encoding_aes_key=AES_KEY,
            callback_url=bot_base + "/wecom/demo/app",
        )
        base = await _serve(stack, create_simulator_app([tenant], clock=clock))
        http = await stack.enter_async_context(aiohttp.ClientSession())
        yield Kf(base, http, bot, clock, SimulatorControl(http, base))


async def test_a_customer_message_raises_the_callback_and_is_synced(kf: Kf) -> None:
    token = await kf.say("在吗")
    [callback] = kf.bot.callbacks
    assert callback.findtext("Event") == "kf_msg_or_event"
    assert callback.findtext("OpenKfId") == KFID
    page = await kf.call("kf/sync_msg", {"token": token, "open_kfid": KFID})
    assert (page["errcode"], page["has_more"], page["next_cursor"]) == (0, 0, "1")
    [item] = page["msg_list"]
    assert (item["origin"], item["external_userid"], item["text"]["content"]) == (
        3,
        CUSTOMER,
        "在吗",
    )
    more = await kf.call("kf/sync_msg", {"token": token, "open_kfid": KFID, "cursor": "1"})
    assert more["msg_list"] == []
    bad = await kf.call("kf/sync_msg", {"token": "made-up", "open_kfid": KFID})
    assert bad["errcode"] == 95007
    kf.clock.advance(timedelta(minutes=11))
    stale = await kf.call("kf/sync_msg", {"token": token, "open_kfid": KFID})
    assert stale["errcode"] == 95007


async def test_paging_with_limit(kf: Kf) -> None:
    for text in ("一", "二", "三"):
        token = await kf.say(text)
    first = await kf.call("kf/sync_msg", {"token": token, "open_kfid": KFID, "limit": 2})
    assert (len(first["msg_list"]), first["has_more"], first["next_cursor"]) == (2, 1, "2")
    rest = await kf.call("kf/sync_msg", {"token": token, "open_kfid": KFID, "cursor": "2"})
    assert [m["text"]["content"] for m in rest["msg_list"]] == ["三"]


async def test_five_messages_per_customer_message_within_48_hours(kf: Kf) -> None:
    assert await kf.send("还没人说话") == 95002
    await kf.say()
    assert [await kf.send(f"第{n}条") for n in range(6)] == [0, 0, 0, 0, 0, 95001]
    await kf.say("又来了")
    assert await kf.send("好的") == 0
    kf.clock.advance(timedelta(hours=48, seconds=1))
    assert await kf.send("太晚了") == 95002
    sent = [r for r in await kf.control.sent() if r["api"] == "kf/send_msg"]
    assert len(sent) == 6


async def test_an_event_code_works_once_within_20_seconds(kf: Kf) -> None:
    await kf.say()
    first = await kf.control.kf_end_session("demo", KFID, CUSTOMER, servicer_userid="lisi")
    second = await kf.control.kf_end_session("demo", KFID, CUSTOMER, callback=False)
    menu = {
        "head_content": "满意吗？",
        "list": [{"type": "click", "click": {"id": "a", "content": "好"}}],
    }

    async def answer(code: str) -> int:
        body = {"code": code, "msgtype": "msgmenu", "msgmenu": menu}
        return int((await kf.call("kf/send_msg_on_event", body))["errcode"])

    assert await answer(first["msg_code"]) == 0
    assert await answer(first["msg_code"]) == 95018
    kf.clock.advance(timedelta(seconds=21))
    assert await answer(second["msg_code"]) == 95018
    token = str(kf.bot.callbacks[-1].findtext("Token"))
    page = await kf.call("kf/sync_msg", {"token": token, "open_kfid": KFID})
    event = page["msg_list"][1]["event"]
    assert (event["event_type"], event["change_type"], event["old_servicer_userid"]) == (
        "session_status_change",
        3,
        "lisi",
    )


async def test_session_states(kf: Kf) -> None:
    await kf.say()
    where = {"open_kfid": KFID, "external_userid": CUSTOMER}
    assert (await kf.call("kf/service_state/get", where))["service_state"] == 0
    refused = await kf.call(
        "kf/service_state/trans", {**where, "service_state": 3, "servicer_userid": "lisi"}
    )
    assert refused["errcode"] == 95014  # lisi is not receiving on this account
    async with kf.http.post(
        f"{kf.base}/_sim/kf/demo/servicers", json={"open_kfid": KFID, "servicers": ["lisi"]}
    ) as response:
        assert response.status == 200
    taken = await kf.call(
        "kf/service_state/trans", {**where, "service_state": 3, "servicer_userid": "lisi"}
    )
    assert taken["errcode"] == 0
    state = await kf.call("kf/service_state/get", where)
    assert (state["service_state"], state["servicer_userid"]) == (3, "lisi")
