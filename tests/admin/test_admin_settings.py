"""设置 changes what new customers are greeted with and when the digest goes out; 日报."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.crm.welcome import render, template_for
from bot.dispatch.dispatcher import Dispatcher
from bot.followups.digest import daily_digest
from bot.reports.daily import EMPTY, daily_report
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from models.crm.customers import Customer
from models.followups import Followup, FollowupStatus
from models.tenants import Employee, Role
from tests.support.admin import admin_bot, say, say_in_group

LEASE = timedelta(seconds=60)
MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # the clock fixture, in Shanghai


@pytest.fixture
async def bot(settings: Settings, tenant: TenantInfo, clock: FrozenClock) -> Dispatcher:
    return await admin_bot(Billing(settings.subscription, clock), tenant, clock)


async def employee(tenant: TenantInfo, userid: str) -> Employee:
    return await Employee.create(
        tenant_id=tenant.id,
        userid=userid,
        role=Role.MEMBER,
        first_seen_at=MONDAY_10AM,
        last_seen_at=MONDAY_10AM,
    )


async def followup(
    owner: Employee, number: int, due: datetime, done_at: datetime | None = None
) -> Followup:
    return await Followup.create(
        tenant_id=owner.tenant_id,
        number=number,
        owner_id=owner.id,
        content=f"跟进 {number}",
        due_at=due,
        remind_at=due,
        created_at=MONDAY_10AM - timedelta(days=3),
        status=FollowupStatus.DONE if done_at else FollowupStatus.OPEN,
        completed_at=done_at,
    )


# --- 设置 ------------------------------------------------------------------------------------


async def test_settings_alone_lists_what_is_set(bot: Dispatcher, tenant: TenantInfo) -> None:
    assert (await say(bot, tenant, "设置")).splitlines() == [
        "【当前设置】",
        "· 欢迎语（默认，内置）：你好，{客户名}！我是{员工名}，很高兴认识你，有任何需要随时找我。",
        "· 跟进日报：每个工作日 09:00（Asia/Shanghai）",
        "· 管理员通知：单独发给每位管理员（1 人）",
        "修改：设置 欢迎语 …、设置 欢迎语 渠道 booth …、设置 提醒时间 09:00；"
        "管理员通知发到哪里在配置文件 [tenants.aibot] 中设置。",
    ]
    assert await say(bot, tenant, "设置", user="lisi") == "仅管理员可用"


async def test_setting_the_welcome_changes_what_new_customers_get(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    saved = await say_in_group(bot, tenant, "设置 欢迎语 你好{客户名}，我是{员工名}，有事随时找我")
    assert saved.splitlines() == [
        "已设置默认欢迎语。新客户会收到（以客户「张三」为例）：",
        "你好张三，我是zhangsan，有事随时找我",
        "可用占位符：{客户名}（客户名字）、{员工名}（员工名字）",
    ]
    booth = await say(bot, tenant, "设置 欢迎语 渠道 booth 展会上见过{客户名}，我是{员工名}")
    assert booth.startswith("已设置渠道「booth」的欢迎语。")
    # What the welcome sends (bot.crm.welcome.greet renders the template for the event's State).
    assert (
        render(await template_for(tenant.id, ""), "王五", "李四")
        == "你好王五，我是李四，有事随时找我"
    )
    assert (
        render(await template_for(tenant.id, "booth"), "王五", "李四") == "展会上见过王五，我是李四"
    )
    assert render(await template_for(tenant.id, "web"), "王五", "李四").startswith("你好王五")
    listed = await say(bot, tenant, "设置")
    assert "· 欢迎语（默认）：你好{客户名}，我是{员工名}，有事随时找我" in listed
    assert "· 渠道欢迎语：booth（发送「欢迎语」看全文）" in listed


async def test_bad_welcome_texts_say_what_to_type(bot: Dispatcher, tenant: TenantInfo) -> None:
    assert await say(bot, tenant, "设置 欢迎语 你好{姓名}") == (
        "欢迎语里只能用 {客户名} 和 {员工名}，看不懂「{姓名}」。"
    )
    assert (await say(bot, tenant, "设置 欢迎语")).startswith("请按这个格式写：")
    assert await template_for(tenant.id, "") == (
        "你好，{客户名}！我是{员工名}，很高兴认识你，有任何需要随时找我。"
    )


async def test_the_digest_goes_out_at_the_time_admins_set(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    lisi = await employee(tenant, "lisi")
    await followup(lisi, 1, MONDAY_10AM + timedelta(hours=5))
    assert await say(bot, tenant, "设置 提醒时间 18:30") == (
        "已设置：每个工作日 18:30（Asia/Shanghai）把当天和逾期的跟进发给每位同事。"
    )
    assert await daily_digest(tenant, MONDAY_10AM, LEASE) == []  # 10:00: not yet
    assert await daily_digest(tenant, MONDAY_10AM + timedelta(hours=8), LEASE) == []  # 18:00
    [row] = await daily_digest(tenant, MONDAY_10AM + timedelta(hours=8, minutes=30), LEASE)
    assert row.recipient == "lisi"
    assert "跟进日报：每个工作日 18:30" in await say(bot, tenant, "设置")


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        (
            "设置 提醒时间 9点半",
            "已设置：每个工作日 09:30（Asia/Shanghai）把当天和逾期的跟进发给每位同事。",
        ),
        (
            "设置 提醒时间 8：05",
            "已设置：每个工作日 08:05（Asia/Shanghai）把当天和逾期的跟进发给每位同事。",
        ),
        ("设置 提醒时间", "请写上时间，例如：设置 提醒时间 09:00"),
        (
            "设置 提醒时间 25:00",
            "没看懂「25:00」这个时间，请写成 24 小时制，例如：设置 提醒时间 09:00、"
            "设置 提醒时间 18:30",
        ),
        ("设置 颜色 红", "不能设置「颜色」。\n可以设置："),
    ],
)
async def test_settings_commands_answer_each_input(
    bot: Dispatcher, tenant: TenantInfo, said: str, answer: str
) -> None:
    assert (await say(bot, tenant, said)).startswith(answer)


async def test_settings_name_where_admin_notices_go(bot: Dispatcher, tenant: TenantInfo) -> None:
    grouped = replace(tenant, aibot=replace(tenant.aibot, webhook_key="robot-key"))
    assert "· 管理员通知：发到管理群（群机器人）" in await say(bot, grouped, "设置")
    chat = replace(tenant, aibot=replace(tenant.aibot, admin_chat_id="wr_admins"))
    assert "· 管理员通知：发到管理群（应用群聊）" in await say(bot, chat, "设置")


# --- 日报 ------------------------------------------------------------------------------------


async def test_the_daily_report_counts_today_for_the_team(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    midnight = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # 00:00 in Shanghai
    for name, at in (("王五", 1), ("赵六", 3), ("昨天的客户", -1)):
        moment = midnight + timedelta(hours=at)
        await Customer.create(tenant_id=tenant.id, name=name, created_at=moment, updated_at=moment)
    lisi, wangwu = await employee(tenant, "lisi"), await employee(tenant, "wangwu")
    await followup(lisi, 1, midnight, done_at=midnight + timedelta(hours=8))
    await followup(lisi, 2, midnight, done_at=midnight + timedelta(hours=9))
    await followup(wangwu, 3, midnight, done_at=midnight + timedelta(hours=9))
    await followup(wangwu, 4, midnight, done_at=midnight - timedelta(hours=2))  # yesterday
    await followup(lisi, 5, midnight - timedelta(days=1))  # overdue since yesterday
    await followup(wangwu, 6, MONDAY_10AM - timedelta(hours=1))  # overdue since 09:00
    await followup(lisi, 7, MONDAY_10AM + timedelta(hours=5))  # later today
    report = await say_in_group(bot, tenant, "日报")
    assert report.splitlines() == [
        "【日报】11月23日（截至 10:00）",
        "· 新客户：2 位（王五、赵六）",
        "· 完成跟进：3 条（lisi 2、wangwu 1）",
        "· 逾期未完成的跟进：2 条（lisi 1、wangwu 1）",
    ]
    assert await say(bot, tenant, "日报", user="lisi") == "仅管理员可用"


async def test_report_sections_come_from_a_registry(tenant: TenantInfo) -> None:
    async def tickets(t: TenantInfo, start: datetime, end: datetime) -> str | None:
        assert start == datetime(2026, 11, 22, 16, 0, tzinfo=UTC) and end == MONDAY_10AM
        return "· 工单：新建 1，解决 0"

    async def absent(t: TenantInfo, start: datetime, end: datetime) -> str | None:
        return None  # a capability the tenant does not use leaves no line

    report = await daily_report(tenant, MONDAY_10AM, sections=(tickets, absent))
    assert report.splitlines() == ["【日报】11月23日（截至 10:00）", "· 工单：新建 1，解决 0"]
    only_absent = await daily_report(tenant, MONDAY_10AM, sections=(absent,))
    assert only_absent.splitlines()[1:] == [EMPTY]
