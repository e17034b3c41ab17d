"""Working a follow-up by its number: lists, 完成, 推迟, 取消, 转给; admins' team views."""

from __future__ import annotations

import re

from bot.crm.book import employee_label, find_employee
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Regex
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.followups import listing, store
from bot.followups.requests import due_time
from bot.followups.wording import time_words
from bot.nlu.timeparse import parse_time
from bot.surveys.followups import survey_followup_done
from models.followups import Followup, FollowupStatus
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
        "· 完成 3 已报价，客户考虑中：完成并记下结果（记入客户动态）",
        "· 推迟 3 到周五：改时间",
        "· 取消 3：取消这条跟进",
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
DONE_USAGE = "请写跟进编号，例如：完成 3 已报价，客户考虑中"
LATER_USAGE = "请写编号和新时间，例如：推迟 3 到周五"
LATER_NO_TIME = "没看懂「{text}」这个时间，例如：推迟 3 到周五、推迟 3 到明天下午4点"
CANCEL_USAGE = "请写跟进编号，例如：取消 3"
NOT_FOUND = "没有编号为 {number} 的跟进。发送「我的待办」查看编号。"
NOT_YOURS = "跟进 #{number} 是 {owner} 的，只有他本人或管理员可以改。"
NOT_OPEN = "跟进 #{number} 已{status}，不能再改。"
STATUS_WORDS = {FollowupStatus.DONE: "完成", FollowupStatus.CANCELLED: "取消"}
DONE = "已完成跟进 #{number}：{content}{note}"
MOVED = "已把跟进 #{number} 改到 {when}。"
CANCELLED = "已取消跟进 #{number}：{content}"
NO_SUCH_PERSON = "没找到同事「{who}」，请写他的企业微信账号或名字。"
HANDED = "已把跟进 #{number} 转给 {who}。"
HANDED_TO_YOU = "{by} 把跟进 #{number} 转给了你：{when} {content}"

IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)  # the team views work in the admins' group
_NUMBER_REST = re.compile(r"^#?\s*([0-9]{1,9})\s*[，,：:]?\s*(.*)$", re.S)


async def _own(ctx: Context, args: str, usage: str) -> tuple[Followup, str]:
    """The follow-up named by the number at the start of ``args``, if the speaker may change
    it, and the rest of the text."""
    match = _NUMBER_REST.match(args.strip())
    if match is None:
        raise UserFacingError(usage)
    number = int(match.group(1))
    followup = await store.by_number(ctx.tenant.id, number)
    if followup is None:
        raise UserFacingError(NOT_FOUND.format(number=number))
    await followup.fetch_related("owner")
    mine = ctx.employee is not None and followup.owner_id == ctx.employee.id
    if not mine and not ctx.is_admin:
        raise UserFacingError(NOT_YOURS.format(number=number, owner=employee_label(followup.owner)))
    if followup.status is not FollowupStatus.OPEN:
        status = STATUS_WORDS[followup.status]
        raise UserFacingError(NOT_OPEN.format(number=number, status=status))
    return followup, match.group(2).strip()


@router.command("跟进帮助", "followup help", help="")
async def followup_help(ctx: Context) -> str:
    return USAGE


@router.command("我的待办", "my todos", "todo", help="")
async def my_todos(ctx: Context) -> str:
    """看我所有没完成的跟进"""
    assert ctx.employee is not None
    rows, total = await listing.open_followups(ctx.tenant.id, owner_id=ctx.employee.id)
    if not total:
        return MINE_EMPTY
    return listing.render(MINE, rows, total, ctx.tenant.timezone, ctx.clock.now(), team=False)


@router.command("今天跟进", "today", help="")
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


@router.command("完成", "done", help="")
async def complete_followup(ctx: Context) -> str:
    """完成一条跟进并记下结果，例如：完成 3 已报价，客户考虑中"""
    followup, note = await _own(ctx, ctx.args, DONE_USAGE)
    await store.complete(followup, ctx.clock.now(), note, ctx.employee)
    await survey_followup_done(ctx, followup)
    tail = f"（{note}）" if note else ""
    return DONE.format(number=followup.number, content=followup.content, note=tail)


@router.command("推迟", "postpone", help="")
async def postpone_followup(ctx: Context) -> str:
    """改跟进时间，例如：推迟 3 到周五"""
    followup, rest = await _own(ctx, ctx.args, LATER_USAGE)
    rest = rest.removeprefix("到").removeprefix("至").strip()
    if not rest:
        raise UserFacingError(LATER_USAGE)
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    parsed = parse_time(rest, now)
    if parsed is None:
        raise UserFacingError(LATER_NO_TIME.format(text=rest))
    await store.move(followup, due_time(parsed, now, keep_time=followup.due_at))
    when = time_words(followup.due_at, ctx.tenant.timezone)
    return MOVED.format(number=followup.number, when=when)


@router.command("取消", "cancel", help="")
async def cancel_followup(ctx: Context) -> str:
    """取消一条跟进，例如：取消 3"""
    followup, _ = await _own(ctx, ctx.args, CANCEL_USAGE)
    await store.close(followup, FollowupStatus.CANCELLED, ctx.clock.now())
    return CANCELLED.format(number=followup.number, content=followup.content)


@router.message(Regex(r"^\s*把\s*#?([0-9]{1,9})\s*(?:号)?\s*转给\s*(\S+)\s*$"))
async def hand_over(ctx: Context) -> str:
    assert ctx.match is not None
    followup, _ = await _own(ctx, ctx.match.group(1), CANCEL_USAGE)
    who = ctx.match.group(2)
    target = await find_employee(ctx.tenant.id, who)
    if target is None:
        raise UserFacingError(NO_SUCH_PERSON.format(who=who))
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


@router.command("团队待办", "team todos", roles=[Role.ADMIN], chats=IN_GROUPS, help="")
async def team_todos(ctx: Context) -> str:
    """（管理员）看团队所有没完成的跟进"""
    rows, total = await listing.open_followups(ctx.tenant.id)
    if not total:
        return TEAM_EMPTY
    return listing.render(TEAM, rows, total, ctx.tenant.timezone, ctx.clock.now(), team=True)


@router.command("逾期", "overdue", roles=[Role.ADMIN], chats=IN_GROUPS, help="")
async def overdue_todos(ctx: Context) -> str:
    """（管理员）看团队逾期的跟进"""
    now = ctx.clock.now()
    rows, total = await listing.open_followups(ctx.tenant.id, before=now)
    if not total:
        return OVERDUE_EMPTY
    return listing.render(OVERDUE, rows, total, ctx.tenant.timezone, now, team=True)
