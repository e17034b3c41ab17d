"""The customer module's scheduled work: churn summary, nightly value recompute and sync."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from support.crm import Chat, open_chat

from bot.clock import FrozenClock
from bot.crm.valuation import refresh_value
from bot.embedded import Embedded
from models.crm.customers import Customer, CustomerFollower, CustomerNote
from models.crm.ops import CustomerSyncRun
from models.outbox import OutboxMessage
from scheduler.crm import customer_jobs, nightly_sync, revalue, send_churn

SHANGHAI_9_30 = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def lose(chat: Chat, name: str, userid: str = "lisi") -> None:
    answer = await chat.sim.add_contact("acme", userid, name=name)
    await chat.settle(0)
    await chat.sim.remove_contact("acme", userid, answer["external_userid"], by="customer")
    await chat.settle(0)


async def summaries(embedded: Embedded, at: datetime) -> list[str]:
    runtime = embedded.runtime
    assert runtime.sender is not None
    before = await OutboxMessage.filter(recipient="zhangsan").count()
    await send_churn(runtime.tenants, runtime.sender, FrozenClock(at))
    rows = await OutboxMessage.filter(recipient="zhangsan").order_by("id").offset(before)
    return [row.payload["content"] for row in rows]


async def test_admins_get_one_churn_summary_a_day(chat: Chat, embedded: Embedded) -> None:
    await lose(chat, "王小明")
    await lose(chat, "李小红", userid="wangwu")
    assert await summaries(embedded, SHANGHAI_9_30 - timedelta(hours=1)) == []  # before 09:00
    [summary] = await summaries(embedded, SHANGHAI_9_30)
    lines = summary.splitlines()
    assert lines[0] == "【客户流失日报】自上次日报以来，有 2 位客户删除了员工："
    assert lines[1].startswith("· 王小明（删除了 lisi，")
    assert lines[2].startswith("· 李小红（删除了 wangwu，")
    await lose(chat, "赵六")
    assert await summaries(embedded, SHANGHAI_9_30 + timedelta(hours=2)) == []  # once a day
    [next_day] = await summaries(embedded, SHANGHAI_9_30 + timedelta(days=1))
    assert next_day.splitlines()[0].endswith("有 1 位客户删除了员工：")
    assert "赵六" in next_day
    assert await CustomerFollower.filter(churn_reported_at__isnull=True, status="lost").count() == 0


async def test_a_new_customer_is_stored_with_the_value_a_recompute_gives(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "新建客户 王五 13800138000 公司 华夏科技")
    stored = await Customer.get(name="王五")
    assert stored.value_computed_at == clock.now()
    as_stored = (stored.value_tier, stored.value_score, stored.value_reasons)
    assert as_stored == ("D", 0, ["还没有互动记录", "近 90 天互动 0 次", "暂无订单数据"])
    recomputed = await refresh_value(stored, clock.now())
    assert (recomputed.tier, recomputed.score, list(recomputed.reasons)) == as_stored


async def test_values_are_recomputed_at_night(
    chat: Chat, embedded: Embedded, clock: FrozenClock
) -> None:
    await chat.say("lisi", "新建客户 王五")
    await chat.say("lisi", "客户 王五 备注 第一次见面")
    customer = await Customer.get(name="王五")
    assert customer.last_interaction_at == clock.now()  # Monday 23 November, 10:00
    last_seen = clock.now() - timedelta(days=45)
    await CustomerNote.filter(customer_id=customer.id).update(created_at=last_seen)
    await Customer.filter(id=customer.id).update(last_interaction_at=last_seen)
    noon = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai: not night
    assert await revalue(embedded.runtime.tenants, FrozenClock(noon)) == 0
    night = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 03:00 on the 25th in Shanghai
    assert await revalue(embedded.runtime.tenants, FrozenClock(night)) == 1
    customer = await Customer.get(id=customer.id)
    assert customer.value_reasons == [
        "46 天前有互动",
        "近 90 天互动 1 次",
        "互动在减少",
        "暂无订单数据",
    ]
    assert await revalue(embedded.runtime.tenants, FrozenClock(night + timedelta(minutes=10))) == 0


async def test_the_nightly_sync_runs_once_a_night(chat: Chat, embedded: Embedded) -> None:
    await chat.sim.seed_customer("acme", {"name": "老客户", "follow_users": [{"userid": "lisi"}]})
    runtime = embedded.runtime
    assert runtime.client is not None
    night = datetime(2026, 11, 24, 19, 5, tzinfo=UTC)  # 03:05 in Shanghai
    assert (
        await nightly_sync(runtime.tenants, runtime.client, FrozenClock(night - timedelta(hours=2)))
        == 0
    )
    assert await nightly_sync(runtime.tenants, runtime.client, FrozenClock(night)) == 1
    assert await Customer.filter(name="老客户").exists()
    assert (
        await nightly_sync(
            runtime.tenants, runtime.client, FrozenClock(night + timedelta(minutes=20))
        )
        == 0
    )
    assert (await CustomerSyncRun.get(tenant__key="acme")).finished_at == night


def test_the_jobs_have_stable_ids(embedded: Embedded) -> None:
    ids = [job.id for job in customer_jobs(embedded.runtime.services)]
    assert ids == [
        "crm-churn-summary",
        "crm-value-nightly",
        "crm-sync-nightly",
        "crm-transfer-results",
    ]
