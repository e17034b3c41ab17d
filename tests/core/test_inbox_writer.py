"""Group commit: callbacks stored together in one transaction, retries still no-ops."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import FrozenClock
from bot.inbox_writer import InboxWriter
from bot.tenants import TenantInfo
from models.inbox import InboxStatus, InboxUpdate
from tests.support.updates import text_update


async def test_a_burst_is_stored_whole_and_each_caller_gets_its_row(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    writer = InboxWriter(clock, timedelta(seconds=30))
    updates = [text_update(f"第{n}条", msg_id=n) for n in range(50)]
    ids = await asyncio.gather(*(writer.store(tenant.id, u) for u in updates))
    rows = {row.id: row for row in await InboxUpdate.filter(tenant_id=tenant.id)}
    assert len(rows) == 50
    assert [rows[i].key for i in ids] == [u.key for u in updates]  # type: ignore[index]
    assert all(row.status == InboxStatus.PENDING for row in rows.values())
    assert all(row.lease_until == clock.now() + timedelta(seconds=30) for row in rows.values())


async def test_retries_in_one_batch_and_later_are_no_ops(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    writer = InboxWriter(clock, timedelta(seconds=30))
    update = text_update("帮助", msg_id=7)
    first, second, other = await asyncio.gather(
        writer.store(tenant.id, update),
        writer.store(tenant.id, update),
        writer.store(tenant.id, text_update("你好", msg_id=8)),
    )
    assert first is not None and other is not None
    assert second is None
    clock.advance(timedelta(seconds=5))
    assert await writer.store(tenant.id, update) is None
    assert await InboxUpdate.filter(tenant_id=tenant.id).count() == 2


async def test_a_failed_batch_fails_its_callers_and_the_next_batch_works(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    writer = InboxWriter(clock, timedelta(seconds=30))
    missing_tenant = tenant.id + 1000  # violates the foreign key
    try:
        await writer.store(missing_tenant, text_update("孤儿", msg_id=1))
    except Exception as exc:  # the route turns this into a 5xx so WeCom retries
        assert "FOREIGN KEY" in str(exc).upper() or "foreign key" in str(exc)
    else:
        raise AssertionError("storing for a missing tenant must fail")
    assert await writer.store(tenant.id, text_update("好的", msg_id=2)) is not None


async def test_a_row_that_cannot_be_stored_fails_alone_and_the_batch_is_stored(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    writer = InboxWriter(clock, timedelta(seconds=30))
    good = [text_update(f"第{n}条", msg_id=n) for n in range(1, 40)]
    bad = text_update("\ud800", msg_id=99)  # a lone surrogate: no UTF-8 column holds it
    calls = [writer.store(tenant.id, u) for u in good[:20]]
    calls += [writer.store(tenant.id, bad)]
    calls += [writer.store(tenant.id + 1000, text_update("孤儿", msg_id=100))]  # no tenant
    calls += [writer.store(tenant.id, u) for u in good[20:]]
    results = await asyncio.gather(*calls, return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 2
    stored = [r for r in results if not isinstance(r, BaseException)]
    rows = {row.id: row.key for row in await InboxUpdate.filter(tenant_id=tenant.id)}
    assert sorted(rows[i] for i in stored) == sorted(u.key for u in good)  # type: ignore[index]
    assert len(rows) == len(good)


async def test_handlers_wait_while_callbacks_wait_to_be_stored(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    writer = InboxWriter(clock, timedelta(seconds=30))
    await asyncio.wait_for(writer.idle(), 1)  # nothing waiting: handlers go at once
    storing = asyncio.create_task(writer.store(tenant.id, text_update("在吗", msg_id=9)))
    await asyncio.sleep(0)  # the callback is queued, its batch not yet committed
    handler_may_start = asyncio.create_task(writer.idle())
    await asyncio.sleep(0)
    assert not handler_may_start.done()
    assert await storing is not None
    await asyncio.wait_for(handler_may_start, 1)
