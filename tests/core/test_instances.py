"""Recovery by owner: leases name the instance that took them, and a restarted instance takes
over at once what it, or an instance that has died, had in flight, instead of waiting for the
leases to run out. Nothing here moves the clock: whatever is picked up is picked up at once."""

from __future__ import annotations

from datetime import timedelta

import aiohttp

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import Settings
from bot.embedded import run_embedded
from bot.instance import Instance
from bot.tenants import TenantInfo
from bot.wecom_sim.control import SimulatorControl
from models.inbox import InboxStatus, InboxUpdate
from models.instances import BotInstance
from models.outbox import OutboxMessage, OutboxStatus
from tests.support.updates import text_update


async def in_flight(tenant: TenantInfo, clock: FrozenClock, owner: str, n: int) -> None:
    """An update being handled and a reply being sent by ``owner`` when it stopped: both
    leased for a while yet."""
    now = clock.now()
    update = text_update("帮助", user="zhangsan", msg_id=9000 + n)
    await InboxUpdate.create(
        tenant_id=tenant.id,
        key=update.key,
        payload=update.to_json(),
        attempts=1,
        lease_until=now + timedelta(seconds=30),
        lease_owner=owner,
        received_at=now,
    )
    await OutboxMessage.create(
        tenant_id=tenant.id,
        idempotency_key=f"in:msg:{8000 + n}:0",
        channel="app",
        recipient="lisi",
        msg_type="text",
        payload={"content": f"第{n}条回复"},
        next_attempt_at=now,
        lease_until=now + timedelta(seconds=60),
        lease_owner=owner,
        created_at=now,
    )


async def start(settings: Settings, clock: FrozenClock, name: str) -> list[str]:
    """Start the bot as instance ``name``, let start-up recovery run; the texts WeCom got."""
    options = Options(clock=clock, manage_database=False, run_scheduler=False, instance=name)
    async with (
        run_embedded(settings, options, simulator_clock=clock) as embedded,
        aiohttp.ClientSession() as session,
    ):
        await embedded.runtime.tasks.drain()
        sent = await SimulatorControl(session, embedded.simulator_url).sent()
    return sorted(f"{r['body']['touser']}:{r['body']['text']['content'][:6]}" for r in sent)


async def test_a_restarted_instance_takes_over_its_own_work_at_once(
    settings: Settings, tenant: TenantInfo, clock: FrozenClock
) -> None:
    await BotInstance.create(name="bot-a", started_at=clock.now(), seen_at=clock.now())
    await in_flight(tenant, clock, "bot-a", 1)  # killed a moment ago, heartbeat still fresh
    assert await start(settings, clock, "bot-a") == ["lisi:第1条回复", "zhangsan:我能帮你做这"]
    assert await InboxUpdate.filter(status=InboxStatus.PENDING).count() == 0
    assert await OutboxMessage.filter(status=OutboxStatus.PENDING).count() == 0


async def test_only_work_of_instances_that_are_gone_is_taken_over(
    settings: Settings, tenant: TenantInfo, clock: FrozenClock
) -> None:
    now = clock.now()
    await BotInstance.create(name="live", started_at=now, seen_at=now - timedelta(seconds=5))
    await BotInstance.create(name="dead", started_at=now, seen_at=now - timedelta(minutes=5))
    for n, owner in enumerate(["live", "dead", "never-announced", ""]):
        await in_flight(tenant, clock, owner, n)
    # The replica still running keeps its work; unnamed leases are left to run out.
    assert await start(settings, clock, "bot-b") == [
        "lisi:第1条回复",
        "lisi:第2条回复",
        "zhangsan:我能帮你做这",
        "zhangsan:我能帮你做这",
    ]
    pending = await InboxUpdate.filter(status=InboxStatus.PENDING).values_list(
        "lease_owner", flat=True
    )
    assert sorted(pending) == ["", "live"]


async def test_a_heartbeat_keeps_an_instance_alive_and_a_clean_stop_gives_up_its_name(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    instance = Instance("bot-c", clock)
    await instance.start()
    clock.advance(timedelta(seconds=10))
    await instance.heartbeat()
    assert (await BotInstance.get(name="bot-c")).seen_at == clock.now()
    await instance.stop()
    assert await BotInstance.filter(name="bot-c").count() == 0


async def test_leases_carry_the_name_of_the_instance_that_took_them(
    settings: Settings, tenant: TenantInfo, clock: FrozenClock
) -> None:
    options = Options(clock=clock, manage_database=False, run_scheduler=False, instance="bot-d")
    async with run_embedded(settings, options, simulator_clock=clock) as embedded:
        inbox = embedded.runtime.inbox
        assert inbox is not None
        await inbox.accept(tenant, text_update("帮助", user="zhangsan", msg_id=77))
        [row] = await InboxUpdate.all()
        assert row.lease_owner == "bot-d"
        await embedded.runtime.tasks.drain()
    [reply] = await OutboxMessage.all()
    assert reply.lease_owner == "bot-d"
