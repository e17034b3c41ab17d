"""A member's row and conversation are read fresh for every message, in one statement: what
an admin, the address book or another replica changed applies to the very next message. And
what a known member's ordinary command costs in SQL, statement by statement."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from tortoise import connections

from bot.clock import FrozenClock
from bot.dispatch.context import Context
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.members import add_member, member_and_conversation
from bot.dispatch.router import Router
from bot.embedded import Embedded
from bot.subscription.snapshots import SnapshotCache
from bot.tenants import TenantInfo
from bot.wecom_sim.control import SimulatorControl
from models.conversations import ConversationState
from models.tenants import Employee, Role
from tests.support.score_flow import add_score_flow
from tests.support.updates import text_update


def whoami_router() -> Router:
    router = Router("whoami")

    @router.command("我是谁")
    async def whoami(ctx: Context) -> str:
        name = ctx.employee.name if ctx.employee is not None else ""
        state = ctx.conversation.state if ctx.conversation is not None else None
        return f"{ctx.role.value} {name or '-'} {state or '-'}"

    return add_score_flow(router)


async def said(dispatcher: Dispatcher, tenant: TenantInfo, text: str, user: str = "lisi") -> str:
    replies = await dispatcher.feed(text_update(text, user), tenant)
    return "\n".join(reply.text for reply in replies)


@pytest.fixture
def replicas(clock: FrozenClock) -> tuple[Dispatcher, Dispatcher]:
    """Two processes' dispatchers on the one database, as two replicas run."""
    return Dispatcher([whoami_router()], clock=clock), Dispatcher([whoami_router()], clock=clock)


async def test_a_role_changed_elsewhere_applies_to_the_very_next_message(
    replicas: tuple[Dispatcher, Dispatcher], tenant: TenantInfo
) -> None:
    here, _ = replicas
    assert await said(here, tenant, "我是谁") == "member - -"
    # An admin on the other replica (or the CLI) makes lisi a dispatcher, then an admin.
    await Employee.filter(tenant_id=tenant.id, userid="lisi").update(role=Role.DISPATCHER)
    assert await said(here, tenant, "我是谁") == "dispatcher - -"
    await Employee.filter(tenant_id=tenant.id, userid="lisi").update(role=Role.ADMIN)
    assert await said(here, tenant, "我是谁") == "admin - -"
    # Taken away again: the next message already has no admin rights.
    await Employee.filter(tenant_id=tenant.id, userid="lisi").update(role=Role.MEMBER)
    assert await said(here, tenant, "我是谁") == "member - -"


async def test_a_name_the_address_book_changes_shows_on_the_next_message(
    replicas: tuple[Dispatcher, Dispatcher], tenant: TenantInfo
) -> None:
    here, _ = replicas
    await said(here, tenant, "我是谁")
    await Employee.filter(tenant_id=tenant.id, userid="lisi").update(name="李四")
    assert await said(here, tenant, "我是谁") == "member 李四 -"


async def test_a_conversation_begun_on_one_replica_goes_on_on_the_other(
    replicas: tuple[Dispatcher, Dispatcher], tenant: TenantInfo, clock: FrozenClock
) -> None:
    here, there = replicas
    assert await said(there, tenant, "我是谁") == "member - -"  # known to be in no flow
    assert await said(here, tenant, "评分 张三") == "请回复 1-5 分"
    assert await said(there, tenant, "5") == "张三 打了 5 分"
    assert await said(here, tenant, "评分 李四") == "请回复 1-5 分"
    clock.advance(timedelta(minutes=6))  # past the flow's expiry: dropped, not resumed
    assert await said(there, tenant, "4") == ""
    assert not await ConversationState.exists(tenant_id=tenant.id, user_id="lisi")


async def test_a_members_first_messages_on_two_replicas_store_one_row(
    replicas: tuple[Dispatcher, Dispatcher], tenant: TenantInfo
) -> None:
    here, there = replicas
    answers = await asyncio.gather(
        said(here, tenant, "我是谁", user="wangwu"), said(there, tenant, "我是谁", user="wangwu")
    )
    assert answers == ["member - -", "member - -"]
    assert await Employee.filter(tenant_id=tenant.id, userid="wangwu").count() == 1


async def test_storing_a_member_twice_keeps_the_first_row(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    first = await add_member(tenant.id, "wangwu", Role.MEMBER, clock.now())
    assert first is not None
    assert (first.userid, first.role, first.first_seen_at) == ("wangwu", Role.MEMBER, clock.now())
    await Employee.filter(id=first.id).update(name="王五")
    clock.advance(timedelta(minutes=1))
    assert await add_member(tenant.id, "wangwu", Role.ADMIN, clock.now()) is None
    found = await member_and_conversation(tenant.id, "wangwu")
    assert found is not None
    employee, state = found
    assert (employee.id, employee.name, employee.role, state) == (
        first.id,
        "王五",
        Role.MEMBER,
        None,
    )


# --- what one message costs ------------------------------------------------------------------

# A known member's 帮助, in steady state (the tenant's entitlement snapshot cached): the inbox
# row committed on its own before the 200, the member and conversation read together, the
# handler's transaction (the update marked done, its usage record, its reply), and the reply
# marked sent. Raise a count here only together with bench/README.md ("Statement counts").
KNOWN_MEMBER_COMMAND = [
    'INSERT INTO "inbox_update"',
    'SELECT … FROM "employee" e LEFT JOIN "conversation_state"',
    "BEGIN",
    'UPDATE "inbox_update"',
    'INSERT INTO "usage_event"',
    'INSERT INTO "outbox_message"',
    "COMMIT",
    'UPDATE "outbox_message"',
]


def shape(statement: str) -> str:
    """A statement as KNOWN_MEMBER_COMMAND names it: its verb and first table."""
    if statement.startswith("SELECT e."):
        return 'SELECT … FROM "employee" e LEFT JOIN "conversation_state"'
    found = re.match(r'(INSERT INTO|UPDATE|SELECT .*? FROM) ("\w+")', statement)
    return f"{found[1]} {found[2]}" if found else statement.split(maxsplit=1)[0]


@pytest.mark.sqlite_only  # counted with SQLite's trace hook, as trace-sql counts them
async def test_a_known_members_command_costs_eight_statements_and_three_commits(
    embedded: Embedded, sim: SimulatorControl
) -> None:
    billing = embedded.runtime.billing
    assert billing is not None
    monotonic = [0.0]
    billing.cache = SnapshotCache(billing.cache._load, monotonic=lambda: monotonic[0])

    async def say(text: str) -> None:
        await sim.deliver("acme", {"MsgType": "text", "FromUserName": "lisi", "Content": text})
        await embedded.runtime.tasks.drain()

    await say("帮助")  # first contact: the row, a seat, a fresh snapshot
    monotonic[0] += billing.cache.settle + 1
    await say("帮助")  # the snapshot cached again
    statements = await traced()
    await say("帮助")
    assert [shape(s) for s in statements] == KNOWN_MEMBER_COMMAND
    assert len(await sim.sent()) == 3  # and every one was answered


async def traced() -> list[str]:
    """Every statement SQLite runs from now on (the hook bench/callback_load.py uses)."""
    connection = connections.get("default")._connection
    statements: list[str] = []
    await connection._execute(connection._conn.set_trace_callback, statements.append)
    return statements
