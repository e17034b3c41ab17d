"""The inbox: updates survive restarts and crashes, are handled once and in order, and errors
reach the employee as a polite reply. Replies are read from the simulated WeCom API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import RUNTIME, Options, Runtime, create_app
from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import Update
from bot.embedded import simulated_tenants
from bot.inbox import APOLOGY, Inbox
from bot.tenants import TenantInfo
from bot.wecom_sim.control import SimulatorControl
from bot.wecom_sim.simulator import create_simulator_app
from models.inbox import InboxStatus, InboxUpdate
from models.tenants import Employee
from tests.support.updates import text_update


def said(text: str, *, user: str = "zhangsan", msg_id: int = 1001) -> Update:
    return text_update(text, user, msg_id=msg_id)


def echo_router(handled: list[str]) -> Router:
    router = Router("echo")

    @router.message()
    async def echo(ctx: Context) -> str:
        handled.append(ctx.said)  # exactly as typed (routes match the normalised text)
        return f"收到：{ctx.said}"

    return router


@dataclass
class Bot:
    runtime: Runtime
    server: TestServer
    tenant: TenantInfo

    @property
    def inbox(self) -> Inbox:
        assert self.runtime.inbox is not None
        return self.runtime.inbox

    async def receive(self, update: Update) -> None:
        """What the callback endpoint does once a callback checks out."""
        assert await self.inbox.accept(self.tenant, update)

    async def settle(self) -> None:
        await self.runtime.tasks.drain()

    async def stop(self) -> None:
        await self.server.close()


@dataclass
class Stage:
    """A simulated WeCom, and bots started and stopped against it like processes."""

    settings: Settings
    clock: FrozenClock
    tenant: TenantInfo
    wecom: SimulatorControl
    stack: AsyncExitStack

    async def start(self, *routers: Router) -> Bot:
        options = Options(
            clock=self.clock,
            manage_database=False,
            run_scheduler=False,
            routers=list(routers) if routers else None,
        )
        server = TestServer(create_app(self.settings, options), host="127.0.0.1")
        await self.stack.enter_async_context(server)
        bot = Bot(server.app[RUNTIME], server, self.tenant)
        await bot.settle()  # start-up recovery and the outbox sweep run in the background
        return bot

    async def replies(self) -> list[tuple[str, str]]:
        sent = await self.wecom.sent()
        return [(r["body"]["touser"], r["body"]["text"]["content"]) for r in sent]

    async def left_behind(self, update: Update, **row: Any) -> InboxUpdate:
        """An inbox row as a process that died mid-way leaves it."""
        values = {"received_at": self.clock.now(), "lease_until": None, "attempts": 1} | row
        return await InboxUpdate.create(
            tenant_id=self.tenant.id, key=update.key, payload=update.to_json(), **values
        )


@pytest.fixture
async def stage(settings: Settings, clock: FrozenClock, tenant: TenantInfo) -> AsyncIterator[Stage]:
    simulator = TestServer(
        create_simulator_app(simulated_tenants(settings), clock=clock), host="127.0.0.1"
    )
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(simulator)
        session = await stack.enter_async_context(aiohttp.ClientSession())
        api_base = str(simulator.make_url("")).rstrip("/")
        configured = replace(settings, wecom=replace(settings.wecom, api_base=api_base))
        yield Stage(configured, clock, tenant, SimulatorControl(session, api_base), stack)


# --- restarts --------------------------------------------------------------------------------


@pytest.mark.parametrize("lease", [None, timedelta(seconds=-1)], ids=["no lease", "expired"])
async def test_an_update_left_pending_is_answered_at_the_next_start(
    stage: Stage, lease: timedelta | None
) -> None:
    until = None if lease is None else stage.clock.now() + lease
    row = await stage.left_behind(said("帮助?"), lease_until=until)
    handled: list[str] = []
    bot = await stage.start(echo_router(handled))
    assert await stage.replies() == [("zhangsan", "收到：帮助?")]
    assert (await InboxUpdate.get(id=row.id)).status == InboxStatus.DONE
    await bot.stop()
    await stage.start(echo_router(handled))  # and once more: nothing is left to do
    assert handled == ["帮助?"]
    assert len(await stage.replies()) == 1


async def test_an_update_someone_holds_a_lease_on_is_left_alone(stage: Stage) -> None:
    row = await stage.left_behind(
        said("在吗"), lease_until=stage.clock.now() + timedelta(seconds=20)
    )
    bot = await stage.start(echo_router(handled := []))
    assert handled == []
    assert await stage.replies() == []
    assert (await InboxUpdate.get(id=row.id)).status == InboxStatus.PENDING
    stage.clock.advance(timedelta(seconds=21))  # the holder died: its lease runs out
    assert await bot.inbox.recover() == 1
    await bot.settle()
    assert await stage.replies() == [("zhangsan", "收到：在吗")]


async def test_two_processes_recovering_at_once_handle_an_update_once(stage: Stage) -> None:
    handled: list[str] = []
    first, second = await stage.start(echo_router(handled)), await stage.start(echo_router(handled))
    await stage.left_behind(said("在吗"))
    claimed = await asyncio.gather(first.inbox.recover(), second.inbox.recover())
    await first.settle()
    await second.settle()
    assert sorted(claimed) == [0, 1]
    assert handled == ["在吗"]
    assert await stage.replies() == [("zhangsan", "收到：在吗")]


async def test_an_update_that_keeps_killing_the_process_is_given_up(stage: Stage) -> None:
    row = await stage.left_behind(said("毒药"), attempts=3)
    await stage.start(echo_router(handled := []))
    assert handled == []
    row = await InboxUpdate.get(id=row.id)
    assert (row.status, row.error) == (InboxStatus.FAILED, "gave up after repeated interruptions")


async def test_shutdown_cancels_work_in_flight_and_the_next_start_finishes_it(
    stage: Stage,
) -> None:
    started = asyncio.Event()
    stuck = Router("stuck")

    @stuck.message()
    async def never_finish(ctx: Context) -> str:
        started.set()
        await asyncio.Event().wait()
        return "unreachable"

    bot = await stage.start(stuck)
    await bot.receive(said("帮我查一下"))
    await asyncio.wait_for(started.wait(), timeout=2)
    await bot.stop()
    row = await InboxUpdate.get(key="msg:1001")
    assert (row.status, row.lease_until) == (InboxStatus.PENDING, None)  # released at once
    assert await stage.replies() == []
    await stage.start(echo_router(handled := []))
    assert handled == ["帮我查一下"]
    assert await stage.replies() == [("zhangsan", "收到：帮我查一下")]


async def test_a_slow_update_whose_lease_ran_out_is_not_handled_twice(stage: Stage) -> None:
    started, gate = asyncio.Event(), asyncio.Event()
    handled: list[str] = []
    slow = Router("slow")

    @slow.message()
    async def think(ctx: Context) -> str:
        handled.append(ctx.said)
        started.set()
        await gate.wait()
        return "想好了"

    bot, other_process = await stage.start(slow), await stage.start(slow)
    await bot.receive(said("帮我想想"))
    await asyncio.wait_for(started.wait(), timeout=2)
    stage.clock.advance(timedelta(minutes=1))  # past the lease, still working
    recovery = asyncio.create_task(other_process.inbox.recover())
    await asyncio.sleep(0.05)
    gate.set()
    await recovery
    await bot.settle()
    await other_process.settle()
    assert handled == ["帮我想想"]
    assert await stage.replies() == [("zhangsan", "想好了")]


# --- errors ----------------------------------------------------------------------------------


def failing_router(error: Exception) -> Router:
    router = Router("failing")

    @router.message()
    async def add_seats(ctx: Context) -> str:
        now = ctx.clock.now()
        await Employee.create(
            tenant_id=ctx.tenant.id, userid="ghost", first_seen_at=now, last_seen_at=now
        )
        raise error

    return router


async def test_a_user_facing_error_is_the_reply_and_its_changes_are_undone(stage: Stage) -> None:
    bot = await stage.start(failing_router(UserFacingError("席位数要写成数字，例如：加席位 5")))
    await bot.receive(said("加席位 五个"))
    await bot.settle()
    assert await stage.replies() == [("zhangsan", "席位数要写成数字，例如：加席位 5")]
    assert not await Employee.exists(userid="ghost")
    row = await InboxUpdate.get(key="msg:1001")
    assert (row.status, row.error) == (InboxStatus.DONE, "")


async def test_an_unexpected_error_gets_an_apology_and_is_logged_with_context(
    stage: Stage, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await stage.start(failing_router(RuntimeError("pool exhausted, password=hunter2")))
    await bot.receive(said("加席位 5"))
    await bot.settle()
    assert await stage.replies() == [("zhangsan", APOLOGY)]
    assert not await Employee.exists(userid="ghost")
    row = await InboxUpdate.get(key="msg:1001")
    assert row.status == InboxStatus.FAILED
    assert row.error == "RuntimeError: pool exhausted, password=hunter2"
    [logged] = [r for r in caplog.records if r.name == "bot.inbox"]
    assert logged.levelno == logging.ERROR and logged.exc_info is not None
    assert all(part in logged.getMessage() for part in ("msg:1001", "acme", "zhangsan"))


# --- ordering --------------------------------------------------------------------------------


async def test_one_persons_messages_are_handled_in_the_order_sent(stage: Stage) -> None:
    steps: list[str] = []
    router = Router("ordered")

    @router.message()
    async def note(ctx: Context) -> str:
        steps.append(f"开始 {ctx.update.text}")
        if ctx.update.text == "第一条":
            await asyncio.sleep(0.05)  # the first takes longer; the second must still wait
        steps.append(f"结束 {ctx.update.text}")
        return f"收到：{ctx.update.text}"

    bot = await stage.start(router)
    await bot.receive(said("第一条", msg_id=1))
    await bot.receive(said("第二条", msg_id=2))
    await bot.settle()
    assert steps == ["开始 第一条", "结束 第一条", "开始 第二条", "结束 第二条"]
    assert await stage.replies() == [("zhangsan", "收到：第一条"), ("zhangsan", "收到：第二条")]
