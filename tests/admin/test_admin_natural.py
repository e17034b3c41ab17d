"""Running the team in the words admins use: roles by name, members, the audit log,
settings and the daily report. Each phrasing answers as its command does (which keeps
working) and changes what the command changes. The clock stands at 2026-11-23 10:00."""

from __future__ import annotations

import pytest

from bot.admin.preferences import digest_time
from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.dispatcher import Dispatcher
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from models.admin import AuditEntry
from models.tenants import Employee, Role
from tests.support.admin import admin_bot, say, say_in_group


@pytest.fixture
async def bot(settings: Settings, tenant: TenantInfo, clock: FrozenClock) -> Dispatcher:
    return await admin_bot(Billing(settings.subscription, clock), tenant, clock)


@pytest.fixture
async def colleagues(tenant: TenantInfo, clock: FrozenClock) -> None:
    now = clock.now()
    for userid, name in (("lisi", "李四"), ("wangwu", "王五")):
        await Employee.create(
            tenant_id=tenant.id, userid=userid, name=name, first_seen_at=now, last_seen_at=now
        )


async def role_of(userid: str) -> Role:
    return (await Employee.get(userid=userid)).role


@pytest.mark.usefixtures("colleagues")
async def test_roles_are_given_and_taken_by_name(bot: Dispatcher, tenant: TenantInfo) -> None:
    made = await say(bot, tenant, "把李四设成管理员")
    assert made.splitlines()[0] == "已把 lisi 设为管理员。"
    assert await role_of("lisi") is Role.ADMIN
    assert await say(bot, tenant, "让李四也当管理员吧") == "lisi 已经是管理员了。"
    assert (
        await say(bot, tenant, "李四不当管理员了") == "已取消 lisi 的管理员身份，现在是普通成员。"
    )
    assert await role_of("lisi") is Role.MEMBER
    dispatcher = await say_in_group(bot, tenant, "让王五负责派单")
    assert dispatcher.splitlines()[0] == "已把 wangwu 设为派单员。"
    assert await role_of("wangwu") is Role.DISPATCHER
    assert await say(bot, tenant, "收回王五的派单权限") == (
        "已取消 wangwu 的派单员身份，现在是普通成员。"
    )
    assert await role_of("wangwu") is Role.MEMBER
    made = await say_in_group(bot, tenant, "王五以后也能派单，给他权限")
    assert made.splitlines()[0] == "已把 wangwu 设为派单员。"
    assert await role_of("wangwu") is Role.DISPATCHER
    commands = await AuditEntry.all().order_by("id").values_list("command", flat=True)
    assert commands[:2] == ["设为管理员 李四", "设为管理员 李四"]  # as the command it became


@pytest.mark.usefixtures("colleagues")
async def test_a_name_nobody_has_asks_for_the_userid(bot: Dispatcher, tenant: TenantInfo) -> None:
    assert await say(bot, tenant, "把赵六设成管理员") == (
        "没找到同事「赵六」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    )
    assert await say(bot, tenant, "设为管理员 lisi") == (
        "已把 lisi 设为管理员。\n管理员可以使用所有管理命令（发送「帮助 管理」查看）。"
    )


@pytest.mark.usefixtures("colleagues")
async def test_a_member_asking_for_a_role_change_hears_why_not(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    assert await say(bot, tenant, "把王五设成管理员", user="lisi") == "仅管理员可用"
    assert await role_of("wangwu") is Role.MEMBER


@pytest.mark.usefixtures("colleagues")
@pytest.mark.parametrize(
    ("said", "canonical"),
    [
        ("团队成员", "成员"),
        ("谁是管理员", "成员"),
        ("成员第1页", "成员 1"),
        ("看看设置", "设置"),
        ("日报几点发", "设置"),
        ("今天的日报", "日报"),
        ("今天团队怎么样", "日报"),
        ("今日数据汇总", "日报"),
        ("今天大家干得怎么样，给我个报告", "日报"),
        ("机器人有哪些设置项", "设置"),
        ("待办汇总改到九点发", "设置 提醒时间 九点"),
        ("每日提醒时间改成早上8点半", "设置 提醒时间 早上8点半"),
    ],
)
async def test_questions_get_the_commands_answer(
    bot: Dispatcher, tenant: TenantInfo, said: str, canonical: str
) -> None:
    assert await say(bot, tenant, said) == await say(bot, tenant, canonical)


async def test_the_audit_log_in_words(bot: Dispatcher, tenant: TenantInfo) -> None:
    await say(bot, tenant, "成员")
    await say(bot, tenant, "设置")
    recent = await say(bot, tenant, "最近2条操作记录")
    assert recent.splitlines()[0] == "【操作日志】最近 2 条（共 2 条，最新的在前）："
    assert (await say(bot, tenant, "最近谁改了什么")).startswith("【操作日志】")


async def test_settings_in_words(bot: Dispatcher, tenant: TenantInfo) -> None:
    saved = await say(bot, tenant, "提醒时间改成下午5点")
    assert "17:00" in saved
    assert (await digest_time(tenant.id)).hour == 17
    assert "08:30" in await say(bot, tenant, "把跟进提醒改到8点半")
    assert (await digest_time(tenant.id)).minute == 30
    welcome = await say(bot, tenant, "欢迎语改成 您好{客户名}，我是{员工名}")
    assert welcome.startswith("已设置默认欢迎语。")
    assert "· 欢迎语（默认）：您好{客户名}，我是{员工名}" in await say(bot, tenant, "现在的设置")


@pytest.mark.usefixtures("colleagues")
async def test_words_between_the_name_and_the_role_are_not_part_of_the_name(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    made = await say(bot, tenant, "wangwu以后也做管理员")
    assert made.splitlines()[0] == "已把 wangwu 设为管理员。"
    assert await say(bot, tenant, "王五也要当管理员") == "wangwu 已经是管理员了。"
