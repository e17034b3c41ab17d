"""A capability is one object: adding one is its folders plus one line in the list, with no
core file changed. Here a throwaway capability (a command, a job, an outbox channel, a
service, an HTTP route) is added next to the real ones and is routed, helped, scheduled and
delivered through."""

from __future__ import annotations

import gc
import inspect
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import Options
from bot.capabilities import (
    CAPABILITIES,
    CapabilityConflict,
    check_names,
    collect_transports,
)
from bot.capability import Basics, Capability, Services
from bot.clock import FrozenClock
from bot.config import Settings
from bot.demo.tour import scenes
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import Reply
from bot.embedded import Embedded, run_embedded
from bot.outbox import Transport
from bot.tenants import TenantInfo
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.outbox import OutboxMessage, OutboxStatus
from scheduler.factory import build_scheduler
from scheduler.jobs import SweepJob, register_jobs


@dataclass
class Ledger:
    """What the throwaway capability saw happen."""

    delivered: list[str] = field(default_factory=list)
    swept: int = 0


def throwaway(ledger: Ledger) -> Capability:
    router = Router("tests.stocktake", title="盘点")

    @router.command("盘点库存", examples=("帮我盘点一下库存",))
    async def count_stock(ctx: Context) -> list[Reply]:
        """盘点库存：数一数仓库里的东西"""
        counted = ctx.deps["stock_counter"]()
        return [
            Reply(f"盘点完成，共 {counted} 件"),
            Reply(f"{ctx.update.user_id} 盘点了 {counted} 件", to_user="ledger", channel="ledger"),
        ]

    async def sweep() -> int:
        ledger.swept += 1
        return ledger.swept

    async def deliver(tenant: TenantInfo, row: OutboxMessage) -> object:
        ledger.delivered.append(str(row.payload.get("content", "")))
        return {"errcode": 0}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="盘点页")

    def transports(services: Services) -> Mapping[str, Transport]:
        return {"ledger": Transport(deliver)}

    def deps(services: Services) -> Mapping[str, Any]:
        return {"stock_counter": lambda: 42}

    def routes(app: web.Application, basics: Basics) -> None:
        app.router.add_get("/stocktake", page)

    return Capability(
        name="stocktake",
        title="盘点",
        routers=(router,),
        jobs=lambda services: [SweepJob("stocktake-nightly", 3600, sweep)],
        transports=transports,
        deps=deps,
        web=routes,
    )


@pytest.fixture
async def with_throwaway(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[tuple[Embedded, Ledger]]:
    ledger = Ledger()
    options = Options(
        clock=clock,
        manage_database=False,
        capabilities=(*CAPABILITIES, throwaway(ledger)),
    )
    async with run_embedded(settings, options, simulator_clock=clock) as embedded:
        yield embedded, ledger


async def test_a_new_capability_is_routed_helped_scheduled_and_delivered(
    with_throwaway: tuple[Embedded, Ledger],
) -> None:
    embedded, ledger = with_throwaway
    async with aiohttp.ClientSession() as http:
        control = SimulatorControl(http, embedded.simulator_url)
        lisi = ChatSession(control, "acme", "lisi")

        assert await lisi.say("盘点库存") == ["盘点完成，共 42 件"]
        await embedded.runtime.tasks.drain()
        assert embedded.runtime.sender is not None
        await embedded.runtime.sender.sweep_all()
        assert ledger.delivered == ["lisi 盘点了 42 件"]
        row = await OutboxMessage.get(channel="ledger")
        assert row.status is OutboxStatus.SENT

        [help_text] = await lisi.say("帮助 盘点")
        assert "盘点库存：数一数仓库里的东西" in help_text

        async with http.get(f"{embedded.bot_url}/stocktake") as response:
            assert response.status == 200
            assert await response.text() == "盘点页"

    scheduler = embedded.runtime.scheduler
    assert scheduler is not None
    job = scheduler.get_job("stocktake-nightly")
    assert job is not None
    assert inspect.iscoroutinefunction(job.func)
    await job.func()
    assert ledger.swept == 1


def test_two_capabilities_may_not_claim_one_outbox_channel() -> None:
    ledger = Ledger()
    twin = throwaway(ledger)
    services: Any = object()  # the factories here ignore it
    with pytest.raises(CapabilityConflict, match="'ledger'"):
        collect_transports([twin, twin], services)
    with pytest.raises(CapabilityConflict, match="stocktake"):
        check_names([*CAPABILITIES, twin, twin])


def test_every_capability_has_its_own_name_and_folder() -> None:
    check_names(CAPABILITIES)
    for capability in CAPABILITIES:
        for router in capability.routers:
            for route in router.routes:
                module = route.handler.__module__
                assert module.startswith(f"handlers.{capability.name}."), (
                    f"{module} belongs in handlers/{capability.name}/"
                )


def test_every_declared_demo_scene_exists() -> None:
    declared = [c for c in CAPABILITIES if c.demo]
    found = scenes(CAPABILITIES)
    assert len(found) == len(declared) >= 4
    assert all(inspect.iscoroutinefunction(scene) for scene in found)


def test_every_declared_config_table_is_documented() -> None:
    example = (Path(__file__).parents[2] / "config.example.toml").read_text(encoding="utf-8")
    for capability in CAPABILITIES:
        if capability.config:
            assert f"[{capability.config}]" in example, capability.name


async def test_every_scheduled_job_is_awaited_when_it_runs(embedded: Embedded) -> None:
    """APScheduler awaits only coroutine functions; a job spelled as a lambda returning a
    coroutine used to be run in a thread and its coroutine dropped (the name learner never
    ran). Every job of every capability is registered as the app does and run once here;
    the suite turns an un-awaited coroutine into a failure."""
    services = embedded.runtime.services
    assert services is not None
    scheduler = build_scheduler()
    for capability in CAPABILITIES:
        register_jobs(scheduler, capability.jobs(services))
    jobs = scheduler.get_jobs()
    assert {"followup-reminders", "nlu-new-names", "ticket-sla", "survey-sweep"} <= {
        job.id for job in jobs
    }
    for job in jobs:
        assert inspect.iscoroutinefunction(job.func), job.id
        await job.func()
    gc.collect()


async def test_a_job_returning_a_coroutine_is_still_awaited() -> None:
    ran: list[str] = []

    async def learn() -> int:
        ran.append("learned")
        return 1

    scheduler = build_scheduler()
    register_jobs(scheduler, [SweepJob("learn", 60, lambda: learn())])  # noqa: PLW0108 (the point)
    [job] = scheduler.get_jobs()
    assert inspect.iscoroutinefunction(job.func)
    assert await job.func() == 1
    assert ran == ["learned"]
