"""The first-response SLA: due after N working hours of the support desk (China's working
days), escalated to every operator once past it, never twice, not even by two sweeps at the
same moment (two replicas), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from support.followups import MONDAY_10AM
from support.vendor_support import OPERATOR, Both, support_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.settings import Operator
from bot.tenants import TenantInfo
from bot.vendor_support.settings import VendorSupportSettings
from bot.vendor_support.sweep import EscalationSweep
from models.outbox import OutboxMessage
from models.vendor_support import SupportRequest

FRIDAY_5PM = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai
SECOND = "liuyang"


@pytest.fixture
async def both(settings: Settings, clock: FrozenClock) -> AsyncIterator[Both]:
    two = replace(settings, vendor_support=VendorSupportSettings(first_response_hours=4))
    async with support_chat(two, clock, more_operators=(f"other:{SECOND}",)) as opened:
        yield opened


async def _sweep(both: Both, clock: FrozenClock) -> int:
    runtime = both.client.embedded.runtime
    operators = runtime.settings.subscription.operators
    since = await both.client.sim.sent_count()
    count = await EscalationSweep(operators, clock).run()
    await both.deliver()
    await both.client.settle(since)
    both.desk.last = both.client.last
    return count


async def test_an_unanswered_request_is_escalated_to_every_operator_once(
    both: Both, clock: FrozenClock
) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    clock.set(MONDAY_10AM + timedelta(hours=3, minutes=59))
    assert await _sweep(both, clock) == 0
    clock.set(MONDAY_10AM + timedelta(hours=4, minutes=30))
    assert await _sweep(both, clock) == 1
    expected = [
        "【客服请求超时】KF0001（艾克米科技 · 李四）首次响应已超时 30 分钟，还没有人回复："
        "打印工单的模板怎么改\n请尽快发送「回复 KF0001 内容」。"
    ]
    assert both.desk_got(OPERATOR) == expected
    assert both.desk_got(SECOND) == expected
    clock.set(MONDAY_10AM + timedelta(hours=6))
    assert await _sweep(both, clock) == 0
    assert both.desk_got(OPERATOR) == []


async def test_an_answered_request_is_not_escalated(both: Both, clock: FrozenClock) -> None:
    await both.client_says("lisi", "联系客服 打印工单的模板怎么改")
    await both.desk_says(SECOND, "回复 KF0001 在 设置-打印 里")
    clock.set(MONDAY_10AM + timedelta(days=1))
    assert await _sweep(both, clock) == 0


async def test_the_clock_runs_in_desk_hours_on_working_days(both: Both, clock: FrozenClock) -> None:
    clock.set(FRIDAY_5PM)
    assert await both.client_says("lisi", "联系客服 周末能用吗") == [
        "已提交客服请求 KF0001，服务商会在 11月30日（周一）12:00 前回复你。"
        "补充说明发送「补充 KF0001 内容」，看进度发送「我的客服请求」。"
    ]
    clock.set(FRIDAY_5PM + timedelta(days=2))  # Sunday: not due yet
    assert await _sweep(both, clock) == 0


async def _request(tenant: TenantInfo, due: datetime) -> SupportRequest:
    return await SupportRequest.create(
        tenant_id=tenant.id,
        requester_userid="lisi",
        requester_name="李四",
        text="打印模板怎么改",
        created_at=due - timedelta(hours=4),
        updated_at=due - timedelta(hours=4),
        response_due_at=due,
    )


async def test_two_sweeps_at_once_escalate_exactly_once(tenant: TenantInfo) -> None:
    operators = (Operator("acme", "zhangsan"), Operator("acme", SECOND))
    clock = FrozenClock(MONDAY_10AM)
    for _ in range(3):
        await _request(tenant, MONDAY_10AM - timedelta(minutes=5))
    counts = await asyncio.gather(*(EscalationSweep(operators, clock).run() for _ in range(4)))
    assert sum(counts) == 3
    rows = await OutboxMessage.filter(idempotency_key__contains=":escalated").order_by("id")
    assert len(rows) == 6  # three requests, two operators each
    assert {r.recipient for r in rows} == {"zhangsan", SECOND}
    assert await SupportRequest.filter(escalated_at=MONDAY_10AM).count() == 3
    assert await EscalationSweep(operators, clock).run() == 0


async def test_without_operators_the_sweep_does_nothing(tenant: TenantInfo) -> None:
    await _request(tenant, MONDAY_10AM - timedelta(hours=1))
    assert await EscalationSweep((), FrozenClock(MONDAY_10AM)).run() == 0
    assert await SupportRequest.filter(escalated_at=None).count() == 1
