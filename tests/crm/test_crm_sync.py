"""Syncing existing customers from WeCom: cursor paging, 45033, resuming, the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from conftest import TEST_CONFIG
from support.crm import open_chat
from support.processes import bot_command

from bot.clock import FrozenClock
from bot.crm.sync import sync_customers
from bot.embedded import Embedded
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom_sim.control_contacts import ContactsSimControl
from models.crm.customers import Customer, CustomerFollower
from models.crm.ops import CustomerSyncChunk, CustomerSyncRun, SyncStatus
from models.crm.tags import CustomerTag

BATCH = "externalcontact/batch/get_by_user"


@pytest.fixture
async def client(embedded: Embedded, clock: FrozenClock) -> AsyncIterator[WeComClient]:
    """A client that retries without waiting, counting its backoffs."""
    delays: list[float] = []

    async def no_wait(seconds: float) -> None:
        delays.append(seconds)

    async with aiohttp.ClientSession() as session:
        client = WeComClient(session, embedded.simulator_url, clock=clock, sleep=no_wait)
        client.delays = delays  # type: ignore[attr-defined]
        yield client


@pytest.fixture
async def contacts(embedded: Embedded) -> AsyncIterator[ContactsSimControl]:
    async with open_chat(embedded) as chat:
        yield chat.sim


@pytest.fixture
async def acme(embedded: Embedded) -> TenantInfo:
    tenant = await TenantDirectory().get("acme")
    assert tenant is not None
    return tenant


async def seed(sim: ContactsSimControl, count: int, followers: list[str], **extra: object) -> None:
    for n in range(count):
        follows = [
            {"userid": userid, "remark_mobiles": [f"139{n:08d}"], **extra} for userid in followers
        ]
        await sim.seed_customer(
            "acme",
            {"external_userid": f"wm{n:05d}", "name": f"客户{n:03d}", "follow_users": follows},
        )


async def test_sync_pages_every_members_customers_with_their_tags(
    contacts: ContactsSimControl, client: WeComClient, acme: TenantInfo, clock: FrozenClock
) -> None:
    tags = await contacts.seed_tags("acme", "客户等级", ["重点客户"])
    await seed(contacts, 130, ["lisi"], tag_ids=[tags["重点客户"]])
    await seed(contacts, 20, ["wangwu"])  # the first 20 are followed by both
    report = await sync_customers(client, acme, clock)
    assert (report.started, report.resumed, report.members) == (True, False, 2)
    assert (report.pages, report.relationships) == (2, 150)
    cursors = [call["body"]["cursor"] for call in await contacts.contact_calls(BATCH)]
    assert cursors == ["", "c100"]
    assert await Customer.filter(tenant__key="acme").count() == 130
    assert await CustomerFollower.all().count() == 150
    assert await CustomerTag.all().count() == 130
    assert (await Customer.get(external_userid="wm00007")).phone == "13900000007"
    run = await CustomerSyncRun.get(tenant_id=acme.id)
    assert (run.status, run.pages, run.customers) == (SyncStatus.IDLE, 2, 150)
    again = await sync_customers(client, acme, clock)  # idempotent upserts
    assert again.relationships == 150
    assert await Customer.filter(tenant__key="acme").count() == 130


async def test_sync_rides_out_45033_from_wecom(
    contacts: ContactsSimControl, client: WeComClient, acme: TenantInfo, clock: FrozenClock
) -> None:
    await seed(contacts, 3, ["lisi"])
    await contacts.inject_fault(BATCH, 45033, times=2)
    report = await sync_customers(client, acme, clock)
    assert report.relationships == 3
    assert len(await contacts.contact_calls(BATCH)) == 3  # two refused, then the page
    assert client.delays == [0.5, 1.0]  # type: ignore[attr-defined]


async def test_sync_keeps_few_calls_in_flight_across_member_chunks(
    contacts: ContactsSimControl, client: WeComClient, acme: TenantInfo, clock: FrozenClock
) -> None:
    for n in range(250):  # 250 members, one customer each: three chunks of up to 100 members
        follow = {"userid": f"user{n:03d}"}
        await contacts.seed_customer(
            "acme", {"external_userid": f"wm{n:05d}", "name": f"客户{n}", "follow_users": [follow]}
        )
    await contacts.set_limits(batch_concurrency=2, batch_latency=0.05)
    report = await sync_customers(client, acme, clock, concurrency=2)
    assert (report.members, report.pages, report.relationships) == (250, 3, 250)
    limits = await contacts.set_limits()
    assert limits["max_in_flight"]["acme"] == 2
    assert client.delays == []  # never refused with 45033  # type: ignore[attr-defined]
    assert await CustomerSyncChunk.filter(tenant_id=acme.id, done=True).count() == 3


async def test_an_interrupted_sync_resumes_after_the_last_stored_page(
    contacts: ContactsSimControl, client: WeComClient, acme: TenantInfo, clock: FrozenClock
) -> None:
    await seed(contacts, 250, ["lisi"])
    await contacts.inject_fault(BATCH, 48002, after=1)
    with pytest.raises(WeComAPIError) as stopped:
        await sync_customers(client, acme, clock)
    assert stopped.value.errcode == 48002
    assert await Customer.filter(tenant__key="acme").count() == 100
    chunk = await CustomerSyncChunk.get(tenant_id=acme.id)
    assert (chunk.cursor, chunk.done) == ("c100", False)
    await contacts.clear_contact_calls()
    report = await sync_customers(client, acme, clock)
    assert (report.resumed, report.pages, report.relationships) == (True, 2, 150)
    cursors = [call["body"]["cursor"] for call in await contacts.contact_calls(BATCH)]
    assert cursors == ["c100", "c200"]
    assert await Customer.filter(tenant__key="acme").count() == 250


async def test_a_tenant_already_syncing_is_left_alone(
    contacts: ContactsSimControl, client: WeComClient, acme: TenantInfo, clock: FrozenClock
) -> None:
    await seed(contacts, 1, ["lisi"])
    first = sync_customers(client, acme, clock)
    await contacts.set_limits(batch_latency=0.2)
    running = asyncio.create_task(first)
    await asyncio.sleep(0.1)
    assert (await sync_customers(client, acme, clock)).started is False
    assert (await running).relationships == 1
    await contacts.set_limits(batch_latency=0.0)


def _config(path: Path, database: str, api_base: str) -> Path:
    tenants = []
    for tenant in TEST_CONFIG["tenants"]:
        app = tenant["app"]
        admins = ", ".join(f'"{a}"' for a in tenant.get("admins", []))
        tenants.append(
            f'[[tenants]]\nkey = "{tenant["key"]}"\ncorp_id = "{tenant["corp_id"]}"\n'
            f'name = "{tenant["name"]}"\nadmins = [{admins}]\n[tenants.app]\n'
            f'agent_id = {app["agent_id"]}\nsecret = "{app["secret"]}"\ntoken = "{app["token"]}"\n'
            f'encoding_aes_key = "{app["encoding_aes_key"]}"\n'
        )
    text = f'[database]\nurl = "{database}"\n[wecom]\napi_base = "{api_base}"\n' + "".join(tenants)
    config = path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return config


async def _run(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *bot_command(*args),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_sync_command(
    contacts: ContactsSimControl, embedded: Embedded, database: str, tmp_path: Path
) -> None:
    await seed(contacts, 3, ["lisi", "wangwu"])
    config = _config(tmp_path, database, embedded.simulator_url)
    code, out, err = await _run("sync", "customers", "acme", "-c", str(config))
    assert (code, err) == (0, "")
    assert out == "synced acme: 6 customer relationships of 2 members in 1 pages\n"
    assert await Customer.filter(tenant__key="acme").count() == 3
    code, out, err = await _run("sync", "customers", "nope", "-c", str(config))
    assert (code, err) == (1, "no tenant 'nope'; `scrm-bot tenant list` shows them\n")


def test_the_sync_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.main import build_parser

    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["sync", "customers", "--help"])
    assert done.value.code == 0
    assert "usage: scrm-bot sync customers" in capsys.readouterr().out
