"""Admins run the team from a group or 1:1: who may run what where, roles, the audit log."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.inbox import APOLOGY
from bot.subscription import seats
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError
from models.admin import AuditEntry, AuditResult
from models.inbox import InboxStatus, InboxUpdate
from models.tenants import Employee, Role
from tests.core.test_inbox import Stage
from tests.core.test_inbox import stage as stage  # noqa: F401, PLC0414 (the fixture, by its name)
from tests.support.admin import GROUP, admin_bot, group_update, run, say, say_in_group
from tests.support.updates import text_update


@pytest.fixture
async def bot(settings: Settings, tenant: TenantInfo, clock: FrozenClock) -> Dispatcher:
    return await admin_bot(Billing(settings.subscription, clock), tenant, clock)


async def entries() -> list[tuple[str, str, str, str, str]]:
    rows = await AuditEntry.all().order_by("id")
    return [(e.userid, e.chat_type, e.command, e.result.value, e.summary) for e in rows]


# --- where and who ---------------------------------------------------------------------------


async def test_an_admin_runs_admin_commands_in_the_group(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    [reply] = await run(bot, tenant, group_update("成员"))
    assert reply.text.startswith("【成员】共 1 人（第 1/1 页）：")
    assert "1. zhangsan · 管理员（配置） · 无席位 · 最近使用 11-23 10:00" in reply.text
    assert reply.to_user is None  # the inbox sends it back to the group (Update.reply_to)
    [entry] = await AuditEntry.all()
    assert (entry.channel, entry.chat_type, entry.chat_id) == ("aibot", "group", GROUP)
    assert (entry.userid, entry.command, entry.result) == ("zhangsan", "成员", AuditResult.OK)
    assert entry.summary == "【成员】共 1 人（第 1/1 页）："


async def test_a_member_is_told_admins_only_in_the_group_and_it_is_logged(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    assert await say_in_group(bot, tenant, "设为管理员 lisi", user="lisi") == "仅管理员可用"
    assert await say_in_group(bot, tenant, "团队待办", user="lisi") == "仅管理员可用"
    assert await say(bot, tenant, "席位", user="lisi") == "仅管理员可用"
    assert (await Employee.get(userid="lisi")).role is Role.MEMBER
    assert await entries() == [
        ("lisi", "group", "设为管理员 lisi", "refused", "仅管理员可用"),
        ("lisi", "group", "团队待办", "refused", "仅管理员可用"),
        ("lisi", "single", "席位", "refused", "仅管理员可用"),
    ]


async def test_a_one_to_one_command_in_a_group_says_where_to_use_it(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    where = "这个命令请在和我的单聊里使用"
    assert await say_in_group(bot, tenant, "我的待办", user="lisi") == where
    assert await say_in_group(bot, tenant, "续费 12个月") == where  # a purchase waits for 确认
    assert await say(bot, tenant, "我的待办", user="lisi") == (
        "你没有待办的跟进。试试发送「明天下午3点提醒我回访张总」。"
    )
    assert await entries() == [("zhangsan", "group", "续费 12个月", "refused", where)]


async def test_commands_declared_for_groups_work_there(bot: Dispatcher, tenant: TenantInfo) -> None:
    assert (await say_in_group(bot, tenant, "套餐", user="lisi")).startswith("【你可以使用】")
    assert (await say_in_group(bot, tenant, "套餐")).startswith("【当前套餐】")
    assert (await say_in_group(bot, tenant, "团队待办")) == "团队没有待办的跟进。"
    assert (await say_in_group(bot, tenant, "逾期")) == "没有逾期的跟进。"
    assert (await say_in_group(bot, tenant, "席位")).startswith("【席位】已用 1 / 10\n1. zhangsan")
    group_help = await say_in_group(bot, tenant, "帮助 管理")
    assert "· 日报 / daily report：（管理员）今天团队的新客户、完成和逾期的跟进" in group_help
    assert "我的待办" not in await say_in_group(bot, tenant, "帮助 跟进")


async def test_dispatcher_commands_let_dispatchers_and_admins_in(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("t", module="core")

    @router.command("派单", roles=[Role.DISPATCHER], chats=[ChatType.SINGLE, ChatType.GROUP])
    async def assign(ctx: Context) -> str:
        return f"已派单 {ctx.args}"

    bot = Dispatcher([router], clock=clock)
    assert await say(bot, tenant, "派单 3", user="lisi") == "仅管理员和派单员可用"
    await Employee.filter(userid="lisi").update(role=Role.DISPATCHER)
    assert await say(bot, tenant, "派单 3", user="lisi") == "已派单 3"
    assert await say_in_group(bot, tenant, "派单 4") == "已派单 4"
    assert [e[3] for e in await entries()] == ["refused", "ok", "ok"]


async def test_a_members_version_of_an_admin_command_still_answers_members(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("t")

    @router.command("报表", roles=[Role.ADMIN])
    async def team_report(ctx: Context) -> str:
        return "团队报表"

    @router.command("报表")
    async def my_report(ctx: Context) -> str:
        return "我的报表"

    @router.message()
    async def anything(ctx: Context) -> str:
        return "没听懂"

    bot = Dispatcher([router], clock=clock)
    assert await say(bot, tenant, "报表", user="lisi") == "我的报表"
    assert await say(bot, tenant, "报表") == "团队报表"
    assert await entries() == [("zhangsan", "single", "报表", "ok", "团队报表")]


# --- roles -----------------------------------------------------------------------------------


async def test_admins_make_and_unmake_admins_and_dispatchers(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    made = await say_in_group(bot, tenant, "设为管理员 lisi")
    assert made.startswith("已把 lisi 设为管理员。")
    # lisi never talked to the bot: naming them is enough.
    assert (await Employee.get(userid="lisi")).role is Role.ADMIN
    assert (await say_in_group(bot, tenant, "成员", user="lisi")).startswith("【成员】共 2 人")
    assert await say(bot, tenant, "设为管理员 lisi") == "lisi 已经是管理员了。"
    assert await say(bot, tenant, "设为派单员 lisi") == (
        "lisi 是管理员，已经可以派单；要改成派单员，请先「取消管理员 lisi」。"
    )
    assert await say(bot, tenant, "取消管理员 lisi") == "已取消 lisi 的管理员身份，现在是普通成员。"
    assert (
        await say(bot, tenant, "取消管理员 lisi")
        == "lisi 不是管理员。发送「成员」查看每个人的角色。"
    )
    assert (await say(bot, tenant, "设为派单员 wangwu")).startswith("已把 wangwu 设为派单员。")
    assert (await Employee.get(userid="wangwu")).role is Role.DISPATCHER
    assert await say(bot, tenant, "成员", user="wangwu") == "仅管理员可用"
    assert await say(bot, tenant, "取消派单员 wangwu") == (
        "已取消 wangwu 的派单员身份，现在是普通成员。"
    )
    assert (await Employee.get(userid="wangwu")).role is Role.MEMBER


async def test_config_admins_and_the_last_admin_stay(bot: Dispatcher, tenant: TenantInfo) -> None:
    assert await say(bot, tenant, "取消管理员 zhangsan") == (
        "zhangsan 是配置文件里的管理员，不能在聊天里更改；请修改 config.toml 中的 admins。"
    )
    assert await say(bot, tenant, "设为派单员 zhangsan") == (
        "zhangsan 是配置文件里的管理员，不能在聊天里更改；请修改 config.toml 中的 admins。"
    )
    # A tenant whose only admin was made in chat keeps them.
    alone = replace(tenant, admins=())
    await say(bot, tenant, "设为管理员 lisi")
    await Employee.filter(userid="zhangsan").update(role=Role.MEMBER)
    assert await say(bot, alone, "取消管理员 lisi", user="lisi") == (
        "lisi 是唯一的管理员，不能取消；请先把另一位同事设为管理员。"
    )
    assert (await Employee.get(userid="lisi")).role is Role.ADMIN


class AddressBook:
    """Stands in for the WeCom client's user/get: the members it knows, by userid."""

    def __init__(self, **members: str) -> None:
        self.members = members
        self.asked: list[str] = []

    async def call(self, creds: object, api: str, **kwargs: Any) -> dict[str, Any]:
        userid = kwargs["params"]["userid"]
        self.asked.append(userid)
        if userid == "outside":
            raise WeComAPIError(api, 60011, "no privilege to access/modify contact")
        if userid not in self.members:
            raise WeComAPIError(api, 60111, "userid not found")
        return {"errcode": 0, "userid": userid, "name": self.members[userid]}


