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

# 把? then a number (3号, 第2条) or a description ending in a pointing word (张总那个,
# 明天给张总打电话的提醒): the phrasings below only fire on what clearly names a follow-up.
# A recurring reminder (周报的周期提醒) is stopped, not cancelled (handlers.followups.recurring).
REF = (
    r"(?!.*(?:周期|定时|重复|循环)提醒)把?(?P<ref>第?[0-9]{1,6}(?:号|条)?(?:那个|那条|这个|这条)?(?:跟进|提醒|待办)?"
    r"|[^\s，,]{1,20}?(?:那个|那条|这个|这条|的提醒|的跟进|的待办|提醒|跟进|待办)(?:提醒|跟进)?)"
)
AMOUNT = (
    r"(?:(?:[0-9]{1,3}|[一二两三四五六七八九十]{1,3})个?半?|半个?)"
    r"(?:分钟|小时|钟头|天|日|周|星期|礼拜|月)"
)
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
_SHIFT_SPLIT = re.compile(r"^(?P<ref>.+?)\s*(?:往后|向后)\s*(?P<when>.+)$")
_TO_SPLIT = re.compile(r"^(?P<ref>.+)\s*(?:到|至)\s*(?P<when>.+)$")
_DONE_WORDS = r"(?:已经|我)?(?:完成|搞定|做完|办完|弄好|办好|处理好|处理完)了?"

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
    examples=(
        "完成 3 已报价，客户考虑中",
        "完成第2条",
        "完成第2条 客户说下周定",
        "张总那个搞定了",
        "王经理那个提醒完成了",
        "给张总打电话那个已经做完了",
        "3号那个搞定了",
        "第3条完成了",
        "2号搞定",
        "报价那个弄好了",
        "回访张总的跟进处理完了",
        "李总那个已经办完了",
        "5号那个做完了",
        "完成 张总那个",
        "done 3",
        "第1条已经完成了",
        "寄样品那个搞定",
        "合同那条已经处理好了",
        "发报价单那个我做完了",
        "这条提醒完成了",
        "陈总那个跟进搞定了",
    ),
    phrasings=(
        (r"完成第(?P<ref>[0-9]{1,6})(?:条|号)\s*(?P<note>.*)", "完成 {ref} {note}"),
        (REF + _DONE_WORDS, "完成 {ref}"),
        (r"第?(?P<ref>[0-9]{1,6})(?:号|条)" + _DONE_WORDS, "完成 {ref}"),
    ),
)
async def complete_followup(ctx: Context) -> str:
    """完成一条跟进并记下结果，例如：完成 3 已报价；张总那个搞定了"""
    args = ctx.args.strip()
    if not args:
        raise UserFacingError(DONE_USAGE)
    if numbered(args) is None and number_and_rest(args) is not None:
        followup, note = await own(ctx, args, DONE_USAGE)  # 完成 3 已报价: a note follows
        return await _complete(ctx, followup, note)
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
    examples=(
        "推迟 3 到周五",
        "推迟 3 到明天下午4点",
        "推迟第2条到下周一",
        "3号那个推到明天",
        "王经理那个提醒往后延两天",
        "张总那个往后推一天",
        "把2号推到后天上午10点",
        "第4条改到周五",
        "给李总打电话那个挪到下午5点",
        "报价那个推迟一周",
        "把回访张总的提醒延后三天",
        "合同那条往后挪半天",
        "3号那个延后2小时",
        "王经理那个推到下周三",
        "推迟 王经理那个 到 周五",
        "寄样品的提醒改到明天上午",
        "5号那个往后延一个星期",
        "这条提醒推到明天",
        "张总那个提醒晚两天",
        "postpone 3 到周五",
        "陈总那个跟进推迟到月底",
    ),
    phrasings=(
        (
            REF + r"(?:往后|向后)?(?:延|推|挪|拖|顺延|延后|推迟|推后|延迟|晚)(?:迟|后)?"
            r"(?P<when>" + AMOUNT + ")",
            "推迟 {ref} 往后 {when}",
        ),
        (
            REF + r"(?:推到|挪到|改到|延到|推迟到|延后到|换到|改在|推至)(?P<when>.+)",
            "推迟 {ref} 到 {when}",
        ),
        (r"推迟第(?P<ref>[0-9]{1,6})(?:条|号)到(?P<when>.+)", "推迟 {ref} 到 {when}"),
    ),
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
    examples=(
        "取消 3",
        "取消第2条",
        "取消明天给张总打电话的提醒",
        "取消王经理那个提醒",
        "把3号那个取消",
        "张总那个提醒不要了",
        "回访李总的提醒取消吧",
        "删掉给张总打电话的提醒",
        "把报价那个删了",
        "2号那个不要了",
        "取消 寄样品那个",
        "合同那条提醒取消掉",
        "把周五发报价的提醒删掉",
        "删除第4条",
        "cancel 3",
        "王经理那个跟进不要了",
        "取消下周三回访张总的提醒",
        "把这条提醒取消",
        "陈总那个删掉吧",
        "第5条不要了",
    ),
    phrasings=(
        (REF + r"(?:取消|取消掉|删掉|删了|删除|不要了|去掉)(?:吧|了)?", "取消 {ref}"),
        (
            r"(?!.*(?:周期|定时|重复|循环)提醒)(?:删掉|删除|去掉)"
            r"(?P<ref>.+?(?:的提醒|的跟进|那个|那条|提醒))",
            "取消 {ref}",
        ),
        (r"(?:删掉|删除)第(?P<ref>[0-9]{1,6})(?:条|号)", "取消 {ref}"),
    ),
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
