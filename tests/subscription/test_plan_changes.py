"""Purchases that are not increases, as chat transcripts: fewer seats, a module dropped and a
new billing period (all from the next period, never refunded now), and one-off service items.

The clock stands at 2026-11-23 10:00 in Shanghai; the paid tenant is on 标准版, 10 seats,
monthly, for 2026-11-01 → 2026-12-01.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import Dispatcher
from bot.subscription.plan import Plan
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from models.outbox import OutboxMessage
from models.subscriptions import Order, OrderKind, OrderLine, OrderStatus, Subscription
from tests.support.billing import answer, build_dispatcher, subscribe, with_operators

NOV_1, DEC_1 = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def billing(settings: Settings, clock: FrozenClock) -> Billing:
    return Billing(with_operators(settings, "acme:ops").subscription, clock)


@pytest.fixture
def bot(billing: Billing, clock: FrozenClock) -> Dispatcher:
    return build_dispatcher(billing, clock)


@pytest.fixture
async def paid(billing: Billing, tenant: TenantInfo) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1)


async def test_fewer_seats_cost_nothing_now_and_apply_from_the_next_period(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    quote = await answer(bot, tenant, "减席位 3")
    assert quote.splitlines()[:5] == [
        "【报价】减席位 3 个",
        "合计：¥0.00（2026-12-01 起生效）",
        "· 本次无需补费",
        "· 席位自 2026-12-01 起减为 7 个，本周期不退款",
        "· 自 2026-12-01 起每月 ¥693.00",
    ]
    confirmed = await answer(bot, tenant, "确认")
    assert confirmed == (
        "已确认：订单 1（减席位 3 个），2026-12-01 起生效。发送「套餐」查看当前套餐。"
    )
    row = await Subscription.get(tenant_id=tenant.id)
    assert row.seats == 10  # paid for this period: kept until it ends
    assert row.pending is not None and row.pending["seats"] == 7


async def test_seats_still_held_block_a_decrease(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    for user in ("zhangsan", "lisi", "wangwu", "zhaoliu"):
        await answer(bot, tenant, "查客户 张三", user=user)  # each takes a seat
    assert await answer(bot, tenant, "减席位 9") == (
        "下个周期起只剩 1 个席位，但目前有 4 人占用席位。"
        "请先用「收回席位 userid」收回 3 个，再减席位。"
    )
    assert await answer(bot, tenant, "减席位 10") == "当前只有 10 个席位，最多减到 1 个。"
    assert await answer(bot, tenant, "减席位 几个") == "要减少的席位数写成数字，例如：减席位 3。"
    assert await Order.all().count() == 0


async def test_a_module_bought_alone_is_dropped_from_the_next_period(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo
) -> None:
    with_tickets = Plan("standard", 10, "month", modules=frozenset({"tickets"}))
    await subscribe(billing, tenant.id, NOV_1, DEC_1, plan=with_tickets)
    assert await answer(bot, tenant, "停用 客户管理") == (
        "「客户管理」不是单独开通的，停用不了。当前可停用：售后工单。"
    )
    quote = await answer(bot, tenant, "停用 工单")
    assert quote.startswith("【报价】停用 售后工单")
    assert "合计：¥0.00" in quote
    assert (await answer(bot, tenant, "确认")).endswith(
        "2026-12-01 起生效。发送「套餐」查看当前套餐。"
    )
    row = await Subscription.get(tenant_id=tenant.id)
    assert row.modules == ["tickets"]  # usable until the period ends
    assert row.pending is not None and row.pending["modules"] == []


async def test_nothing_bought_alone_means_nothing_to_drop(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    assert await answer(bot, tenant, "停用 工单") == (
        "当前套餐没有单独开通的模块或套餐包；版本自带的模块不能单独停用。"
    )


async def test_a_new_billing_period_starts_with_the_next_period(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    assert await answer(bot, tenant, "付费周期 按月") == "当前已经是按月付费。"
    assert (await answer(bot, tenant, "付费周期 每周")).startswith("付费周期可选：按天、按月")
    quote = await answer(bot, tenant, "付费周期 年付")
    assert quote.startswith("【报价】付费周期改为按年")
    await answer(bot, tenant, "确认")
    row = await Subscription.get(tenant_id=tenant.id)
    assert row.period == "month"
    assert row.pending is not None and row.pending["period"] == "year"


async def test_service_items_are_listed_bought_and_arranged_once_paid(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    listing = await answer(bot, tenant, "服务项目", user="lisi")
    assert "· 远程支持：¥300.00/次，工程师远程协助配置与排障，每次不超过 2 小时" in listing
    assert listing.endswith("购买：购买服务 远程支持 2次")

    quote = await answer(bot, tenant, "购买服务 远程支持 2次")
    assert quote.splitlines()[:3] == [
        "【报价】购买服务 远程支持×2",
        "1. 远程支持 2 次 × ¥300.00/次：¥600.00",
        "合计：¥600.00（2026-11-23 起生效）",
    ]
    placed = await answer(bot, tenant, "确认")
    assert placed.startswith("已下单：订单 1（购买服务 远程支持×2，¥600.00），待付款。")
    order = await Order.get(id=1)
    assert (order.kind, order.total) == (OrderKind.SERVICE, Decimal("600.00"))
    assert order.request == {"services": {"remote_support": 2}}
    [line] = await OrderLine.filter(order_id=1)
    assert (line.quantity, line.amount) == (2, Decimal("600.00"))

    paid_reply = await answer(bot, tenant, "确认收款 1", user="ops")
    assert paid_reply.startswith(
        "订单 1 已确认收款并生效：艾克米科技，购买服务 远程支持×2，¥600.00。"
    )
    assert (await Order.get(id=1)).status == OrderStatus.APPLIED
    row = await Subscription.get(tenant_id=tenant.id)
    assert (row.seats, row.pending) == (10, None)  # the plan is untouched
    told = await OutboxMessage.filter(recipient="zhangsan").order_by("-id").first()
    assert told is not None
    assert told.payload["content"] == (
        "【订单已付款】订单 1（购买服务 远程支持×2，¥600.00）已确认收款，"
        "服务商会尽快联系你安排服务时间。"
    )


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("购买服务", "请写上服务项目，例如：购买服务 远程支持 2次。发送「服务项目」查看价格。"),
        (
            "购买服务 洗车",
            "没有叫「洗车」的服务项目。可选：远程支持、上门服务、安装部署、版本升级服务。",
        ),
        ("购买服务 上门 100次", "数量写成数字，例如：购买服务 上门服务 2次。"),
    ],
)
async def test_bad_service_orders_say_what_to_type(
    bot: Dispatcher, tenant: TenantInfo, paid: None, command: str, reply: str
) -> None:
    assert await answer(bot, tenant, command) == reply


async def test_only_admins_change_the_plan_or_buy_services(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    for command in ("减席位 1", "停用 工单", "付费周期 按年", "购买服务 远程支持"):
        assert await answer(bot, tenant, command, user="lisi") == "仅管理员可用"