async def test_a_new_colleague_is_checked_against_the_address_book(
    settings: Settings, tenant: TenantInfo, clock: FrozenClock
) -> None:
    bot = await admin_bot(Billing(settings.subscription, clock), tenant, clock)
    book = AddressBook(zhaoliu="赵六")
    bot = Dispatcher(bot.routers, clock=clock, deps={"client": book})
    assert await say(bot, tenant, "设为派单员 zhaoliu") == (
        "已把 zhaoliu 设为派单员。\n派单员可以派单，其他管理命令仍只有管理员可用。"
    )
    assert (await Employee.get(userid="zhaoliu")).name == "赵六"
    assert await say(bot, tenant, "设为管理员 zhaoliu0") == (
        "通讯录里没有「zhaoliu0」。"
        "请写同事的企业微信账号（管理后台 → 通讯录 → 成员详情里的「账号」）。"
    )
    assert not await Employee.exists(userid="zhaoliu0")
    # Outside the app's visibility WeCom will not say: the admin's word is taken.
    assert (await say(bot, tenant, "设为管理员 outside")).startswith("已把 outside 设为管理员。")
    await say(bot, tenant, "设为管理员 zhaoliu")  # known by now: not asked again
    assert book.asked == ["zhaoliu", "zhaoliu0", "outside"]
    assert [e[3] for e in await entries()] == ["ok", "error", "ok", "ok"]


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("设为管理员", "请写上同事的企业微信 userid，例如：设为管理员 lisi"),
        ("取消派单员", "请写上同事的企业微信 userid，例如：取消派单员 lisi"),
        (
            "设为管理员 李 四",
            "「李 四」不像企业微信 userid（字母、数字和 _ - . @，最多 64 个字符）。",
        ),
    ],
)
async def test_role_commands_say_what_to_type(
    bot: Dispatcher, tenant: TenantInfo, said: str, answer: str
) -> None:
    assert await say(bot, tenant, said) == answer
    assert await entries() == [("zhangsan", "single", said, "error", answer)]


