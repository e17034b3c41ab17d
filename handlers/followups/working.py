"""完成 / 推迟 / 取消 a follow-up, by number or by what people call it:
完成第2条, 张总那个搞定了, 3号那个推到明天, 王经理那个提醒往后延两天, 取消明天给张总打电话的提醒."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.followups import store
from bot.followups.phrasings import (
    CANCEL_FOLLOWUP_EXAMPLES,
    CANCEL_FOLLOWUP_PHRASINGS,
    COMPLETE_FOLLOWUP_EXAMPLES,
    COMPLETE_FOLLOWUP_PHRASINGS,
    POSTPONE_FOLLOWUP_EXAMPLES,
    POSTPONE_FOLLOWUP_PHRASINGS,
)
from bot.followups.requests import IN_THE_PAST, due_time
from bot.followups.wording import time_words
from bot.nlu.numerals import to_int
from bot.nlu.timecalendar import add_months
from bot.nlu.timeparse import parse_time
from bot.surveys.followups import survey_followup_done
from handlers.followups.lookup import (
    PickStep,
    described,
    number_and_rest,
    numbered,
    offer_pick,
    own,
    own_number,
)
from models.followups import Followup, FollowupStatus

router = Router(__name__, title="跟进", module="crm")

DONE_USAGE = "请写跟进编号，例如：完成 3 已报价，客户考虑中"
LATER_USAGE = "请写编号和新时间，例如：推迟 3 到周五"
LATER_NO_TIME = "没看懂「{text}」这个时间，例如：推迟 3 到周五、推迟 3 到明天下午4点"
CANCEL_USAGE = "请写跟进编号，例如：取消 3"
DONE = "已完成跟进 #{number}：{content}{note}"
MOVED = "已把跟进 #{number} 改到 {when}。"
CANCELLED = "已取消跟进 #{number}：{content}"
PICK_RANGE = "请回复 1 到 {count} 之间的序号，或回复「取消」放弃。"
PICK_CANCELLED = "好的，什么都没改。"
GONE = "那条跟进已经不在待办里了，发送「我的待办」看看。"

_SHIFT = re.compile(
    r"^(?:往后|向后|延后|推迟|推后|延迟|延|推|挪|再)*\s*"
    r"(?P<count>[0-9]{1,3}|[一二两三四五六七八九十]{1,3})?个?(?P<half>半)?个?"
    r"(?P<unit>分钟|小时|钟头|天|日|周|星期|礼拜|月)$"
)
_UNIT_MINUTES = {
    "分钟": 1,
    "小时": 60,
    "钟头": 60,
    "天": 1440,
    "日": 1440,
    "周": 10080,
    "星期": 10080,
    "礼拜": 10080,
}
# A description ends in a pointing word; what follows a space after it is the result.
_DESCRIBED_THEN_NOTE = re.compile(
    r"^(?P<ref>\S+?(?:那个|那条|那件|这个|这条|这件|那事|这事|提醒|跟进|待办|任务|回访|事情))\s+"
    r"(?P<note>\S.*)$",
    re.S,
)
_SHIFT_SPLIT = re.compile(r"^(?P<ref>.+?)\s*(?:往后|向后)\s*(?P<when>.+)$")
_TO_SPLIT = re.compile(r"^(?P<ref>.+)\s*(?:到|至)\s*(?P<when>.+)$")

Action = Callable[[Context, Followup, str], Awaitable[str]]


async def _complete(ctx: Context, followup: Followup, note: str) -> str:
    await store.complete(followup, ctx.clock.now(), note, ctx.employee)
    await survey_followup_done(ctx, followup)
    tail = f"（{note}）" if note else ""
    return DONE.format(number=followup.number, content=followup.content, note=tail)


async def _cancel(ctx: Context, followup: Followup, _: str) -> str:
    await store.close(followup, FollowupStatus.CANCELLED, ctx.clock.now())
    return CANCELLED.format(number=followup.number, content=followup.content)


async def _postpone(ctx: Context, followup: Followup, when: str) -> str:
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    await store.move(followup, new_due(when, followup, now))
    moved = time_words(followup.due_at, ctx.tenant.timezone)
    return MOVED.format(number=followup.number, when=moved)


ACTIONS: dict[str, tuple[Action, str]] = {
    "complete": (_complete, "完成 {number}"),
    "cancel": (_cancel, "取消 {number}"),
    "postpone": (_postpone, "推迟 {number} 到周五"),
}


def _shifted(found: re.Match[str], due: datetime) -> datetime | None:
    count = to_int(found.group("count") or "", digit_strings=False)
    if count is None and not found.group("half"):
        return None
    count = count or 0
    unit = found.group("unit")
    if unit == "月":
        moved = add_months(due.date(), count)
        if moved is None:
            return None
        shifted = due.replace(year=moved.year, month=moved.month, day=moved.day)
        return shifted + (timedelta(days=15) if found.group("half") else timedelta())
    minutes = count * _UNIT_MINUTES[unit] + (_UNIT_MINUTES[unit] // 2 if found.group("half") else 0)
    return due + timedelta(minutes=minutes)


def new_due(when: str, followup: Followup, now: datetime) -> datetime:
    """往后两天 counts from the follow-up's own time; 到周五 / 明天下午4点 is a time (a day
    alone keeps the hour)."""
    text = when.strip().removeprefix("到").removeprefix("至").strip()
    if not text:
        raise UserFacingError(LATER_USAGE)
    shift = _SHIFT.match(text)
    if shift is not None:
        due = _shifted(shift, followup.due_at.astimezone(now.tzinfo))
        if due is None:
            raise UserFacingError(LATER_NO_TIME.format(text=text))
        if due < now - timedelta(minutes=1):
            raise UserFacingError(IN_THE_PAST.format(when=time_words(due, now.tzinfo)))
        return due
    parsed = parse_time(text, now)
    if parsed is None:
        raise UserFacingError(LATER_NO_TIME.format(text=text))
    return due_time(parsed, now, keep_time=followup.due_at)


async def _act(ctx: Context, action: str, ref: str, rest: str) -> str:
    """One follow-up fits ``ref``: do it; several: ask which."""
    number = numbered(ref)
    if number is not None:
        return await ACTIONS[action][0](ctx, await own_number(ctx, number), rest)
    found = await described(ctx, ref, ACTIONS[action][1])
    if len(found) == 1:
        return await ACTIONS[action][0](ctx, found[0], rest)
    return await offer_pick(ctx, found, ref, action, rest)


@router.command(
    "完成",
    "done",
    help="",
    slots=("ref", "note"),
    examples=COMPLETE_FOLLOWUP_EXAMPLES,
    phrasings=COMPLETE_FOLLOWUP_PHRASINGS,
)
async def complete_followup(ctx: Context) -> str:
    """完成一条跟进并记下结果，例如：完成 3 已报价；张总那个搞定了"""
    args = ctx.args.strip()
    if not args:
        raise UserFacingError(DONE_USAGE)
    if numbered(args) is None and number_and_rest(args) is not None:
        followup, note = await own(ctx, args, DONE_USAGE)  # 完成 3 已报价: a note follows
        return await _complete(ctx, followup, note)
    described = _DESCRIBED_THEN_NOTE.match(args)  # 完成 陈老师的提醒 已经联系过
    if described is not None:
        return await _act(ctx, "complete", described.group("ref"), described.group("note"))
    return await _act(ctx, "complete", args, "")


def _postpone_parts(args: str) -> tuple[str, str]:
    """推迟 3 到周五 / 推迟 王经理那个 往后 两天 / 推迟 3 周五."""
    split = _SHIFT_SPLIT.match(args) or _TO_SPLIT.match(args)
    if split is not None:
        return split.group("ref").strip(), split.group("when").strip()
    found = number_and_rest(args)
    if found is None:
        raise UserFacingError(LATER_USAGE)
    return str(found[0]), found[1]


@router.command(
    "推迟",
    "postpone",
    help="",
    slots=("ref", "when"),
    fill="推迟 {ref} 到 {when}",
    examples=POSTPONE_FOLLOWUP_EXAMPLES,
    phrasings=POSTPONE_FOLLOWUP_PHRASINGS,
)
async def postpone_followup(ctx: Context) -> str:
    """改跟进时间，例如：推迟 3 到周五；王经理那个提醒往后延两天"""
    ref, when = _postpone_parts(ctx.args)
    if not when:
        raise UserFacingError(LATER_USAGE)
    return await _act(ctx, "postpone", ref, when)


@router.command(
    "取消",
    "cancel",
    help="",
    slots=("ref",),
    examples=CANCEL_FOLLOWUP_EXAMPLES,
    phrasings=CANCEL_FOLLOWUP_PHRASINGS,
)
async def cancel_followup(ctx: Context) -> str:
    """取消一条跟进，例如：取消 3；取消明天给张总打电话的提醒"""
    args = ctx.args.strip()
    if not args:
        raise UserFacingError(CANCEL_USAGE)
    if numbered(args) is None and number_and_rest(args) is not None:
        followup, _ = await own(ctx, args, CANCEL_USAGE)
        return await _cancel(ctx, followup, "")
    return await _act(ctx, "cancel", args, "")


@router.message(StateIs(PickStep.PICK_FOLLOWUP), Command("取消", "cancel", "算了", "不用了"))
async def drop_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return PICK_CANCELLED


@router.message(StateIs(PickStep.PICK_FOLLOWUP), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_followup(ctx: Context) -> str:
    assert ctx.conversation is not None and ctx.match is not None
    data = ctx.conversation.data
    ids = [int(i) for i in data["ids"]]
    choice = int(ctx.match.group(1))
    if not 1 <= choice <= len(ids):
        return PICK_RANGE.format(count=len(ids))
    await ctx.conversation.clear()
    followup = await Followup.get_or_none(
        id=ids[choice - 1], tenant_id=ctx.tenant.id, status=FollowupStatus.OPEN
    )
    if followup is None:
        return GONE
    return await ACTIONS[str(data["action"])][0](ctx, followup, str(data["rest"]))
