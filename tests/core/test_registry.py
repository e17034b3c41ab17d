"""Which route takes a message is decided by rule (bot.dispatch.registry), never by the order
routers are listed in: the longest command word wins, a conversation step only claims answers
to its own question, hints and the fallback come last, and two commands claiming the same
word must say which goes first."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from bot.capabilities import all_routers
from bot.clock import FrozenClock
from bot.dispatch.context import Context
from bot.dispatch.dispatcher import Dispatcher
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.phrasing import PhrasingError, compile_phrasings
from bot.dispatch.registry import RouteTable
from bot.dispatch.router import Router, flatten
from bot.dispatch.tiers import Tier
from bot.tenants import TenantInfo
from tests.support.updates import text_update


async def say(dispatcher: Dispatcher, tenant: TenantInfo, text: str) -> list[str]:
    return [reply.text for reply in await dispatcher.feed(text_update(text), tenant)]


def admin_router() -> Router:
    router = Router("admin")

    @router.command("取消管理员")
    async def revoke_admin(ctx: Context) -> str:
        return f"取消管理员 {ctx.args}"

    @router.command("工单统计")
    async def ticket_stats(ctx: Context) -> str:
        return "工单统计"

    return router


def work_router() -> Router:
    router = Router("work")

    @router.command("取消")
    async def cancel_followup(ctx: Context) -> str:
        return f"取消跟进 {ctx.args}"

    @router.command("工单")
    async def show_ticket(ctx: Context) -> str:
        return f"工单 {ctx.args}"

    return router


def asking_router() -> Router:
    """A two-step conversation: 问时间 asks "when?", and the step takes the answer."""
    router = Router("asking")

    @router.command("问时间")
    async def ask_time(ctx: Context) -> str:
        assert ctx.conversation is not None
        await ctx.conversation.set("ask_time", {})
        return "什么时候？"

    @router.message(StateIs("ask_time"), Command("取消"))
    async def cancel_question(ctx: Context) -> str:
        assert ctx.conversation is not None
        await ctx.conversation.clear()
        return "不问了"

    @router.message(StateIs("ask_time"), Regex(r"^\d+点$"))
    async def answer_time(ctx: Context) -> str:
        assert ctx.conversation is not None
        await ctx.conversation.clear()
        return f"记下了 {ctx.update.text}"

    @router.message(StateIs("ask_time"))
    async def reprompt(ctx: Context) -> str:
        return "请回复几点，例如 3点"

    return router


def last_words() -> tuple[Router, Router]:
    hint = Router("hint", tier=Tier.HINT)

    @hint.message(Regex("工单"))
    async def locked(ctx: Context) -> str:
        return "工单模块未开通"

    fallback = Router("fallback", tier=Tier.FALLBACK)

    @fallback.message()
    async def not_understood(ctx: Context) -> str:
        return "没听懂"

    return hint, fallback


def every_order(routers: Sequence[Router]) -> list[list[Router]]:
    return [list(order) for order in itertools.permutations(routers)]


@pytest.mark.parametrize("order", range(24))
async def test_the_answer_never_depends_on_router_order(
    order: int, clock: FrozenClock, tenant: TenantInfo
) -> None:
    hint, fallback = last_words()
    routers = every_order([admin_router(), work_router(), hint, fallback])[order]
    dispatcher = Dispatcher(routers, clock=clock)
    assert await say(dispatcher, tenant, "取消管理员 lisi") == ["取消管理员 lisi"]
    assert await say(dispatcher, tenant, "取消 3") == ["取消跟进 3"]
    assert await say(dispatcher, tenant, "工单统计") == ["工单统计"]
    assert await say(dispatcher, tenant, "工单 0001") == ["工单 0001"]
    assert await say(dispatcher, tenant, "我想开个工单") == ["工单模块未开通"]
    assert await say(dispatcher, tenant, "今天天气") == ["没听懂"]


@pytest.mark.parametrize("order", range(6))
async def test_a_step_only_claims_answers_to_its_own_question(
    order: int, clock: FrozenClock, tenant: TenantInfo
) -> None:
    routers = every_order([asking_router(), admin_router(), work_router()])[order]
    dispatcher = Dispatcher(routers, clock=clock)
    assert await say(dispatcher, tenant, "取消 3") == ["取消跟进 3"]  # no question pending

    assert await say(dispatcher, tenant, "问时间") == ["什么时候？"]
    assert await say(dispatcher, tenant, "你好") == ["请回复几点，例如 3点"]
    # A command typed mid-question runs and drops the question with one line: a step never
    # traps anyone...
    assert await say(dispatcher, tenant, "工单 0001") == ["（已放弃刚才没完成的操作）", "工单 0001"]
    assert await say(dispatcher, tenant, "3点") == []  # no question is waiting any more
    assert await say(dispatcher, tenant, "取消管理员 lisi") == ["取消管理员 lisi"]
    # ...but its own 取消 beats the same word outside it, and its answer is taken.
    assert await say(dispatcher, tenant, "问时间") == ["什么时候？"]
    assert await say(dispatcher, tenant, "取消") == ["不问了"]
    assert await say(dispatcher, tenant, "问时间") == ["什么时候？"]
    assert await say(dispatcher, tenant, "3点") == ["记下了 3点"]
    assert await say(dispatcher, tenant, "取消 3") == ["取消跟进 3"]


def test_routes_get_their_tier_from_what_they_match() -> None:
    tiers = {route.handler.__name__: route.tier for route in asking_router().routes}
    assert tiers == {
        "ask_time": Tier.COMMAND,
        "cancel_question": Tier.COMMAND,
        "answer_time": Tier.ANSWER,
        "reprompt": Tier.STEP,
    }
    hint, fallback = last_words()
    assert [r.tier for r in hint.routes + fallback.routes] == [Tier.HINT, Tier.FALLBACK]


def test_a_word_claimed_twice_needs_a_declared_priority() -> None:
    clash = Router("clash")

    @clash.command("报表")
    async def team_report(ctx: Context) -> str:
        return "团队"

    @clash.command("报表", "report")
    async def my_report(ctx: Context) -> str:
        return "我的"

    table = RouteTable(list(flatten([clash])))
    assert [(word, [r.intent for r in routes]) for word, routes in table.overlaps()] == [
        ("报表", ["test_registry.team_report", "test_registry.my_report"])
    ]

    settled = Router("settled")

    @settled.command("报表", priority=1)
    async def team_first(ctx: Context) -> str:
        return "团队"

    @settled.command("报表")
    async def mine_after(ctx: Context) -> str:
        return "我的"

    assert RouteTable(list(flatten([settled]))).overlaps() == []


def test_no_two_commands_of_the_product_claim_a_word_without_a_priority() -> None:
    table = RouteTable(list(flatten(all_routers())))
    clashes = [
        f"{word}: " + ", ".join(route.intent for route in routes)
        for word, routes in table.overlaps()
    ]
    assert clashes == [], "declare a priority on one of them:\n" + "\n".join(clashes)


def test_every_command_has_a_stable_unique_intent() -> None:
    routes = [r for r in flatten(all_routers()) if r.tier is Tier.COMMAND and r.commands]
    intents = [route.intent for route in routes]
    assert len(intents) == len(set(intents))
    for route in routes:
        capability = route.handler.__module__.split(".")[1]
        assert route.intent == f"{capability}.{route.handler.__name__}"


def test_a_phrasing_must_name_its_slots_and_its_command() -> None:
    router = Router("phrased")

    with pytest.raises(PhrasingError, match="no group for tag"):

        @router.command("打标签", phrasings=[(r"给(?P<who>.+)打标签", "打标签 {who} {tag}")])
        async def missing_slot(ctx: Context) -> str:
            return ""

    with pytest.raises(PhrasingError, match="does not start with"):

        @router.command("打标签", phrasings=[(r"给(?P<who>.+)打标签", "去标签 {who}")])
        async def other_command(ctx: Context) -> str:
            return ""

    with pytest.raises(PhrasingError, match="undeclared slots who"):

        @router.command(
            "打标签", slots=("customer",), phrasings=[(r"给(?P<who>.+)打标签", "打标签 {who}")]
        )
        async def undeclared(ctx: Context) -> str:
            return ""


async def test_a_natural_phrasing_runs_as_its_canonical_command(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("tags")

    @router.command(
        "打标签",
        slots=("who", "tag"),
        phrasings=[(r"给(?P<who>.+?)打个?标签\s*(?P<tag>.+)", "打标签 {who} {tag}")],
    )
    async def tag(ctx: Context) -> str:
        return f"{ctx.said} => 打标签 {ctx.args}"

    dispatcher = Dispatcher([router], clock=clock)
    assert await say(dispatcher, tenant, "给张总打个标签，重点客户") == [
        "给张总打个标签，重点客户 => 打标签 张总 重点客户"
    ]
    assert await say(dispatcher, tenant, "打标签 张总 重点客户") == [
        "打标签 张总 重点客户 => 打标签 张总 重点客户"
    ]


async def test_leaving_a_list_to_pick_from_needs_no_word(
    clock: FrozenClock, tenant: TenantInfo
) -> None:
    router = Router("lists")

    @router.command("列表")
    async def show_list(ctx: Context) -> str:
        assert ctx.conversation is not None
        await ctx.conversation.set("picking", {})
        return "1. 张三 2. 李四"

    @router.message(StateIs("picking", quiet=True), Regex(r"^\d$"))
    async def pick(ctx: Context) -> str:
        return f"选了 {ctx.update.text}"

    dispatcher = Dispatcher([router, work_router()], clock=clock)
    assert await say(dispatcher, tenant, "列表") == ["1. 张三 2. 李四"]
    assert await say(dispatcher, tenant, "工单 0001") == ["工单 0001"]  # no "已放弃" line
    assert await say(dispatcher, tenant, "2") == []  # and the list is no longer answerable


def test_a_phrasing_knows_the_words_every_match_contains() -> None:
    [phrasing] = compile_phrasings(
        [(r"给(?P<who>.+?)(?:打|加)个?标签\s*(?P<tag>.+)", "打标签 {who} {tag}")], ["打标签"]
    )
    assert phrasing.needs == ("给", "标签")
    assert phrasing.rewrite("给张总加个标签 重点") == "打标签 张总 重点"
    assert phrasing.rewrite("给张总加个备注 重点") is None  # skipped: no 标签 in it


def test_a_rewrite_keeps_line_breaks_and_tidies_spaces() -> None:
    [phrasing] = compile_phrasings(
        [(r"(?s)把欢迎语换成\s*(?P<text>.+)", "设置欢迎语 {text}")], ["设置欢迎语"]
    )
    assert phrasing.rewrite("把欢迎语换成  你好\n欢迎  光临 ") == "设置欢迎语 你好\n欢迎 光临"


def test_spaces_around_a_latin_name_are_typing_style_not_separators() -> None:
    table = RouteTable(tuple(flatten(all_routers())))
    assert table.rephrase("让 wangwu 做管理员") == "设为管理员 wangwu"
    assert table.rephrase("让wangwu做管理员") == "设为管理员 wangwu"
    # canonical syntax is never squeezed into something else
    assert table.rephrase("设为管理员 wangwu") is None
    assert table.rephrase("新建客户 王五 13800138000") is None
