"""我的工单, 超时工单, 工单统计 and 工单 0001 ("工单统计" is never 工单 with the argument 统计:
the longest command word wins)."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.nlu.slots import tidy
from bot.tickets import listing, phrasings
from bot.tickets.detail import render_detail
from bot.tickets.numbers import LEADING_REF, REF_TEXT
from bot.tickets.people import may_dispatch
from bot.tickets.stats import DEFAULT_DAYS, ClockStats, TicketStats, ticket_stats
from bot.tickets.wording import STATUS_WORDS, duration_words
from handlers.tickets.create import ticket_or_refusal
from models.tenants import Role
from models.tickets import OPEN_STATUSES

router = Router(__name__, title="工单", module="tickets")

DETAIL_USAGE = "请写工单编号，例如：工单 0001 或 工单 GD-20261123-0001"
STATS_USAGE = "请按这个格式写：工单统计，或 工单统计 7（最近 7 天，1 到 365）"
STATS_HEADER = "工单统计（最近 {days} 天）"
BACKLOG = "当前未完成 {total} 张：{parts}；其中超时 {overdue} 张"
PERIOD = "新建 {created} 张，解决 {resolved} 张"
AVERAGES = "平均首次响应 {response}，平均解决 {resolution}"
HIT_RATES = "SLA 达标率：首次响应 {response}，解决 {resolution}"
BY_ASSIGNEE = "按负责人："
ASSIGNEE_LINE = "· {name}：未完成 {open}，已解决 {resolved}，平均解决 {average}，达标 {rate}"
NO_ASSIGNEES = "· 还没有派出的工单"
MAX_DAYS = 365
DETAIL_ASKED = re.compile(r"^(?:的)?(?:详情|进度|情况|处理记录)[\s：:]*")  # 工单进度 0001
# What 工单 takes: a ticket, perhaps after what is asked about it (工单进度 0001).
NAMED = re.compile(r"(?:的)?(?:(?:详情|进度|情况|处理记录)[\s：:]*)?" + LEADING_REF.pattern, re.I)
# 0002现在到哪一步了, 0002的情况发我: a number, then whatever is asked about that ticket
NUMBER_THEN_QUESTION = re.compile(rf"^(?P<ref>{REF_TEXT}(?:号|个|张)?)(?!\d)", re.I)
DETAIL_QUESTION = re.compile(
    r"\s*(?:的)?(?:详情|进度|情况|处理记录|记录|怎么样了|什么情况|到哪了|进展|处理到哪了|进度如何)"
    r"[?？吗呢]*$"
)


@router.command(
    "我的工单",
    "my tickets",
    examples=phrasings.MINE_EXAMPLES,
    phrasings=phrasings.MINE,
)
async def my_tickets(ctx: Context) -> str:
    """我的工单：派给我的未完成工单"""
    assert ctx.employee is not None, "text messages always carry their employee"
    query = listing.mine(ctx.tenant.id, ctx.employee.id)
    return await listing.render_list(
        query, listing.MINE_HEADER, listing.MINE_EMPTY, ctx.tenant.timezone, ctx.clock.now()
    )


@router.command(
    "超时工单",
    "overdue tickets",
    examples=phrasings.OVERDUE_EXAMPLES,
    phrasings=phrasings.OVERDUE,
)
async def overdue_tickets(ctx: Context) -> str:
    """超时工单：超过 SLA 的未完成工单（管理员、派单员看全部）"""
    assert ctx.employee is not None
    now = ctx.clock.now()
    mine_only = None if may_dispatch(ctx) else ctx.employee.id
    query = listing.overdue(ctx.tenant.id, now, mine_only)
    return await listing.render_list(
        query, listing.OVERDUE_HEADER, listing.OVERDUE_EMPTY, ctx.tenant.timezone, now
    )


@router.command(
    "工单统计",
    "ticket stats",
    roles=[Role.DISPATCHER],
    slots=("days",),
    examples=phrasings.STATS_EXAMPLES,
    phrasings=phrasings.STATS,
)
async def show_stats(ctx: Context) -> str:
    """工单统计 [天数]：按状态、响应与解决时长、SLA 达标率、按负责人（管理员、派单员）"""
    days = _days(ctx.args)
    return render_stats(await ticket_stats(ctx.tenant.id, ctx.clock.now(), days))


def _days(args: str) -> int:
    text = tidy("days", args.strip())  # 两周 is 14, 30天 is 30
    if not text:
        return DEFAULT_DAYS
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise UserFacingError(STATS_USAGE)
    return int(text)


def rate(met: int, measured: int) -> str:
    return f"{round(100 * met / measured)}%（{met}/{measured}）" if measured else "—"


def _clock(stats: ClockStats) -> tuple[str, str]:
    return duration_words(stats.average_seconds), rate(stats.met, stats.measured)


def render_stats(stats: TicketStats) -> str:
    parts = "、".join(f"{STATUS_WORDS[s]} {stats.backlog.get(s, 0)}" for s in OPEN_STATUSES)
    response_avg, response_rate = _clock(stats.response)
    resolution_avg, resolution_rate = _clock(stats.resolution)
    lines = [
        STATS_HEADER.format(days=stats.days),
        BACKLOG.format(total=sum(stats.backlog.values()), parts=parts, overdue=stats.overdue),
        PERIOD.format(created=stats.created, resolved=stats.resolved),
        AVERAGES.format(response=response_avg, resolution=resolution_avg),
        HIT_RATES.format(response=response_rate, resolution=resolution_rate),
        BY_ASSIGNEE,
    ]
    lines += [
        ASSIGNEE_LINE.format(
            name=a.name,
            open=a.open,
            resolved=a.resolved,
            average=duration_words(a.average_resolution),
            rate=rate(a.met, a.measured),
        )
        for a in stats.assignees
    ] or [NO_ASSIGNEES]
    return "\n".join(lines)


@router.command(
    "工单",
    "ticket",
    slots=("ticket",),
    args_like=NAMED,
    examples=phrasings.SHOW_EXAMPLES,
    phrasings=phrasings.SHOW,
)
async def show_ticket(ctx: Context) -> str:
    """工单 0001：看工单详情和处理记录"""
    # 工单0001怎么样了: the question after the number asks for this same detail
    ref = DETAIL_QUESTION.sub("", DETAIL_ASKED.sub("", ctx.args.strip()))
    numbered = NUMBER_THEN_QUESTION.match(ref)
    if numbered is not None:
        ref = numbered.group("ref")
    if not ref:
        raise UserFacingError(DETAIL_USAGE)
    ticket = await ticket_or_refusal(ctx, ref)
    return await render_detail(ticket, ctx.tenant.timezone)
