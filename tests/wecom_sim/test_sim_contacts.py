"""The simulator's customer-contact APIs, called through the bot's typed wrappers
(``bot.wecom.contacts``), with a frozen clock and a stand-in bot that decrypts callbacks
with wechatpy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
import xmltodict
from aiohttp import web
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.clock import FrozenClock
from bot.wecom import contacts as api
from bot.wecom.client import AppCredentials, WeComAPIError, WeComClient
from bot.wecom_sim.control_contacts import ContactsSimControl
from bot.wecom_sim.simulator import SimTenant, create_simulator_app

CORP_ID, TOKEN, SECRET = "wx49f0ab532d5d035a", "123456", "sim-secret"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
CREDS = AppCredentials(CORP_ID, SECRET, 1000002)


@dataclass
class Events:
    received: list[dict[str, str]] = field(default_factory=list)
    crypto: WeChatCrypto = field(default_factory=lambda: WeChatCrypto(TOKEN, AES_KEY, CORP_ID))

    async def on_post(self, request: web.Request) -> web.Response:
        q = request.query
        xml = self.crypto.decrypt_message(
            await request.text(), q["msg_signature"], q["timestamp"], q["nonce"]
        )
        self.received.append(dict(xmltodict.parse(xml)["xml"]))
        return web.Response()


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@dataclass
class Sim:
    client: WeComClient
    control: ContactsSimControl
    clock: FrozenClock
    events: Events


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    events, clock = Events(), FrozenClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    bot = web.Application()
    bot.router.add_post("/wecom/acme/app", events.on_post)
    async with serve(bot) as bot_url:
        tenant = SimTenant(
            "acme", CORP_ID, "艾克米", 1000002, SECRET, TOKEN, AES_KEY, f"{bot_url}/wecom/acme/app"
        )
        async with (
            serve(create_simulator_app([tenant], clock=clock)) as sim_url,
            aiohttp.ClientSession() as http,
        ):
            client = WeComClient(http, sim_url, clock=clock, max_attempts=1)
            yield Sim(client, ContactsSimControl(http, sim_url), clock, events)


async def test_adding_a_contact_raises_the_callback_with_a_welcome_code(sim: Sim) -> None:
    answer = await sim.control.add_contact(
        "acme", "lisi", name="王小明", state="booth", external_userid="wmA"
    )
    assert answer["status"] == 200
    [event] = sim.events.received
    assert {
        k: event[k]
        for k in ("FromUserName", "Event", "ChangeType", "UserID", "ExternalUserID", "State")
    } == {
        "FromUserName": "sys",
        "Event": "change_external_contact",
        "ChangeType": "add_external_contact",
        "UserID": "lisi",
        "ExternalUserID": "wmA",
        "State": "booth",
    }
    assert event["WelcomeCode"] == answer["welcome_code"]
    detail = await api.get_contact(sim.client, CREDS, "wmA")
    assert (detail.contact.name, detail.contact.kind) == ("王小明", 1)
    assert detail.follow_of("lisi") is not None and detail.follow_of("lisi").state == "booth"  # type: ignore[union-attr]


async def test_a_welcome_code_works_once_and_only_within_20_seconds(sim: Sim) -> None:
    first = (await sim.control.add_contact("acme", "lisi", name="甲"))["welcome_code"]
    second = (await sim.control.add_contact("acme", "lisi", name="乙"))["welcome_code"]
    sim.clock.advance(timedelta(seconds=19))
    assert await api.send_welcome(sim.client, CREDS, first, "你好") == api.WelcomeOutcome.SENT
    assert (
        await api.send_welcome(sim.client, CREDS, first, "你好") == api.WelcomeOutcome.ALREADY_SENT
    )
    sim.clock.advance(timedelta(seconds=2))
    assert (
        await api.send_welcome(sim.client, CREDS, second, "你好") == api.WelcomeOutcome.ALREADY_SENT
    )
    sent = await sim.control.sent()
    assert [r["body"]["welcome_code"] for r in sent] == [first]


async def test_batch_get_by_user_pages_with_a_cursor(sim: Sim) -> None:
    for n in range(5):
        follows = [{"userid": "lisi", "tag_ids": []}] + ([{"userid": "wangwu"}] if n < 2 else [])
        await sim.control.seed_customer(
            "acme", {"external_userid": f"wm{n}", "name": f"客户{n}", "follow_users": follows}
        )
    assert await api.follow_user_list(sim.client, CREDS) == ["lisi", "wangwu"]
    first = await api.contacts_by_users(sim.client, CREDS, ["lisi", "wangwu"], limit=4)
    assert [(d.contact.external_userid, d.follows[0].userid) for d in first.details] == [
        ("wm0", "lisi"),
        ("wm1", "lisi"),
        ("wm2", "lisi"),
        ("wm3", "lisi"),
    ]
    rest = await api.contacts_by_users(
        sim.client, CREDS, ["lisi", "wangwu"], first.next_cursor, limit=4
    )
    assert [d.contact.external_userid for d in rest.details] == ["wm4", "wm0", "wm1"]
    assert rest.next_cursor == ""


async def test_too_many_batch_calls_at_once_get_45033(sim: Sim) -> None:
    await sim.control.seed_customer("acme", {"name": "甲", "follow_users": [{"userid": "lisi"}]})
    await sim.control.set_limits(batch_concurrency=1, batch_latency=0.1)
    results = await asyncio.gather(
        api.contacts_by_users(sim.client, CREDS, ["lisi"]),
        api.contacts_by_users(sim.client, CREDS, ["lisi"]),
        return_exceptions=True,
    )
    errors = [r.errcode for r in results if isinstance(r, WeComAPIError)]
    assert errors == [45033]


async def test_errors_for_unknown_contacts_tags_and_groups(sim: Sim) -> None:
    with pytest.raises(WeComAPIError) as unknown:
        await api.get_contact(sim.client, CREDS, "wmNobody")
    assert unknown.value.errcode == 84061
    external = await sim.control.seed_customer(
        "acme", {"name": "甲", "follow_users": [{"userid": "lisi"}]}
    )
    with pytest.raises(WeComAPIError) as bad_tag:
        await api.mark_tag(sim.client, CREDS, "lisi", external, add=["etNope"])
    assert bad_tag.value.errcode == 40068
    with pytest.raises(WeComAPIError) as no_chat:
        await api.group_chat(sim.client, CREDS, "wrNope")
    assert no_chat.value.errcode == 40050
    with pytest.raises(WeComAPIError) as batch:
        await sim.client.call(CREDS, "externalcontact/batch/get_by_user", json={"userid_list": []})
    assert batch.value.errcode == 40058


async def test_tags_are_added_listed_and_marked(sim: Sim) -> None:
    external = await sim.control.seed_customer(
        "acme", {"name": "甲", "follow_users": [{"userid": "lisi"}]}
    )
    created = await api.add_corp_tag(sim.client, CREDS, "机器人标签", "重点客户")
    again = await api.add_corp_tag(sim.client, CREDS, "机器人标签", "重点客户")
    assert again.tag_id == created.tag_id
    assert await api.corp_tags(sim.client, CREDS) == [created]
    await api.mark_tag(sim.client, CREDS, "lisi", external, add=[created.tag_id])
    detail = await api.get_contact(sim.client, CREDS, external)
    assert detail.follows[0].tag_ids == (created.tag_id,)


async def test_group_chats_and_transfers(sim: Sim) -> None:
    await sim.control.put_group_chat(
        "acme",
        "wrG",
        {
            "name": "客户群",
            "owner": "lisi",
            "members": [{"userid": "wmA", "type": 2, "join_scene": 3}],
        },
    )
    chat = await api.group_chat(sim.client, CREDS, "wrG")
    assert (chat.name, chat.owner, [(m.userid, m.kind, m.join_scene) for m in chat.members]) == (
        "客户群",
        "lisi",
        [("wmA", 2, 3)],
    )
    external = await sim.control.seed_customer(
        "acme", {"name": "甲", "follow_users": [{"userid": "lisi"}]}
    )
    codes = await api.transfer_customers(
        sim.client, CREDS, "lisi", "wangwu", [external, "wmNobody"], resigned=False
    )
    assert codes == {external: 0, "wmNobody": 84061}
    events = await sim.control.settle_transfer("acme", external, "accepted")
    assert [e["status"] for e in events] == [200, 200]
    changes = [(e["ChangeType"], e["UserID"], e.get("Source")) for e in sim.events.received]
    assert changes == [
        ("del_external_contact", "lisi", "DELETE_BY_TRANSFER"),
        ("add_external_contact", "wangwu", None),
    ]
    detail = await api.get_contact(sim.client, CREDS, external)
    assert [f.userid for f in detail.follows] == ["wangwu"]
