"""Subscriptions in chat, through the dispatcher and the entitlement guard: 套餐, seats,
refusals with prices, and the purchase flow from quote to an order an operator confirms.

The clock stands at 2026-11-23 10:00 in Shanghai. A paid tenant here is on 标准版, 10 seats,
monthly, for the period 2026-11-01 → 2026-12-01: 8 of its 30 days are left.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.types import Reply
from bot.subscription.plan import Plan
from bot.subscription.service import Billing
from bot.subscription.snapshots import SnapshotCache
from bot.subscription.upkeep import LifecycleSweep
from bot.tenants import TenantInfo
from models.subscriptions import (
    Notice,
    Order,
    OrderLine,
    OrderStatus,
    SeatAssignment,
    Subscription,
)
from models.tenants import Employee
from tests.support.billing import (
    answer,
    build_dispatcher,
    recording_sender,
    say,
    subscribe,
    with_operators,
)

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


# --- what the tenant has ---------------------------------------------------------------------


async def test_a_new_tenant_is_on_trial_and_an_admin_sees_it(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    reply = await answer(bot, tenant, "套餐")
    assert reply.splitlines()[:4] == [
        "【当前套餐】标准版（试用中）",
        "模块：客户管理",
        "席位：已用 0 / 10",
        "服务期：2026-11-23 至 2026-12-07",
    ]
    assert "续费价格：每月 ¥990.00" in reply
    assert await Subscription.filter(tenant_id=tenant.id).count() == 1


async def test_an_employee_sees_what_they_can_use(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    reply = await answer(bot, tenant, "套餐", user="lisi")
    assert reply.startswith("【你可以使用】标准版（使用中）\n· 客户管理：客户档案")
    assert "你的席位：未分配" in reply
    await answer(bot, tenant, "查客户 张三", user="lisi")
    assert "你的席位：已分配" in await answer(bot, tenant, "套餐", user="lisi")


# --- refusals --------------------------------------------------------------------------------


async def test_a_locked_module_is_refused_with_its_price_and_admins_hear_once_a_day(
    bot: Dispatcher, tenant: TenantInfo, clock: FrozenClock, paid: None
) -> None:
    replies = await say(bot, tenant, "新建工单 打印机坏了", user="lisi")
    refusal = next(r.text for r in replies if r.to_user is None)
    assert refusal.splitlines() == [
        "「售后工单」未开通：报修与售后工单：派单、处理进度、超时升级与完工回访。",
        "本期还剩 8 天，现在开通需 ¥106.67，之后每月加 ¥400.00。"
        "更划算：升级「售后服务版」每月只加 ¥300.00。",
        "请联系管理员开通，我已通知管理员。",
    ]
    [notice] = [r for r in replies if r.to_user == "zhangsan"]
    assert notice.text.startswith("【升级提醒】lisi 想使用「售后工单」")
    assert "发送「开通 售后工单」" in notice.text
    again = await say(bot, tenant, "新建工单 又坏了", user="wangwu")
    assert [r.to_user for r in again] == [None]  # the admins heard about tickets today
    clock.advance(timedelta(days=1))
    tomorrow = await say(bot, tenant, "新建工单 还坏", user="lisi")
    assert [r.to_user for r in tomorrow] == ["zhangsan", None]


async def test_an_admin_is_told_how_to_buy_it_and_text_naming_a_locked_module_is_answered_too(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    assert "发送「开通 售后工单」查看报价并下单" in await answer(bot, tenant, "新建工单 x")
    # No command of the module is installed for 知识库: the words alone find its price.
    reply = await answer(bot, tenant, "知识库怎么用", user="lisi")
    assert reply.startswith("「知识库」未开通")
    assert "现在开通需 ¥53.07" in reply  # ¥199.00 flat × 8/30


async def test_during_the_trial_a_module_is_free_until_the_trial_ends(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    reply = await answer(bot, tenant, "新建工单 x", user="lisi")
    assert "试用期内可免费开通，试用结束后每月加 ¥400.00。" in reply


async def test_seats_go_to_the_first_users_then_the_next_is_refused(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo
) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1, Plan("standard", 2, "month"))
    assert await answer(bot, tenant, "查客户 张三") == "查找：张三"
    assert await answer(bot, tenant, "查客户 李四", user="lisi") == "查找：李四"
    replies = await say(bot, tenant, "查客户 王五", user="wangwu")
    assert [r.text for r in replies if r.to_user is None] == [
        "席位已满（已用 2/2），暂时不能使用「客户管理」。请联系管理员分配席位，我已通知管理员。"
    ]
    [notice] = [r.text for r in replies if r.to_user == "zhangsan"]
    assert "加 1 个席位本期需 ¥26.40" in notice  # ¥99.00 × 8/30
    assert await SeatAssignment.filter(tenant_id=tenant.id).count() == 2
    assert await answer(bot, tenant, "帮助", user="wangwu")  # core commands need no seat


async def test_admins_assign_list_and_revoke_seats(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo
) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1, Plan("standard", 2, "month"))
    assert await answer(bot, tenant, "分配席位 lisi") == "已为 lisi 分配席位（已用 1 / 2）。"
    assert await answer(bot, tenant, "分配席位 lisi") == "lisi 已经有席位了。"
    await answer(bot, tenant, "查客户 x")  # zhangsan takes the second seat himself
    assert (await answer(bot, tenant, "分配席位 wangwu")).startswith("席位已满")
    listing = await answer(bot, tenant, "席位")
    assert listing.splitlines()[0] == "【席位】已用 2 / 2"
    assert "1. lisi · 2026-11-23 由 zhangsan 分配" in listing
    assert "2. zhangsan · 2026-11-23 首次使用时自动分配" in listing
    assert (
        await answer(bot, tenant, "收回席位 lisi")
        == "已收回 lisi 的席位。数据都保留，之后可重新分配。"
    )
    assert await answer(bot, tenant, "查客户 x", user="wangwu") == "查找：x"
    assert await Employee.exists(tenant_id=tenant.id, userid="lisi")  # nothing is deleted


async def test_bad_seat_commands_say_what_to_type(bot: Dispatcher, tenant: TenantInfo) -> None:
    asked = await answer(bot, tenant, "分配席位")
    assert asked == "请写上同事的企业微信 userid，例如：分配席位 lisi"
    assert "不像企业微信 userid" in await answer(bot, tenant, "分配席位 张 三")
    assert (
        await answer(bot, tenant, "收回席位 nobody")
        == "nobody 没有席位。发送「席位」查看谁有席位。"
    )
    assert await answer(bot, tenant, "席位", user="lisi") == "仅管理员可用"


# --- buying ----------------------------------------------------------------------------------


async def test_an_admin_buys_a_module_and_an_operator_confirms_the_payment(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    quote = await answer(bot, tenant, "开通 工单")
    assert quote.splitlines()[:3] == [
        "【报价】开通 售后工单",
        "1. 开通 售后工单：10 席 × ¥40.00/月，按剩余 8/30 天折算：¥106.67",
        "合计：¥106.67（2026-11-23 起生效）",
    ]
    assert quote.endswith("回复「确认」下单，回复「取消」放弃（订单 1，30 分钟内有效）。")
    assert (
        await answer(bot, tenant, "好吧也许")
        == "订单 1 等你确认：回复「确认」下单，回复「取消」放弃。"
    )
    placed = await answer(bot, tenant, "确认")
    assert placed.startswith("已下单：订单 1（开通 售后工单，¥106.67），待付款。")
    order = await Order.get(id=1)
    assert (order.status, order.total, order.created_by) == (
        OrderStatus.PENDING_PAYMENT,
        Decimal("106.67"),
        "zhangsan",
    )
    [line] = await OrderLine.filter(order_id=1)
    assert (line.quantity, line.unit_price, line.amount) == (
        10,
        Decimal("40.00"),
        Decimal("106.67"),
    )
    assert "订单 1 · 开通 售后工单 · ¥106.67 · 待付款 · 2026-11-23" in await answer(
        bot, tenant, "账单"
    )

    assert (
        await answer(bot, tenant, "确认收款 1", user="lisi") == "只有服务商的运营人员可以确认收款。"
    )
    paid_reply = await answer(bot, tenant, "确认收款 1", user="ops")
    assert paid_reply.startswith("订单 1 已确认收款并生效：艾克米科技，开通 售后工单，¥106.67。")
    assert (await Order.get(id=1)).status == OrderStatus.APPLIED
    assert await answer(bot, tenant, "新建工单 打印机", user="lisi") == "已创建工单：打印机"
    assert "订单 1 已生效" in await answer(bot, tenant, "确认收款 1", user="ops")


async def test_more_seats_and_a_higher_edition_are_quoted_then_cancelled(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    seats = await answer(bot, tenant, "加席位 5")
    assert "加席位 5 个 × ¥99.00/月，按剩余 8/30 天折算：¥132.00" in seats
    assert await answer(bot, tenant, "取消") == "已取消订单 1。"
    upgrade = await answer(bot, tenant, "升级 售后服务版")
    assert "升级 标准版 → 售后服务版：10 席 × 差价 ¥30.00/月，按剩余 8/30 天折算：¥80.00" in upgrade
    assert await answer(bot, tenant, "取消") == "已取消订单 2。"
    statuses = await Order.all().order_by("id").values_list("status", flat=True)
    assert statuses == [OrderStatus.CANCELLED, OrderStatus.CANCELLED]


async def test_a_renewal_continues_after_the_paid_period(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo, paid: None
) -> None:
    quote = await answer(bot, tenant, "续费 12个月")
    assert "标准版 10 席 × ¥99.00/月 × 12 个月：¥11,880.00" in quote
    assert "服务期 2026-12-01 至 2027-11-30" in quote
    await answer(bot, tenant, "确认")
    await answer(bot, tenant, "确认收款 1", user="ops")
    row = await Subscription.get(tenant_id=tenant.id)
    assert (row.period_end, row.prepaid_periods) == (DEC_1, 12)
    reply = await answer(bot, tenant, "套餐")
    assert "已预付：后续 12 个月，至 2027-11-30" in reply


async def test_a_change_during_the_trial_is_free_and_applies_when_confirmed(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    quote = await answer(bot, tenant, "开通 工单")
    assert "合计：¥0.00" in quote
    assert "试用期内免费使用，试用至 2026-12-07" in quote
    assert (
        await answer(bot, tenant, "确认")
        == "已生效：订单 1（开通 售后工单）。发送「套餐」查看当前套餐。"
    )
    assert await answer(bot, tenant, "新建工单 x", user="lisi") == "已创建工单：x"


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("加席位 很多", "席位数写成数字，例如：加席位 5。"),
        ("加席位 五", "【报价】加席位 5 个"),
        ("续费 13天", "当前按月付费，续费时长要是 1 个月的整数倍，例如：续费 12个月。"),
        ("续费 明年", "续费时长写成「续费 12个月」「续费 1年」或「续费 2个季度」。"),
        ("续费 一年", "【报价】续费 12 个月"),
        ("开通 飞机", "没有叫「飞机」的模块或套餐包。可以开通：客户管理、售后工单"),
        ("开通 客户", "「客户管理」已包含在当前套餐中，无需开通。"),
        ("升级 标准版", "当前已经是标准版。"),
        ("升级 旗舰版", "没有叫「旗舰版」的版本。可选：标准版、售后服务版、ERP版、呼叫中心版。"),
    ],
)
async def test_bad_purchase_input_says_what_to_type(
    bot: Dispatcher, tenant: TenantInfo, said: str, expected: str
) -> None:
    assert (await answer(bot, tenant, said)).startswith(expected)


async def test_only_admins_buy(bot: Dispatcher, tenant: TenantInfo) -> None:
    assert await answer(bot, tenant, "续费 12个月", user="lisi") == "仅管理员可用"
    assert await Order.all().count() == 0


async def test_an_order_priced_for_a_plan_that_changed_since_expires(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    await answer(bot, tenant, "加席位 5")
    await answer(bot, tenant, "确认")
    await answer(bot, tenant, "开通 工单")
    await answer(bot, tenant, "确认")
    assert (await answer(bot, tenant, "确认收款 2", user="ops")).startswith("订单 2 已确认收款")
    stale = await answer(bot, tenant, "确认收款 1", user="ops")
    assert stale == "订单 1 下单后套餐已变化，原报价已失效，订单未生效。请客户重新下单。"
    assert (await Order.get(id=1)).status == OrderStatus.EXPIRED


# --- at the same moment ----------------------------------------------------------------------


async def _in_transaction(bot: Dispatcher, tenant: TenantInfo, body: str, user: str) -> list[Reply]:
    """As the inbox runs a handler: inside a transaction of its own."""
    async with in_transaction():
        return await say(bot, tenant, body, user)


async def test_two_refusals_at_once_bring_the_admins_one_notice(
    bot: Dispatcher, tenant: TenantInfo, paid: None
) -> None:
    results = await asyncio.gather(
        _in_transaction(bot, tenant, "新建工单 a", "lisi"),
        _in_transaction(bot, tenant, "新建工单 b", "wangwu"),
    )
    assert [len(replies) for replies in results] in ([2, 1], [1, 2])
    notices = [r for replies in results for r in replies if r.to_user == "zhangsan"]
    assert len(notices) == 1
    assert await Notice.filter(kind="upgrade").count() == 1


async def test_the_last_seat_goes_to_exactly_one_of_two_at_once(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo
) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1, Plan("standard", 1, "month"))
    results = await asyncio.gather(
        _in_transaction(bot, tenant, "查客户 a", "lisi"),
        _in_transaction(bot, tenant, "查客户 b", "wangwu"),
    )
    mine = [r.text[:4] for replies in results for r in replies if r.to_user is None]
    assert sorted(mine) == sorted(["查找：a", "席位已满"]) or sorted(mine) == sorted(
        ["查找：b", "席位已满"]
    )
    assert await SeatAssignment.filter(tenant_id=tenant.id).count() == 1


async def test_an_allowed_command_costs_no_subscription_query(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo, paid: None
) -> None:
    clock = [0.0]
    billing.cache = SnapshotCache(billing.cache._load, monotonic=lambda: clock[0])
    await answer(bot, tenant, "查客户 a")  # loads the snapshot, takes a seat (a change)
    clock[0] += 10  # past the few seconds a change is read through
    for _ in range(5):
        await answer(bot, tenant, "查客户 b")
    assert billing.cache.loads == 2  # the first look, one re-read after the seat, then none


async def test_unanswered_quotes_and_unpaid_orders_expire(
    bot: Dispatcher, billing: Billing, tenant: TenantInfo, clock: FrozenClock, paid: None
) -> None:
    await answer(bot, tenant, "加席位 1")
    clock.advance(timedelta(minutes=31))
    await LifecycleSweep(billing, recording_sender(clock)[0]).run()
    assert (await Order.get(id=1)).status == OrderStatus.EXPIRED
    await answer(bot, tenant, "加席位 1")
    await answer(bot, tenant, "确认")
    clock.advance(timedelta(days=7, minutes=1))
    assert await answer(bot, tenant, "确认收款 2", user="ops") == "订单 2 已过期失效，请重新下单。"
    assert (await Order.get(id=2)).status == OrderStatus.EXPIRED
