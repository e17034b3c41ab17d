"""The follow-up lists (我的待办, 今天跟进; admins' 团队待办, 逾期), 跟进帮助 and 转给."""

from __future__ import annotations

from bot.crm.book import employee_label
from bot.dispatch.context import Context
from bot.dispatch.filters import Regex
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.followups import listing
from bot.followups.phrasings import (
    FOLLOWUP_HELP_EXAMPLES,
    FOLLOWUP_HELP_PHRASINGS,
    MY_TODOS_EXAMPLES,
    MY_TODOS_PHRASINGS,
    OVERDUE_TODOS_EXAMPLES,
    OVERDUE_TODOS_PHRASINGS,
    TEAM_TODOS_EXAMPLES,
    TEAM_TODOS_PHRASINGS,
    TODAY_TODOS_EXAMPLES,
    TODAY_TODOS_PHRASINGS,
)
from bot.followups.wording import time_words
from bot.people.resolve import answers_choice, resolve_colleague
from handlers.followups.lookup import own_number
from models.tenants import Role

router = Router(__name__, title="跟进", module="crm")

# The main 帮助 fills WeCom's 2,048-byte message, so follow-ups have their own page
# (帮助 points to it).
USAGE = "\n".join(
    (
        "【跟进】",
        "· 直接说：明天下午3点提醒我回访张总（不写时间我会问你）",
        "· 我的待办 / todo：看我所有没完成的跟进",
        "· 今天跟进 / today：看今天要跟进的（含逾期）",
        "· 每周一早上9点提醒我写周报：周期提醒（每天、每个工作日、每月1号、每月最后一天）",
        "· 我的周期提醒；停止周期提醒 2 或「不用再提醒我写周报了」",
        "· 完成 3 已报价，客户考虑中：完成并记下结果（记入客户动态）",
        "· 推迟 3 到周五：改时间",
        "· 取消 3：取消这条跟进",
        "· 不写编号也行：张总那个搞定了、王经理那个提醒往后延两天、取消明天给张总打电话的提醒",
        "· 刚安排完说错了：不对，是下周四 / 改成3点",
        "· 把3转给李四：转给同事",
        "· 团队待办、逾期：（管理员）看团队的跟进",
        "提醒卡片上可以直接点「完成」「推迟1小时」「明天再提醒」。",
    )
)
MINE = "你的待办（{count} 条）："
MINE_EMPTY = "你没有待办的跟进。试试发送「明天下午3点提醒我回访张总」。"
TODAY = "今天要跟进（含逾期，{count} 条）："
TODAY_EMPTY = "今天没有要跟进的事。"
TEAM = "团队待办（{count} 条）："
TEAM_EMPTY = "团队没有待办的跟进。"
OVERDUE = "逾期的跟进（{count} 条）："
OVERDUE_EMPTY = "没有逾期的跟进。"
HANDED = "已把跟进 #{number} 转给 {who}。"
HANDED_TO_YOU = "{by} 把跟进 #{number} 转给了你：{when} {content}"

IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)  # the team views work in the admins' group


@router.command(
    "跟进帮助",
    "followup help",
    help="",
    slots=(),
    examples=FOLLOWUP_HELP_EXAMPLES,
    phrasings=FOLLOWUP_HELP_PHRASINGS,
)
async def followup_help(ctx: Context) -> str:
    return USAGE


@router.command(
    "我的待办",
    "my todos",
    "todo",
    help="",
    slots=(),
    examples=MY_TODOS_EXAMPLES,
    phrasings=MY_TODOS_PHRASINGS,
)
async def my_todos(ctx: Context) -> str:
    """看我所有没完成的跟进"""
    assert ctx.employee is not None
    rows, total = await listing.open_followups(ctx.tenant.id, owner_id=ctx.employee.id)
    if not total:
        return MINE_EMPTY
    return listing.render(MINE, rows, total, ctx.tenant.timezone, ctx.clock.now(), team=False)


@router.command(
    "今天跟进",
    "today",
    help="",
    slots=(),
    examples=TODAY_TODOS_EXAMPLES,
    phrasings=TODAY_TODOS_PHRASINGS,
)
async def today_todos(ctx: Context) -> str:
    """看今天要跟进的（含逾期）"""
    assert ctx.employee is not None
    now = ctx.clock.now()
    before = listing.end_of_today(now, ctx.tenant.timezone)
    rows, total = await listing.open_followups(
        ctx.tenant.id, owner_id=ctx.employee.id, before=before
    )
    if not total:
        return TODAY_EMPTY
    return listing.render(TODAY, rows, total, ctx.tenant.timezone, now, team=False)


@router.message(Regex(r"^\s*把\s*#?([0-9]{1,9})\s*(?:号)?\s*转给\s*(\S+)\s*$"))
@answers_choice
async def hand_over(ctx: Context) -> str:
    assert ctx.match is not None
    return await _hand(ctx, int(ctx.match.group(1)), ctx.match.group(2))


async def _hand(ctx: Context, number: int, who: str) -> str:
    followup = await own_number(ctx, number)
    target = await resolve_colleague(ctx, who, what="接手跟进")
    followup.owner_id = target.id
    await followup.save(update_fields=["owner_id"])
    when = time_words(followup.due_at, ctx.tenant.timezone)
    by = employee_label(ctx.employee)
    content = followup.content
    ctx.send(
        target.userid,
        HANDED_TO_YOU.format(by=by, number=followup.number, when=when, content=content),
    )
    return HANDED.format(number=followup.number, who=employee_label(target))


@router.command(
    "团队待办",
    "team todos",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    help="",
    slots=(),
    examples=TEAM_TODOS_EXAMPLES,
    phrasings=TEAM_TODOS_PHRASINGS,
)
async def team_todos(ctx: Context) -> str:
    """（管理员）看团队所有没完成的跟进"""
    rows, total = await listing.open_followups(ctx.tenant.id)
    if not total:
        return TEAM_EMPTY
    return listing.render(TEAM, rows, total, ctx.tenant.timezone, ctx.clock.now(), team=True)


@router.command(
    "逾期",
    "overdue",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    help="",
    slots=(),
    examples=OVERDUE_TODOS_EXAMPLES,
    phrasings=OVERDUE_TODOS_PHRASINGS,
)
async def overdue_todos(ctx: Context) -> str:
    """（管理员）看团队逾期的跟进"""
    now = ctx.clock.now()
    rows, total = await listing.open_followups(ctx.tenant.id, before=now)
    if not total:
        return OVERDUE_EMPTY
    return listing.render(OVERDUE, rows, total, ctx.tenant.timezone, now, team=True)
