"""The simulator's address book through the bot's typed wrappers (``bot.wecom.directory``):
the visible range, the 2022 field restrictions, WeCom's errors and the change_contact
callbacks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import web

from bot.clock import FrozenClock
from bot.wecom import directory as api
from bot.wecom.client import AppCredentials, WeComAPIError, WeComClient
from bot.wecom_sim.control_directory import DirectorySimControl
from bot.wecom_sim.simulator import SimTenant, create_simulator_app
from tests.wecom_sim.test_sim_contacts import AES_KEY, CORP_ID, SECRET, TOKEN, Events, serve

CREDS = AppCredentials(CORP_ID, SECRET, 1000002)


@dataclass
class Sim:
    client: WeComClient
    control: DirectorySimControl
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
            control = DirectorySimControl(http, sim_url)
            await control.put_department("acme", 2, "销售部")
            await control.put_department("acme", 4, "华东组", parent_id=2)
            await control.put_department("acme", 3, "售后部")
            await control.put_person("acme", "lisi", "李四", [4], alias="Leo", position="经理")
            await control.put_person("acme", "wangwu", "王五", [3])
            client = WeComClient(http, sim_url, clock=clock, max_attempts=1)
            yield Sim(client, control, events)


async def test_the_tree_and_its_members(sim: Sim) -> None:
    refs = await api.department_ids(sim.client, CREDS)
    assert [(r.dept_id, r.parent_id) for r in refs] == [(1, 0), (2, 1), (4, 2), (3, 1)]
    assert await api.department_name(sim.client, CREDS, 4) == "华东组"
    [lisi] = await api.department_members(sim.client, CREDS, 4)
    assert (lisi.userid, lisi.name, lisi.departments) == ("lisi", "李四", (4,))
    detail = await api.member_detail(sim.client, CREDS, "lisi")
    assert (detail.alias, detail.position, detail.status) == ("Leo", "经理", 1)


async def test_user_get_answers_no_mobile_email_or_avatar(sim: Sim) -> None:
    answer = await sim.client.call(CREDS, "user/get", method="GET", params={"userid": "lisi"})
    assert not {"mobile", "email", "avatar", "biz_mail"} & set(answer)


async def test_the_visible_range_limits_what_the_app_reads(sim: Sim) -> None:
    await sim.control.set_visible("acme", departments=[2])  # 销售部 and 华东组 under it
    assert [r.dept_id for r in await api.department_ids(sim.client, CREDS)] == [2, 4]
    with pytest.raises(WeComAPIError) as hidden:
        await api.department_members(sim.client, CREDS, 3)
    assert hidden.value.errcode == 60011
    with pytest.raises(WeComAPIError) as outside:
        await api.member_detail(sim.client, CREDS, "wangwu")
    assert outside.value.errcode == 60011


async def test_unknown_ids_and_the_forbidden_list_id(sim: Sim) -> None:
    for call, errcode in (
        (api.member_detail(sim.client, CREDS, "nobody"), 60111),
        (api.department_name(sim.client, CREDS, 99), 60123),
        (sim.client.call(CREDS, "user/list_id", json={"limit": 100}), 48002),
    ):
        with pytest.raises(WeComAPIError) as refused:
            await call
        assert refused.value.errcode == errcode


async def test_changes_raise_change_contact_for_what_the_app_sees(sim: Sim) -> None:
    await sim.control.put_person("acme", "qianqi", "钱七", [3], notify=True)
    await sim.control.delete_person("acme", "qianqi", notify=True)
    await sim.control.put_department("acme", 5, "华南组", parent_id=2, notify=True)
    await sim.control.set_visible("acme", departments=[2])
    await sim.control.put_person("acme", "sunba", "孙八", [3], notify=True)  # hidden: no event
    assert [(e["ChangeType"], e.get("UserID") or e.get("Id")) for e in sim.events.received] == [
        ("create_user", "qianqi"),
        ("delete_user", "qianqi"),
        ("create_party", "5"),
    ]
    assert sim.events.received[0]["Department"] == "3"


async def test_seeding_a_large_corp(sim: Sim) -> None:
    answer = await sim.control.seed_directory("acme", departments=10, members=1000)
    assert answer == {"departments": 14, "members": 1002}
    with pytest.raises(Exception, match="at most"):
        await sim.control.seed_directory("acme", departments=10, members=10**6)