# --- the audit log ---------------------------------------------------------------------------


async def test_a_failed_admin_command_is_logged_and_changes_nothing(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("t")

    @router.command("清空", roles=[Role.ADMIN])
    async def wipe(ctx: Context) -> str:
        await Employee.filter(tenant_id=ctx.tenant.id).update(name="已清空")
        ctx.reply("清空中")
        raise UserFacingError("清空前请先导出数据")

    bot = Dispatcher([router], clock=clock)
    assert [r.text for r in await run(bot, tenant, text_update("清空", "zhangsan"))] == [
        "清空前请先导出数据"
    ]
    assert (await Employee.get(userid="zhangsan")).name == ""
    assert await entries() == [("zhangsan", "single", "清空", "error", "清空前请先导出数据")]


async def test_an_unexpected_failure_is_logged_without_its_details(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("t")

    @router.command("导出", roles=[Role.ADMIN])
    async def export(ctx: Context) -> str:
        raise RuntimeError("disk full at /var/secret")

    bot = Dispatcher([router], clock=clock)
    prepared = await bot.prepare(text_update("导出", "zhangsan"), tenant)
    with pytest.raises(RuntimeError):
        await prepared.run()
    await prepared.failed()  # what the inbox does in the transaction with the apology
    assert await entries() == [
        ("zhangsan", "single", "导出", "error", "处理时出错，没有做任何更改")
    ]


async def test_an_admin_command_whose_preparation_fails_is_answered_and_logged(
    bot: Dispatcher, tenant: TenantInfo
) -> None:
    usage = "请按这个格式写：离职交接 wangwu 给 lisi（写企业微信账号）"
    assert await say_in_group(bot, tenant, "离职交接 wangwu") == usage
    assert await entries() == [("zhangsan", "group", "离职交接 wangwu", "error", usage)]


async def test_member_commands_are_not_logged(bot: Dispatcher, tenant: TenantInfo) -> None:
    await say(bot, tenant, "帮助", user="lisi")
    await say(bot, tenant, "我的待办", user="lisi")
    assert await AuditEntry.all().count() == 0


async def test_the_audit_log_newest_first_in_pages(
    bot: Dispatcher, tenant: TenantInfo, clock: FrozenClock
) -> None:
    assert (
        await say(bot, tenant, "操作日志") == "还没有操作日志。管理员和派单员的命令都会记在这里。"
    )
    await say_in_group(bot, tenant, "设为管理员 lisi")
    clock.advance(timedelta(minutes=1))
    await say(bot, tenant, "成员", user="wangwu")
    clock.advance(timedelta(minutes=1))
    await say(bot, tenant, "设为派单员 wangwu", user="lisi")
    clock.advance(timedelta(minutes=1))
    log = await say(bot, tenant, "操作日志 2")
    assert log.splitlines() == [
        "【操作日志】最近 2 条（共 4 条，最新的在前）：",
        "11-23 10:02 lisi「设为派单员 wangwu」成功：已把 wangwu 设为派单员。",
        "11-23 10:01 wangwu「成员」拒绝：仅管理员可用",
        "发送「操作日志 2 第2页」看更早的。",
    ]
    # Page 2 counts from the newest again: the 操作日志 just sent is on page 1 now.
    older = await say_in_group(bot, tenant, "操作日志 2 第2页")
    assert older.splitlines() == [
        "【操作日志】第 2/3 页（每页 2 条，共 5 条，最新的在前）：",
        "11-23 10:01 wangwu「成员」拒绝：仅管理员可用",
        "11-23 10:00 zhangsan（群聊）「设为管理员 lisi」成功：已把 lisi 设为管理员。",
        "发送「操作日志 2 第3页」看更早的。",
    ]
    usage = "例如：操作日志（最近 10 条）、操作日志 20、操作日志 20 第2页（最多每页 50 条）"
    assert await say(bot, tenant, "操作日志 一百") == usage
    assert await say(bot, tenant, "操作日志 99") == usage
    assert await say(bot, tenant, "操作日志 10 第9页") == (
        "只有 1 页，发送「操作日志 10 第1页」看最后一页。"
    )


# --- members ---------------------------------------------------------------------------------


async def test_members_show_role_seat_and_last_seen_in_pages(
    bot: Dispatcher, tenant: TenantInfo, clock: FrozenClock
) -> None:
    now = clock.now()
    for n in range(16):
        await Employee.create(
            tenant_id=tenant.id,
            userid=f"user{n:02d}",
            role=Role.MEMBER,
            first_seen_at=now - timedelta(days=n + 1),
            last_seen_at=now - timedelta(days=n + 1),
        )
    await Employee.filter(userid="user05").update(role=Role.DISPATCHER, name="赵六")
    await seats.assign(tenant.id, "user03", 5, "zhangsan", now)
    first = (await say(bot, tenant, "成员")).splitlines()
    assert first[0] == "【成员】共 17 人（第 1/2 页）："
    assert first[1] == "1. zhangsan · 管理员（配置） · 无席位 · 最近使用 11-23 10:00"
    assert first[2] == "2. 赵六（user05） · 派单员 · 无席位 · 最近使用 11-17 10:00"
    assert "6. user03 · 成员 · 有席位 · 最近使用 11-19 10:00" in first
    assert first[-1] == "发送「成员 2」看下一页。"
    second = (await say(bot, tenant, "成员 2")).splitlines()
    assert second[1:] == [
        "16. user14 · 成员 · 无席位 · 最近使用 11-08 10:00",
        "17. user15 · 成员 · 无席位 · 最近使用 11-07 10:00",
        "发送「设为管理员 userid」「设为派单员 userid」改角色，「席位」看席位。",
    ]
    assert await say(bot, tenant, "成员 3") == "只有 2 页，发送「成员 2」看最后一页。"
    assert await say(bot, tenant, "成员 二") == await say(bot, tenant, "成员 2")
    for said in ("成员 第二页", "成员 第2页", "成员列表第2页", "成员 2页"):
        assert await say(bot, tenant, said) == await say(bot, tenant, "成员 2"), said
    assert await say(bot, tenant, "成员 第几页") == "页码要写数字，例如：成员 2"


# --- through the inbox -------------------------------------------------------------------------


async def test_the_inbox_keeps_the_audit_entry_of_a_command_that_crashed(stage: Stage) -> None:
    router = Router("t")

    @router.command("导出", roles=[Role.ADMIN])
    async def export(ctx: Context) -> str:
        await Employee.filter(tenant_id=ctx.tenant.id).update(name="导出中")
        raise RuntimeError("disk full at /var/secret")

    bot = await stage.start(router)
    await bot.receive(text_update("导出", "zhangsan"))
    await bot.settle()
    assert await stage.replies() == [("zhangsan", APOLOGY)]
    assert (await InboxUpdate.get()).status is InboxStatus.FAILED
    assert (await Employee.get(userid="zhangsan")).name == ""
    assert await entries() == [
        ("zhangsan", "single", "导出", "error", "处理时出错，没有做任何更改")
    ]
