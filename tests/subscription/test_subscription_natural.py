"""Plans, seats, purchases and prices asked the way admins and staff type them.

Each natural phrasing gets the same answer as its canonical command (which keeps working),
and does the same to the database. The clock stands at 2026-11-23 10:00 in Shanghai; the
tenant is on 标准版, 10 seats, monthly, for 2026-11-01 → 2026-12-01 (8 of 30 days left).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import Dispatcher
from bot.subscription.catalog import load_catalog
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from models.subscriptions import Order, OrderStatus, SeatAssignment
from models.tenants import Employee
from tests.support.billing import answer, build_dispatcher, subscribe, with_operators

NOV_1, DEC_1 = date(2026, 11, 1), date(2026, 12, 1)
PRO = {
    "editions": {
        "pro": {
            "name": "专业版",
            "aliases": ["专业", "pro"],
            "description": "售后服务版 + 知识库",
            "extends": "aftersales",
            "modules": ["knowledge"],
            "price_per_seat": "159.00",
        }
    }
}


@pytest.fixture
def billing(settings: Settings, clock: FrozenClock) -> Billing:
    return Billing(with_operators(settings, "acme:ops").subscription, clock)


@pytest.fixture
def bot(billing: Billing, clock: FrozenClock) -> Dispatcher:
    return build_dispatcher(billing, clock)


@pytest.fixture
async def paid(billing: Billing, tenant: TenantInfo) -> None:
    await subscribe(billing, tenant.id, NOV_1, DEC_1)


@pytest.fixture
async def lisi(clock: FrozenClock, tenant: TenantInfo) -> Employee:
    now = clock.now()
    return await Employee.create(
        tenant_id=tenant.id, userid="lisi", name="李四", first_seen_at=now, last_seen_at=now
    )


async def _quotes(tenant: TenantInfo) -> int:
    return await Order.filter(tenant_id=tenant.id).count()


# --- what the tenant has ---------------------------------------------------------------------


@pytest.mark.usefixtures("paid")
@pytest.mark.parametrize(
    ("said", "canonical"),
    [
        ("我们现在是什么套餐", "套餐"),
        ("套餐什么时候到期", "套餐"),
        ("还剩几个席位", "席位"),
        ("席位够不够", "席位"),
        ("看看账单", "账单"),
        ("有哪些服务", "服务项目"),
        ("远程支持多少钱", "服务项目"),
    ],
)
async def test_questions_get_the_commands_answer(
    bot: Dispatcher, tenant: TenantInfo, said: str, canonical: str
) -> None:
    assert await answer(bot, tenant, said) == await answer(bot, tenant, canonical)


@pytest.mark.usefixtures("paid")
async def test_a_member_asking_about_seats_hears_why_not(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    assert await answer(bot, tenant, "还剩几个席位", user="lisi") == "仅管理员可用"


@pytest.mark.usefixtures("paid")
async def test_seats_are_given_and_taken_back_by_name(
    bot: Dispatcher, tenant: TenantInfo, lisi: Employee
) -> None:
    assert await answer(bot, tenant, "给李四开个席位") == "已为 lisi 分配席位（已用 1 / 10）。"
    assert await SeatAssignment.filter(tenant_id=tenant.id, employee_id=lisi.id).exists()
    reply = await answer(bot, tenant, "李四离职了，把席位收回")
    assert reply == "已收回 lisi 的席位。数据都保留，之后可重新分配。"
    assert not await SeatAssignment.filter(tenant_id=tenant.id, employee_id=lisi.id).exists()
    unknown = await answer(bot, tenant, "给赵六开个席位")
    assert unknown == (
        "没找到同事「赵六」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    )
    assert await answer(bot, tenant, "分配席位 lisi") == "已为 lisi 分配席位（已用 1 / 10）。"
    reply = await answer(bot, tenant, "李四那个席位拿回来给别人用")
    assert reply == "已收回 lisi 的席位。数据都保留，之后可重新分配。"
    for said in ("李四也要用，给他开个席位", "新同事李四需要一个账号席位", "让李四占一个席位"):
        assert await answer(bot, tenant, said) == "已为 lisi 分配席位（已用 1 / 10）。", said
        await answer(bot, tenant, "收回席位 lisi")


# --- buying ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("paid")
@pytest.mark.parametrize(
    ("said", "head"),
    [
        ("续一年", "【报价】续费 12 个月"),
        ("再加5个人", "【报价】加席位 5 个"),
        ("升级到售后服务版", "【报价】升级 售后服务版"),
        ("我要开通知识库", "【报价】开通 知识库"),
        ("改成年付", "【报价】付费周期改为按年"),
        ("减两个人", "【报价】减席位 2 个"),
        ("买一次远程支持", "【报价】购买服务 远程支持"),
        ("我们要开知识库", "【报价】开通 知识库"),
        ("知识库模块也开一下", "【报价】开通 知识库"),
    ],
)
async def test_purchases_said_naturally_are_quoted_and_wait_for_confirmation(
    bot: Dispatcher, tenant: TenantInfo, said: str, head: str
) -> None:
    reply = await answer(bot, tenant, said)
    assert reply.splitlines()[0] == head
    [order] = await Order.filter(tenant_id=tenant.id)
    assert order.status == OrderStatus.QUOTE
    assert reply.endswith(f"回复「确认」下单，回复「取消」放弃（订单 {order.id}，30 分钟内有效）。")


@pytest.mark.usefixtures("paid")
async def test_a_natural_purchase_is_confirmed_like_the_command(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    await answer(bot, tenant, "再加5个人")
    placed = await answer(bot, tenant, "确认")
    assert placed.startswith("已下单：订单 1（加席位 5 个，¥132.00），待付款。")
    paid = await answer(bot, tenant, "订单1已收款", user="ops")
    assert paid.startswith("订单 1 已确认收款并生效")
    assert (await Order.get(id=1)).status == OrderStatus.APPLIED


@pytest.mark.usefixtures("paid")
async def test_a_member_asking_to_buy_is_refused_with_the_reason(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    assert await answer(bot, tenant, "续一年", user="lisi") == "仅管理员可用"
    assert await _quotes(tenant) == 0


# --- prices ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("paid")
async def test_the_price_list_shows_the_catalog_and_what_the_tenant_has(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    reply = await answer(bot, tenant, "价目表")
    lines = reply.splitlines()
    assert lines[:3] == [
        "【价目表】按月标价，按席位计价的乘以席位数：",
        "版本：",
        "· 标准版 ¥99.00/席/月（当前）：标准 CRM：客户、跟进与满意度回访",
    ]
    assert "· 售后工单 ¥40.00/席/月：报修与售后工单：派单、处理进度、超时升级与完工回访" in lines
    assert any(line.startswith("· 知识库 ¥199.00/月（全企业）") for line in lines)
    assert any(line.startswith("· 增长套餐 ¥599.00/月（全企业）") for line in lines)
    assert "付费周期优惠：按季度95折，按半年9折，按年85折" in lines
    for said in ("多少钱", "怎么收费", "价格", "各个版本多少钱"):
        assert await answer(bot, tenant, said, user="lisi") == reply
    assert not (await answer(bot, tenant, "价格太贵了", user="lisi")).startswith("【价目表】")
    assert await _quotes(tenant) == 0


@pytest.mark.usefixtures("paid")
async def test_a_price_question_is_quoted_without_an_order(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    reply = await answer(bot, tenant, "升级到售后服务版一年多少钱")
    assert reply.splitlines() == [
        "【报价】升级 售后服务版（仅报价，未下单）",
        "1. 升级 标准版 → 售后服务版：10 席 × 差价 ¥30.00/月，按剩余 8/30 天折算：¥80.00",
        "合计：¥80.00（2026-11-23 起生效）",
        "· 自 2026-12-01 起每月 ¥1,290.00",
        "· 升级后按年付费：每年 ¥13,158.00",
        "确认要买，请发送「升级 售后服务版」，会再给你报价确认后下单。",
    ]
    assert await _quotes(tenant) == 0
    assert await answer(bot, tenant, "报价 升级 售后服务版 一年") == reply
    # No quote waits: 确认 now confirms nothing.
    assert not (await answer(bot, tenant, "确认")).startswith("已下单")
    assert await _quotes(tenant) == 0


@pytest.mark.usefixtures("paid")
@pytest.mark.parametrize(
    ("said", "item", "total", "command"),
    [
        ("加5个席位要多少钱", "加席位 5 个", "¥132.00", "加席位 5"),
        (
            "开通工单模块多少钱",
            "开通 售后工单",
            "¥106.67",
            "开通 售后工单",
        ),
        ("续一年多少钱", "续费 12 个月", "¥11,880.00", "续费 一年"),
        ("工单模块多少钱", "开通 售后工单", "¥106.67", "开通 售后工单"),
        ("多开五个席位什么价格", "加席位 5 个", "¥132.00", "加席位 5"),
        ("给个报价 加席位 5", "加席位 5 个", "¥132.00", "加席位 5"),
        ("想用售后工单，什么价", "开通 售后工单", "¥106.67", "开通 售后工单"),
        ("出个报价单，开通售后工单", "开通 售后工单", "¥106.67", "开通 售后工单"),
        # what it costs on top, a count said with 人用, the module named before opening it
        ("增加5个人用要补多少钱", "加席位 5 个", "¥132.00", "加席位 5"),
        ("售后工单开一下要多少钱", "开通 售后工单", "¥106.67", "开通 售后工单"),
    ],
)
async def test_members_hear_the_same_quote_and_who_can_buy_it(
    bot: Dispatcher, tenant: TenantInfo, said: str, item: str, total: str, command: str
) -> None:
    reply = await answer(bot, tenant, said, user="lisi")
    lines = reply.splitlines()
    assert lines[0] == f"【报价】{item}（仅报价，未下单）"
    assert any(line.startswith(f"合计：{total}") for line in lines)
    assert lines[-1] == f"需要的话，请管理员发送「{command}」下单。"
    assert await _quotes(tenant) == 0


@pytest.mark.usefixtures("paid")
@pytest.mark.usefixtures("paid")
async def test_an_edition_said_among_other_words_is_still_that_edition(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    wanted = await answer(bot, tenant, "报价 升级 售后服务版", user="lisi")
    for said in ("升级到售后服务版要补多少", "报价 升级 换成售后服务版", "换成售后服务版得花多少"):
        assert await answer(bot, tenant, said, user="lisi") == wanted, said


async def test_an_edition_the_catalog_lacks_is_named_plainly(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    assert await answer(bot, tenant, "升级到专业版一年多少钱") == (
        "没有叫「专业版」的版本。可选：标准版、售后服务版、ERP版、呼叫中心版。"
    )
    assert await answer(bot, tenant, "报价") == (
        "想问什么的价格？例如：升级到售后服务版多少钱、加5个席位多少钱、开通工单多少钱、"
        "续一年多少钱。发送「价目表」看全部价格。"
    )


async def test_edition_names_match_as_the_catalogs_aliases_allow(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    subscription = replace(settings.subscription, catalog=load_catalog(overrides=PRO))
    billing = Billing(subscription, clock)
    bot = build_dispatcher(billing, clock)
    await subscribe(billing, tenant.id, NOV_1, DEC_1)
    reply = await answer(bot, tenant, "升级到专业版一年多少钱")
    assert reply.splitlines()[0] == "【报价】升级 专业版（仅报价，未下单）"
    assert "· 升级后按年付费：每年 ¥16,218.00" in reply
    for said in ("升级到专业多少钱", "升级到pro多少钱", "升级到PRO版多少钱"):
        assert (await answer(bot, tenant, said)).splitlines()[
            0
        ] == "【报价】升级 专业版（仅报价，未下单）"
    assert (await answer(bot, tenant, "升级 pro版")).splitlines()[0] == "【报价】升级 专业版"
