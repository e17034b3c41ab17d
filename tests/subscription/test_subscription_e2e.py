"""Subscriptions through the whole path: the WeCom simulator, encrypted callbacks, the inbox,
the real entitlement guard, the outbox. The vendor's operator sits in another tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from bot.app import Options
from bot.clock import FrozenClock
from bot.config import Settings
from bot.embedded import Embedded, run_embedded
from bot.subscription.service import Billing
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.subscriptions import Order, OrderStatus, Subscription
from models.subscriptions import SubscriptionStatus as Status
from tests.support.billing import subscribe, with_operators


@pytest.fixture
async def running(settings: Settings, clock: FrozenClock) -> AsyncIterator[Embedded]:
    options = Options(clock=clock, manage_database=False, run_scheduler=False)
    settings = with_operators(settings, "other:wangfang")
    async with run_embedded(settings, options, simulator_clock=clock) as embedded:
        yield embedded


@pytest.fixture
async def sim(running: Embedded) -> AsyncIterator[SimulatorControl]:
    async with aiohttp.ClientSession() as session:
        yield SimulatorControl(session, running.simulator_url)


def billing_of(running: Embedded) -> Billing:
    assert running.runtime.billing is not None
    return running.runtime.billing


async def outbox_sweep(running: Embedded) -> None:
    """What the scheduler's outbox sweep does every few seconds in production."""
    assert running.runtime.sender is not None
    await running.runtime.sender.sweep()


async def test_config_tenants_start_on_trial_at_start_up(running: Embedded) -> None:
    rows = await Subscription.all().order_by("tenant_id")
    assert [row.status for row in rows] == [Status.TRIAL, Status.TRIAL]


async def test_refusal_quote_order_and_payment_in_chat(
    running: Embedded, sim: SimulatorControl
) -> None:
    billing = billing_of(running)
    tenant = await running.runtime.tenants.get("acme")
    assert tenant is not None
    today = billing.today(tenant.timezone)
    await subscribe(billing, tenant.id, today - timedelta(days=10), today + timedelta(days=20))
    admin = ChatSession(sim, "acme", "zhangsan")
    lisi = ChatSession(sim, "acme", "lisi")
    operator = ChatSession(sim, "other", "wangfang")

    since = await sim.sent_count()
    [refusal] = await lisi.say("新建工单 打印机坏了")
    assert refusal.startswith("「售后工单」未开通：报修与售后工单")
    assert "本期还剩 20 天，现在开通需 ¥266.67" in refusal  # ¥400.00 × 20/30
    [notice] = await admin.replies(since)
    assert notice.startswith("【升级提醒】lisi 想使用「售后工单」")

    [quote] = await admin.say("开通 工单")
    assert "合计：¥266.67" in quote
    [placed] = await admin.say("确认")
    assert placed.startswith("已下单：订单 1（开通 售后工单，¥266.67），待付款。")
    since = await sim.sent_count()
    await outbox_sweep(running)  # the operator lives in another tenant: the sweep sends it
    [new_order] = await operator.replies(since)
    assert new_order.startswith("【新订单】艾克米科技（acme）订单 1：开通 售后工单，¥266.67")

    [paid] = await operator.say("确认收款 1")
    assert paid.startswith("订单 1 已确认收款并生效：艾克米科技")
    since = await sim.sent_count()
    await outbox_sweep(running)
    [applied] = await admin.replies(since)
    assert applied.startswith("【订单已生效】订单 1（开通 售后工单，¥266.67）")
    assert (await Order.get(id=1)).status == OrderStatus.APPLIED
    [plan] = await admin.say("套餐")
    assert "模块：客户管理、售后工单" in plan


async def test_a_customer_cannot_confirm_payments(running: Embedded, sim: SimulatorControl) -> None:
    [reply] = await ChatSession(sim, "acme", "wangfang").say("确认收款 1")
    assert reply == "只有服务商的运营人员可以确认收款。"  # same userid, wrong tenant
