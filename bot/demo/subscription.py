"""The demo's subscription scene: a refusal with the price, a quote, a confirmed order and a
renewal notice, all through the simulator like the rest of the tour.

The vendor's steps (activating a plan, confirming a payment) are the calls the CLI makes
(`scrm-bot subscription set`, `scrm-bot order confirm`), narrated as such.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.embedded import Embedded
from bot.subscription import operations as ops
from bot.subscription.notices import NoticeSweep
from bot.subscription.periods import add_months
from bot.subscription.service import Billing
from bot.wecom_sim.chat import ChatSession
from bot.wecom_sim.control import SimulatorControl
from models.subscriptions import Order

Show = Callable[[str, str, list[str]], None]  # (who, what they typed, the replies they got)

DAYS_LEFT = 8  # the period ends in 8 days: a prorated price, and the 7-day renewal notice

ACTIVATED = (
    "· 服务商在后台为演示企业开通了标准版 10 席、按月付费，本期还剩 {days} 天"
    "（scrm-bot subscription set demo --edition 标准版 --seats 10 --activate-on {start}）。"
)
PLAN = "· 管理员随时可以查看套餐："
REFUSAL = "· 没开通的模块会被拒绝，并说明它能做什么、本期开通要多少钱；管理员同时收到升级提醒："
NOTICE = "  管理员收到 > {text}"
BUY = "· 管理员下单开通工单：先看报价，确认后生成待付款订单。"
PAID = "· 服务商收到款后确认收款（scrm-bot order confirm {id}），订单立即生效并通知管理员："
RENEWAL = "· 到期前 7 天的续费提醒（每位管理员只收到一次，多副本同时扫描也不会重复）："


async def subscription_scene(embedded: Embedded, control: SimulatorControl, show: Show) -> None:
    runtime = embedded.runtime
    assert runtime.billing is not None and runtime.sender is not None
    billing = runtime.billing
    admin, seller = ChatSession(control, "demo", "zhangsan"), ChatSession(control, "demo", "lisi")
    start = await _activate(billing)
    _out(ACTIVATED.format(days=DAYS_LEFT, start=start))
    _out(PLAN)
    show("zhangsan", "套餐", await admin.say("套餐"))
    _out(REFUSAL)
    since = await control.sent_count()
    show("lisi", "新建工单 打印机坏了", await seller.say("新建工单 打印机坏了"))
    _notices(await admin.replies(since))
    _out(BUY)
    show("zhangsan", "开通 工单", await admin.say("开通 工单"))
    show("zhangsan", "确认", await admin.say("确认"))
    order = await Order.filter(tenant__key="demo").order_by("-id").first()
    assert order is not None, "确认 created the order"
    _out(PAID.format(id=order.id))
    since = await control.sent_count()
    await ops.confirm_payment(billing, order.id, "cli:demo")
    await runtime.sender.sweep()  # what the bot's outbox sweep does within seconds
    _notices(await admin.replies(since))
    _out(RENEWAL)
    since = await control.sent_count()
    await NoticeSweep(billing, runtime.sender).run()
    _notices(await admin.replies(since))
    _out()


async def _activate(billing: Billing) -> str:
    """A monthly plan whose period ends ``DAYS_LEFT`` days from today."""
    tenant = await ops.find_tenant(billing, "demo")
    assert tenant is not None, "the demo tenant is synced from config at start-up"
    today = billing.today(ZoneInfo(tenant.timezone))
    start = add_months(today + timedelta(days=DAYS_LEFT), -1)
    edit = ops.PlanEdit(edition="standard", seats=10, period="month")
    await ops.set_plan(billing, tenant, edit, start, "cli:demo")
    return start.isoformat()


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _notices(texts: list[str]) -> None:
    for text in texts:
        lines = text.splitlines() or [""]
        _out(NOTICE.format(text=lines[0]))
        for line in lines[1:]:
            _out(f"             {line}")
