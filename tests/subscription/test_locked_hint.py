"""The locked-module hint answers requests for a module, never its word inside other text.

A paid tenant on 标准版 (客户管理 only): 售后工单, 进销存, 呼叫中心, 订单管理, 知识库 and
安装服务 are locked. Ordinary sentences that happen to contain 采购, 订单, 库存, 工单, 安装,
电话 or 呼叫 get no price and the admins hear nothing; asking for the module still does both.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import Dispatcher
from bot.subscription.lifecycle import Term
from bot.subscription.refusals import locked_module_in
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from models.subscriptions import Notice
from tests.support.billing import build_dispatcher, say, subscribe
from tests.support.updates import text_update

NOV_1, DEC_1 = date(2026, 11, 1), date(2026, 12, 1)
HINT = "subscription.ask_for_locked_module"

INCIDENTAL = (
    "帮我加个客户：王经理，上海远航贸易的采购，手机 139 1234 5678",
    "王经理是远航贸易的采购负责人",
    "张总说下周要采购一批打印机",
    "采购部的李姐下午来",
    "王经理想了解一下我们的采购流程",
    "李总那边的订单下周发货",
    "客户问订单什么时候到",
    "订单号是 20261123001",
    "把订单截图发给客户了",
    "我们的订单管理流程太乱了",
    "仓库说库存不够了，先别答应客户",
    "库存的事我问问老王",
    "昨天开会讨论了库存周转",
    "上次那个工单的客户又来电话了",
    "以前用过别家的工单系统",
    "客户说安装师傅还没到",
    "安装的时间改到周五",
    "客户想要上门安装",
    "安装好了，客户签字了",
    "张总电话打不通",
    "电话会议改到三点",
    "客户说呼叫器坏了",
    "呼叫张经理回电",
    "他们公司在做呼叫中心外包",
    "刚才的通话很顺利",
    "坐席满了，稍后再打",
    "他是我们的供应商",
    "我在跟供应商谈价格",
    "售后那边说已经处理了",
    "客户对售后服务很满意",
    "这个知识点客户问了好几次",
    "张总要的是进销存那套方案",
)
REQUESTS = (
    ("我想用进销存", "进销存"),
    ("我们想用进销存", "进销存"),
    ("有没有工单功能", "售后工单"),
    ("知识库怎么用", "知识库"),
    ("怎么用呼叫中心", "呼叫中心"),
    ("订单管理能用吗？", "订单管理"),
    ("安装服务在哪", "安装服务"),
    ("支持库存管理吗", None),  # 库存管理 is no name of a module: not a request for one
    ("想试试工单", "售后工单"),
)


@pytest.fixture
def billing(settings: Settings, clock: FrozenClock) -> Billing:
    return Billing(settings.subscription, clock)


@pytest.fixture
def bot(billing: Billing, clock: FrozenClock) -> Dispatcher:
    return build_dispatcher(billing, clock)


@pytest.fixture
async def term(billing: Billing, tenant: TenantInfo) -> Term:
    return await subscribe(billing, tenant.id, NOV_1, DEC_1)


@pytest.mark.parametrize("text", INCIDENTAL)
def test_a_module_word_inside_a_sentence_is_no_request(
    billing: Billing, term: Term, text: str
) -> None:
    assert locked_module_in(text, billing.catalog, term, {}) is None


@pytest.mark.parametrize(("text", "module"), REQUESTS)
def test_asking_for_a_module_names_it(
    billing: Billing, term: Term, text: str, module: str | None
) -> None:
    found = locked_module_in(text, billing.catalog, term, {})
    assert (found.name if found else None) == module


def test_a_command_word_of_a_locked_module_is_a_request(billing: Billing, term: Term) -> None:
    words = {"tickets": ("新建工单",)}
    found = locked_module_in("新建工单 打印机坏了", billing.catalog, term, words)
    assert found is not None and found.name == "售后工单"
    assert locked_module_in("我刚新建工单了吗", billing.catalog, term, words) is None


@pytest.mark.parametrize("text", INCIDENTAL)
async def test_incidental_sentences_get_no_price_and_admins_hear_nothing(
    bot: Dispatcher, tenant: TenantInfo, term: Term, text: str
) -> None:
    replies = await say(bot, tenant, text, user="lisi")
    assert replies, text
    assert all("未开通" not in r.text and "¥" not in r.text for r in replies), replies
    assert [r for r in replies if r.to_user == "zhangsan"] == []
    assert await Notice.filter(tenant_id=tenant.id).count() == 0
    route = await bot.route_for(text_update(text, "lisi"), tenant)
    assert route is None or route.intent != HINT


async def test_a_request_gets_the_price_and_the_admins_hear_once(
    bot: Dispatcher, tenant: TenantInfo, term: Term
) -> None:
    replies = await say(bot, tenant, "我想用进销存", user="lisi")
    [answer] = [r.text for r in replies if r.to_user is None]
    assert answer.splitlines() == [
        "「进销存」未开通：采购、库存与供应商管理，销售与库存实时联动。",
        "本期还剩 8 天，现在开通需 ¥160.00，之后每月加 ¥600.00。",
        "请联系管理员开通，我已通知管理员。",
    ]
    [notice] = [r.text for r in replies if r.to_user == "zhangsan"]
    assert notice.startswith("【升级提醒】lisi 想使用「进销存」")
    assert await Notice.filter(tenant_id=tenant.id).count() == 1


async def test_the_brief_customer_sentence_is_left_to_the_customer_book(
    bot: Dispatcher, tenant: TenantInfo, term: Term
) -> None:
    said = "帮我加个客户：王经理，上海远航贸易的采购，手机 139 1234 5678"
    texts = [r.text for r in await say(bot, tenant, said, user="lisi")]
    assert not any("进销存" in text for text in texts), texts
