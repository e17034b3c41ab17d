"""Every command a member runs becomes one usage event, written in the command's own
transaction: what ran, what the plan or the seats refused, and nothing for a command whose
transaction rolled back except the error recorded with its apology."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date

import pytest
from support.billing import subscribe
from support.calls import call_chat
from support.crm import Chat
from support.followups import MONDAY_10AM
from support.updates import text_update
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import CommandOutcome, Dispatcher
from bot.dispatch.router import Router
from bot.provider.usage import DEPS_KEY, record_usage
from bot.subscription.plan import Plan
from bot.tenants import TenantInfo
from models.provider import Outcome, UsageEvent

pytestmark = pytest.mark.db

ONE_SEAT = Plan("standard", 1, "month", modules=frozenset({"callcenter"}))


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        yield opened


async def events() -> list[tuple[str, str, str, str, str]]:
    rows = await UsageEvent.all().order_by("id")
    return [(e.userid, e.capability, e.module, e.intent, e.outcome.value) for e in rows]


async def test_a_command_that_runs_is_recorded_with_its_capability_and_time(
    chat: Chat,
) -> None:
    [reply] = await chat.say("lisi", "我今天打了多少个电话")
    assert "通话" in reply
    assert await events() == [("lisi", "calls", "callcenter", "calls.my_calls", "ok")]
    [event] = await UsageEvent.all()
    assert event.at == MONDAY_10AM
    assert event.tenant_id == 1
    assert 0 <= event.latency_ms < 10_000


async def test_refusals_are_recorded_by_reason(chat: Chat, clock: FrozenClock) -> None:
    [refused] = await chat.say("lisi", "约安装 明天上午 王总")
    assert "未开通" in refused
    [admins_only] = await chat.say("lisi", "通话统计 本周")
    assert admins_only
    billing = chat.embedded.runtime.billing
    assert billing is not None
    await subscribe(billing, 1, date(2026, 11, 1), date(2027, 3, 1), ONE_SEAT)
    await chat.say("zhangsan", "我的通话")  # takes the only seat
    [seats_full] = await chat.say("wangwu", "我的通话")
    assert seats_full.startswith("席位已满")
    assert [(who, outcome) for who, _, _, _, outcome in await events()] == [
        ("lisi", "refused_module"),
        ("lisi", "refused"),
        ("zhangsan", "ok"),
        ("wangwu", "refused_seat"),
    ]
    first = (await events())[0]
    assert first[1:3] == ("installation", "installation")


async def test_text_nothing_understood_and_help_to_a_question_are_no_commands(
    chat: Chat,
) -> None:
    await chat.say("lisi", "啊啊啊啊啊啊")
    assert await events() == []


async def test_the_event_commits_or_rolls_back_with_its_command(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    router = Router("handlers.sample", title="样例")

    @router.command("好了", intent="sample.fine", help="什么都不做")
    async def fine(ctx: object) -> str:
        return "好的"

    @router.command("出错", intent="sample.broken", help="总是失败")
    async def broken(ctx: object) -> str:
        raise RuntimeError("the database went away")

    dispatcher = Dispatcher([router], clock=clock, deps={DEPS_KEY: record_usage})
    async with in_transaction():
        assert await (await dispatcher.prepare(text_update("好了"), tenant)).run()
    prepared = await dispatcher.prepare(text_update("出错"), tenant)
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await prepared.run()
    assert await events() == [("lisi", "sample", "core", "sample.fine", "ok")]
    async with in_transaction():
        await prepared.failed()  # what the inbox does with its apology
    assert [e[3:] for e in await events()] == [("sample.fine", "ok"), ("sample.broken", "error")]
    assert await UsageEvent.filter(outcome=Outcome.ERROR).count() == 1


async def test_recording_costs_one_insert_and_no_lookup(
    tenant: TenantInfo, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    router = Router("handlers.sample", title="样例")

    @router.command("好了", intent="sample.fine", help="什么都不做")
    async def fine(ctx: object) -> str:
        return "好的"

    dispatcher = Dispatcher([router], clock=clock, deps={DEPS_KEY: record_usage})
    prepared = await dispatcher.prepare(text_update("好了"), tenant)
    assert prepared.route is not None
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        await record_usage(prepared.ctx, prepared.route, CommandOutcome.OK, 0.004)
    statements = [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith('INSERT INTO "USAGE_EVENT"')
    [event] = await UsageEvent.all()
    assert event.latency_ms == 4
