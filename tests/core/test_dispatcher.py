"""The dispatcher, read as chat transcripts: updates in, replies out (no transport)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.capabilities import all_routers as default_routers
from bot.clock import FrozenClock
from bot.dispatch.context import Context
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.filters import ChatTypeIs, Intent, Regex
from bot.dispatch.locks import KeyedLocks
from bot.dispatch.router import Route, Router
from bot.dispatch.types import Channel, ChatType, Reply, Update
from bot.tenants import TenantInfo
from handlers.core.fallback import NOT_UNDERSTOOD, TEXT_ONLY
from handlers.core.fallback import router as fallback_router
from handlers.core.help import router as help_router
from models.conversations import ConversationState
from models.tenants import Employee, Role
from tests.support.score_flow import add_score_flow
from tests.support.updates import SENT_AT, event_update, text_update

text = text_update
event = event_update


async def texts(dispatcher: Dispatcher, tenant: TenantInfo, update: Update) -> list[str]:
    return [reply.text for reply in await dispatcher.feed(update, tenant)]


@pytest.fixture
def dispatcher(clock: FrozenClock) -> Dispatcher:
    return Dispatcher(default_routers(), clock=clock)


async def test_help_lists_commands_by_section(dispatcher: Dispatcher, tenant: TenantInfo) -> None:
    [reply] = await texts(dispatcher, tenant, text("帮助"))
    assert "【通用】帮助" in reply
    assert "【客户】新建客户、查客户" in reply
    [section] = await texts(dispatcher, tenant, text("帮助 通用"))
    assert "· 帮助 / help / 菜单 / 使用说明 / 命令列表 / 功能列表：查看我能做什么" in section


@pytest.mark.parametrize("said", ["帮助", "HELP", "help", "/help", " 菜单 ", "？"])
async def test_help_answers_every_spelling(
    dispatcher: Dispatcher, tenant: TenantInfo, said: str
) -> None:
    [reply] = await texts(dispatcher, tenant, text(said))
    assert reply.startswith("我能帮你做这些")


async def test_a_sentence_clearly_like_one_command_runs_it_and_says_so(
    dispatcher: Dispatcher, tenant: TenantInfo
) -> None:
    [reply] = await texts(dispatcher, tenant, text("把功能列表给我"))
    assert reply.startswith("（按「帮助」处理）\n我能帮你做这些")


async def test_unknown_text_gets_the_hint(dispatcher: Dispatcher, tenant: TenantInfo) -> None:
    [reply] = await texts(dispatcher, tenant, text("张总那边弄个标签吧"))
    # Never a flat "没听懂": the closest commands are offered, and a number shows how to say one.
    assert reply.splitlines()[:3] == [
        NOT_UNDERSTOOD.format(text="张总那边弄个标签吧"),
        "我听出了：「张总」。",
        "你是想：",
    ]
    assert "1. 给客户打标签" in reply
    assert reply.endswith("回复序号，我告诉你怎么说；或者换个说法。")
    long = "请帮我把上个月所有的客户资料都导出来发到邮箱里谢谢"
    [reply] = await texts(dispatcher, tenant, text(long))
    assert f"「{long[:20]}…」" in reply


async def test_pictures_get_told_text_only(dispatcher: Dispatcher, tenant: TenantInfo) -> None:
    update = Update("acme", Channel.APP, "msg:img", "image", SENT_AT, user_id="lisi")
    assert await texts(dispatcher, tenant, update) == [TEXT_ONLY]


async def test_unhandled_events_are_silent(dispatcher: Dispatcher, tenant: TenantInfo) -> None:
    assert await texts(dispatcher, tenant, event("enter_agent", "")) == []


async def test_help_is_generated_from_docstrings_in_router_order(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    crm = Router("crm", title="客户")

    @crm.command("查客户", "find")
    async def find_customer(ctx: Context) -> str:
        """按姓名、手机号或公司查找客户"""
        return f"查找：{ctx.args}"

    dispatcher = Dispatcher([help_router, crm, fallback_router], clock=clock)
    [help_text] = await texts(dispatcher, tenant, text("帮助"))
    assert help_text.index("【通用】") < help_text.index("【客户】")
    assert "· 查客户 / find：按姓名、手机号或公司查找客户" in help_text
    assert await texts(dispatcher, tenant, text("查客户 张三")) == ["查找：张三"]
    assert await texts(dispatcher, tenant, text("查客户张三")) == ["查找：张三"]
    assert await texts(dispatcher, tenant, text("FIND  华夏")) == ["查找：华夏"]


async def test_first_matching_route_wins_and_failed_routes_leave_no_args(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("t")

    @router.command("报表", roles=[Role.ADMIN])
    async def team_report(ctx: Context) -> str:
        return "团队报表"

    @router.command("报表")
    async def my_report(ctx: Context) -> str:
        return f"我的报表 {ctx.args!r}"

    dispatcher = Dispatcher([router], clock=clock)
    assert await texts(dispatcher, tenant, text("报表 本月", user="zhangsan")) == ["团队报表"]
    assert await texts(dispatcher, tenant, text("报表 本月", user="lisi")) == ["我的报表 '本月'"]


async def test_regex_intent_and_chat_type_filters(clock: FrozenClock, tenant: TenantInfo) -> None:
    router = Router("t")

    @router.message(Regex(r"^(1[3-9]\d{9})$"))
    async def phone(ctx: Context) -> str:
        assert ctx.match is not None
        return f"手机号 {ctx.match.group(1)}"

    @router.message(Intent("followup"))
    async def followup(ctx: Context) -> str:
        return "创建跟进"

    @router.message(ChatTypeIs(ChatType.GROUP))
    async def group(ctx: Context) -> str:
        return "群消息"

    async def resolve(update: Update) -> str | None:
        return "followup" if "提醒" in update.text else None

    dispatcher = Dispatcher([router], clock=clock, intent_resolver=resolve)
    assert await texts(dispatcher, tenant, text("13800138000")) == ["手机号 13800138000"]
    assert await texts(dispatcher, tenant, text("明天提醒我回访")) == ["创建跟进"]
    assert await texts(dispatcher, tenant, text("大家好", chat_type=ChatType.GROUP)) == ["群消息"]
    assert await texts(dispatcher, tenant, text("大家好")) == []


async def test_entitlement_hook_refuses_before_the_handler_runs(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    tickets = Router("tickets", title="工单", module="tickets")
    ran: list[str] = []

    @tickets.command("新建工单")
    async def create_ticket(ctx: Context) -> str:
        """为客户新建一张工单"""
        ran.append(ctx.args)
        return "已创建"

    async def entitlement(ctx: Context, route: Route) -> str | None:
        return f"未开通模块 {route.module}" if route.module == "tickets" else None

    dispatcher = Dispatcher([tickets, *default_routers()], clock=clock, entitlement=entitlement)
    assert await texts(dispatcher, tenant, text("新建工单 打印机坏了")) == ["未开通模块 tickets"]
    assert ran == []
    [help_text] = await texts(dispatcher, tenant, text("帮助"))  # core commands stay open
    assert "【工单】新建工单" in help_text  # 帮助 still shows what can be bought
    [section] = await texts(dispatcher, tenant, text("帮助 工单"))
    assert "· 新建工单：为客户新建一张工单" in section


async def test_first_contact_creates_the_employee(
    dispatcher: Dispatcher, tenant: TenantInfo, clock: FrozenClock
) -> None:
    await dispatcher.feed(text("帮助", user="wangwu"), tenant)
    employee = await Employee.get(tenant_id=tenant.id, userid="wangwu")
    assert employee.role == Role.MEMBER
    assert employee.first_seen_at == clock.now()
    clock.advance(timedelta(minutes=1))
    await dispatcher.feed(text("帮助", user="wangwu"), tenant)
    assert (await Employee.get(id=employee.id)).last_seen_at == employee.first_seen_at
    clock.advance(timedelta(minutes=10))
    await dispatcher.feed(text("帮助", user="wangwu"), tenant)
    assert (await Employee.get(id=employee.id)).last_seen_at == clock.now()
    await dispatcher.feed(text("帮助", user="zhangsan"), tenant)
    assert (await Employee.get(userid="zhangsan")).role == Role.ADMIN
    assert await Employee.filter(tenant_id=tenant.id).count() == 2


async def test_events_name_the_employee(clock: FrozenClock, tenant: TenantInfo) -> None:
    router = Router("contacts")
    seen: list[str] = []

    @router.event("change_external_contact", "add_external_contact")
    async def on_add(ctx: Context) -> None:
        seen.append(f"{ctx.update.change_type}:{ctx.employee.userid if ctx.employee else None}")

    dispatcher = Dispatcher([router], clock=clock)
    await dispatcher.feed(event("change_external_contact", "add_external_contact"), tenant)
    await dispatcher.feed(event("change_external_contact", "del_follow_user"), tenant)
    assert seen == ["add_external_contact:lisi"]


async def test_conversation_state_is_persisted_and_expires(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = add_score_flow(Router("survey"))

    dispatcher = Dispatcher([router], clock=clock)
    assert await texts(dispatcher, tenant, text("评分 张三")) == ["请回复 1-5 分"]
    row = await ConversationState.get(tenant_id=tenant.id, user_id="lisi")
    assert (row.state, row.data) == ("ask_score", {"customer": "张三"})
    # A fresh dispatcher (as after a restart) picks the conversation up from the database.
    restarted = Dispatcher([router], clock=clock)
    assert await texts(restarted, tenant, text("5")) == ["张三 打了 5 分"]
    assert not await ConversationState.exists(tenant_id=tenant.id)
    await texts(dispatcher, tenant, text("评分 李四"))
    clock.advance(timedelta(minutes=6))
    assert await texts(dispatcher, tenant, text("4")) == []
    assert not await ConversationState.exists(tenant_id=tenant.id)


async def test_handlers_can_tell_someone_else(clock: FrozenClock, tenant: TenantInfo) -> None:
    router = Router("t")

    @router.command("求助")
    async def ask_admin(ctx: Context) -> None:
        ctx.send("zhangsan", f"{ctx.update.user_id} 需要帮助：{ctx.args}")
        ctx.reply("已通知管理员")

    replies = await Dispatcher([router], clock=clock).feed(text("求助 客户投诉"), tenant)
    # The admin is reached through the app even when the question came in another channel.
    assert replies == [
        Reply("lisi 需要帮助：客户投诉", to_user="zhangsan", channel="app"),
        Reply("已通知管理员"),
    ]


async def test_keyed_locks_serialise_one_key_and_forget_idle_keys() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def work(key: str, name: str, delay: float) -> None:
        async with locks.hold(key):
            order.append(f"{name} start")
            await asyncio.sleep(delay)
            order.append(f"{name} end")

    await asyncio.gather(work("a", "first", 0.02), work("a", "second", 0), work("b", "other", 0))
    assert order.index("first end") < order.index("second start")
    assert len(locks) == 0


async def test_prepare_runs_before_the_handler_and_feeds_it(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("contacts")
    steps: list[str] = []

    async def fetch_contact(ctx: Context) -> None:
        steps.append("prepare")
        ctx.deps["contact"] = {"name": "王五"}

    @router.event("change_external_contact", "add_external_contact", prepare=fetch_contact)
    async def welcome(ctx: Context) -> str:
        steps.append("handle")
        return f"欢迎 {ctx.deps['contact']['name']}"

    dispatcher = Dispatcher([router], clock=clock)
    prepared = await dispatcher.prepare(
        event("change_external_contact", "add_external_contact"), tenant
    )
    assert steps == ["prepare"]
    assert [r.text for r in await prepared.run()] == ["欢迎 王五"]
    assert steps == ["prepare", "handle"]


async def test_help_past_one_message_lists_words_and_pages_by_section(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    extra = Router("reports", title="报表")
    for n in range(40):

        async def report(ctx: Context) -> str:
            return "报表"

        report.__doc__ = f"第{n}张报表：按客户、员工和月份统计的详细数据"
        extra.command(f"报表{n}")(report)
    dispatcher = Dispatcher([*default_routers()[:-1], extra, default_routers()[-1]], clock=clock)
    [first_page] = await texts(dispatcher, tenant, text("帮助"))
    assert len(first_page.encode()) <= 2048
    assert "【报表】报表0、报表1、" in first_page
    assert "发送「帮助 部分名」看每条命令的说明" in first_page
    [section] = await texts(dispatcher, tenant, text("帮助 报表"))
    assert section.startswith("「报表」的命令：")
    assert "· 报表39：第39张报表：按客户、员工和月份统计的详细数据" in section
    [by_command] = await texts(dispatcher, tenant, text("帮助 报表7"))
    assert by_command == section
    [unknown] = await texts(dispatcher, tenant, text("帮助 天气"))
    assert unknown.startswith("没有「天气」这部分的帮助。可以看：通用、")
    assert unknown.endswith("、报表。")


async def test_help_with_too_many_words_shows_the_first_of_each_section(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    routers = []
    for part in range(12):
        extra = Router(f"part{part}", title=f"第{part}部分")
        for n in range(30):

            async def report(ctx: Context) -> str:
                return "报表"

            report.__doc__ = "一条很长的说明，让完整的帮助远远超过一条消息"
            extra.command(f"命令{part}之{n}")(report)
        routers.append(extra)
    dispatcher = Dispatcher([*default_routers()[:-1], *routers, default_routers()[-1]], clock=clock)
    [first_page] = await texts(dispatcher, tenant, text("帮助"))
    assert len(first_page.encode()) <= 2048
    for part in range(12):
        assert f"【第{part}部分】命令{part}之0、" in first_page, part
        assert f"命令{part}之29" not in first_page
        assert "等30条" in first_page
    [section] = await texts(dispatcher, tenant, text("帮助 第3部分"))
    assert "· 命令3之29：一条很长的说明" in section


async def test_help_shows_members_only_what_they_may_run(
    dispatcher: Dispatcher, tenant: TenantInfo
) -> None:
    [member] = await texts(dispatcher, tenant, text("帮助", user="lisi"))
    [admin] = await texts(dispatcher, tenant, text("帮助", user="zhangsan"))
    assert "【管理】" not in member and "加席位" not in member
    assert "【管理】设为管理员" in admin and "加席位" in admin
