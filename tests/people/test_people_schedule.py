"""When the address book syncs without anyone asking (soon after start-up, after a run died,
nightly at 02:00 local time), and ``scrm-bot sync members TENANT``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from support.crm import Chat
from support.people import SALES, book, people_chat, sync

from bot.cli.main import build_parser
from bot.cli.people import sync_members
from bot.clock import FrozenClock
from bot.config import Settings
from bot.people.schedule import sync_due
from models.people import DirectoryMember, DirectorySync
from scheduler.people import sync_when_due

SHANGHAI_NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
SHANGHAI_2AM_NEXT_DAY = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with people_chat(settings, clock) as opened:
        await book(opened, (("lisi", "李四", SALES),))
        yield opened


async def test_a_tenant_never_synced_is_due_and_then_only_at_night(chat: Chat) -> None:
    tenant = await chat.embedded.runtime.tenants.get("acme")
    assert tenant is not None
    assert await sync_due(tenant.id, tenant.timezone, SHANGHAI_NOON)
    await sync(chat)
    finished = (await DirectorySync.get()).finished_at
    assert finished is not None
    assert not await sync_due(tenant.id, tenant.timezone, finished + timedelta(hours=2))
    assert await sync_due(tenant.id, tenant.timezone, SHANGHAI_2AM_NEXT_DAY)


async def test_the_job_syncs_what_is_due(chat: Chat) -> None:
    runtime = chat.embedded.runtime
    assert runtime.client is not None
    synced = await sync_when_due(runtime.tenants, runtime.client, runtime.options.clock, None)
    assert synced == 1 and await DirectoryMember.exists(userid="lisi")
    assert await sync_when_due(runtime.tenants, runtime.client, runtime.options.clock, None) == 0


async def test_the_command_line_syncs_a_tenant(
    chat: Chat, settings: Settings, clock: FrozenClock, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = replace(
        settings, wecom=replace(settings.wecom, api_base=chat.embedded.simulator_url)
    )
    assert await sync_members(settings, "acme", clock) == 0
    assert capsys.readouterr().out == "synced acme: 1 members in 3 departments (1 new, 0 left)\n"
    assert await sync_members(settings, "nope", clock) == 1
    assert "no tenant 'nope'" in capsys.readouterr().err


def test_the_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["sync", "members", "--help"])
    assert done.value.code == 0
    assert "usage: scrm-bot sync members" in capsys.readouterr().out


async def test_after_wecom_refused_a_sync_the_job_waits_half_an_hour(
    chat: Chat, clock: FrozenClock
) -> None:
    runtime = chat.embedded.runtime
    assert runtime.client is not None
    tenant = await runtime.tenants.get("acme")
    assert tenant is not None
    # Both tenants (acme and other) are due; the fault is not per tenant, so it answers twice.
    await chat.sim.inject_fault("department/simplelist", 60011, times=2)
    assert await sync_when_due(runtime.tenants, runtime.client, clock, None) == 0
    assert not await sync_due(tenant.id, tenant.timezone, clock.now() + timedelta(minutes=29))
    clock.advance(timedelta(minutes=31))
    assert await sync_when_due(runtime.tenants, runtime.client, clock, None) == 1
