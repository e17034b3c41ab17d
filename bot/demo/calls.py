"""The demo's call scene: the provider adds the call center, a salesperson logs a call in one
sentence, a telephony platform reports an inbound call (the caller's card pops to the agent
at once) and a missed one (a callback task), and the admin reads the day's figures."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import Any

import aiohttp

from bot.calls.webhook import SIGNATURE, TIMESTAMP, sign
from bot.demo.grant import grant_module
from bot.demo.orders import Show
from bot.embedded import Embedded
from bot.wecom_sim.chat import ChatSession, message_text
from bot.wecom_sim.control import SimulatorControl
from models.calls import CallSettings
from models.tenants import Tenant

SECRET = "demo-call-webhook-secret"
LOG = "· 李四用自己的手机打完电话，一句话记下通话并约好回访："
POP = "· 呼叫中心平台推送来电振铃（签名的 webhook），李四立即收到来电卡片："
MISSED = "· 又一通来电没人接，自动变成回拨任务，李四收到带「回拨」按钮的未接来电卡片："
STATS = "· 管理员查看今天的通话统计："
RECEIVED = "  李四收到 > {text}"
SENTENCE = "刚给王小明打了电话，聊了8分钟，他想要报价，下周三回访"


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


async def _post(embedded: Embedded, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    stamp = str(int(embedded.runtime.options.clock.now().timestamp()))
    headers = {TIMESTAMP: stamp, SIGNATURE: sign(SECRET, stamp, raw)}
    async with aiohttp.ClientSession() as session:
        url = f"{embedded.bot_url}/calls/demo"
        async with session.post(url, data=raw, headers=headers) as answer:
            answer.raise_for_status()
    await embedded.runtime.tasks.drain()


def _event(call_id: str, stage: str, embedded: Embedded, **times: int) -> dict[str, Any]:
    now = embedded.runtime.options.clock.now()
    stamps = {name: (now + timedelta(seconds=s)).isoformat() for name, s in times.items()}
    return {"call_id": call_id, "event": stage, "direction": "in", "from": "+86 138-0013-8000",
            "to": "4008001234", "agent": "lisi", "ring_at": now.isoformat(), **stamps}  # fmt: skip


async def _received(control: SimulatorControl, since: int) -> None:
    for record in await control.sent(since=since):
        if record["api"] == "message/send" and "lisi" in str(record["body"].get("touser", "")):
            for line in message_text(record["body"]).splitlines():
                _out(RECEIVED.format(text=line))


async def call_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.billing is not None and runtime.sender is not None
    admin, seller = ChatSession(control, "demo", "zhangsan"), ChatSession(control, "demo", "lisi")
    await grant_module(embedded, "callcenter")
    _out(LOG)
    show("lisi", SENTENCE, await seller.say(SENTENCE))
    tenant = await Tenant.get(key="demo")
    now = runtime.options.clock.now()
    await CallSettings.update_or_create(
        defaults={"webhook_secret": SECRET, "updated_at": now}, tenant_id=tenant.id
    )
    _out(POP)
    since = await control.sent_count()
    await _post(embedded, _event("demo-1", "ringing", embedded))
    await _received(control, since)
    await _post(embedded, _event("demo-1", "ended", embedded, answer_at=5, end_at=185))
    _out(MISSED)
    since = await control.sent_count()
    await _post(embedded, _event("demo-2", "ended", embedded, end_at=30))
    await _received(control, since)
    show("lisi", "未回拨", await seller.say("未回拨"))
    _out(STATS)
    show("zhangsan", "通话统计 今天", await admin.say("通话统计 今天"))
    _out()
