"""Right after a reminder is made, 不对，是下周四 / 改成3点 moves it: the time changes, the
content stays. Only within CORRECTION_WINDOW of making it, and only the speaker's latest
(a recurring reminder just set takes a new time of day: 改成8点)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.followups import store
from bot.followups.requests import IN_THE_PAST, due_time
from bot.followups.rules import recurrence_of
from bot.followups.wording import time_words
from bot.nlu.timeparse import parse_time
from models.followups import Followup, FollowupStatus, RecurringRule

router = Router(__name__, title="跟进", module="crm")

CORRECTION_WINDOW = timedelta(minutes=10)
USAGE = "请写新的时间，例如：改成3点、不对，是下周四"
NOTHING_RECENT = (
    "没有刚安排的提醒可以改（只能改 10 分钟内新建的）。"
    "要改时间请发送「推迟 编号 到周五」，发送「我的待办」查看编号。"
)
NO_TIME = "没看懂「{text}」这个时间，例如：改成3点、改成下周四上午10点"
CORRECTED = "好的，已把跟进 #{number}「{content}」改到 {when}。"
RULE_CORRECTED = "好的，周期提醒 #{number}「{content}」改为 {rule}，下次提醒：{next}。"
RULE_DAY = "周期提醒只能这样改时间（例如：改成8点）；要换日子请「停止周期提醒 {number}」后重新设。"
# Words that name a day: without one, 改成3点 keeps the reminder's own day.
_DAY_WORDS = re.compile(r"[天周号日月年]|星期|礼拜|明|后|今|昨|早|晚|前")
# The time a correction names has a digit, a numeral before 点, or a day word.
WHEN = (
    r"(?P<when>[^，,。]*?(?:[0-9一二三四五六七八九十两]|今|明|后天|周|星期|礼拜|号"
    r"|上午|下午|晚上|早上|中午)[^，,。]*)"
)
_LEAD = r"(?:不对|不是|错了|说错了|搞错了)[，,。!！\s]*(?:是|应该是|改成|改为|换成|改到)?"


async def _latest_recent(ctx: Context, now: datetime) -> Followup | None:
    assert ctx.employee is not None
    return (
        await Followup.filter(
            tenant_id=ctx.tenant.id,
            owner_id=ctx.employee.id,
            status=FollowupStatus.OPEN,
            # In UTC, as stored: SQLite compares the stored text.
            created_at__gte=(now - CORRECTION_WINDOW).astimezone(UTC),
        )
        .order_by("-created_at", "-id")
        .first()
    )


async def _latest_recent_rule(ctx: Context, now: datetime) -> RecurringRule | None:
    assert ctx.employee is not None
    return (
        await RecurringRule.filter(
            tenant_id=ctx.tenant.id,
            owner_id=ctx.employee.id,
            active=True,
            created_at__gte=(now - CORRECTION_WINDOW).astimezone(UTC),
        )
        .order_by("-created_at", "-id")
        .first()
    )


async def _correct_rule(ctx: Context, rule: RecurringRule, text: str, now: datetime) -> str:
    if _names_a_day(text):
        raise UserFacingError(RULE_DAY.format(number=rule.number))
    parsed = parse_time(text, now.replace(hour=0, minute=0, second=0, microsecond=0))
    if parsed is None:
        raise UserFacingError(NO_TIME.format(text=text))
    rule.minute_of_day = parsed.start.hour * 60 + parsed.start.minute
    recurrence = recurrence_of(rule)
    rule.next_at = recurrence.next_after(now, ctx.tenant.timezone).astimezone(UTC)
    await rule.save(update_fields=["minute_of_day", "next_at"])
    return RULE_CORRECTED.format(
        number=rule.number,
        content=rule.content,
        rule=recurrence.words(),
        next=time_words(rule.next_at, ctx.tenant.timezone),
    )


def _names_a_day(text: str) -> bool:
    return _DAY_WORDS.search(re.sub(r"[上下]午|中午|晚上|早上", "", text)) is not None


def corrected_due(text: str, followup: Followup, now: datetime) -> datetime:
    """下周四 keeps the hour; 3点 keeps the day (15:00 on the reminder's own day)."""
    if _names_a_day(text):
        parsed = parse_time(text, now)
        if parsed is None:
            raise UserFacingError(NO_TIME.format(text=text))
        return due_time(parsed, now, keep_time=followup.due_at)
    local_due = followup.due_at.astimezone(now.tzinfo)
    day_start = local_due.replace(hour=0, minute=0, second=0, microsecond=0)
    parsed = parse_time(text, day_start)
    if parsed is None:
        raise UserFacingError(NO_TIME.format(text=text))
    due = parsed.start.replace(year=local_due.year, month=local_due.month, day=local_due.day)
    if due < now - timedelta(minutes=1):
        raise UserFacingError(IN_THE_PAST.format(when=time_words(due, now.tzinfo)))
    return due


@router.command(
    "改成",
    "改为",
    help="",
    intent="followups.correct_followup",
    slots=("when",),
    examples=(
        "改成3点",
        "不对，是下周四",
        "改成下午4点",
        "不对，改成明天",
        "错了，是周五",
        "说错了，应该是后天上午10点",
        "不是，是下午两点",
        "改为周三",
        "不对 是3点半",
        "搞错了，改成下周一上午9点",
    ),
    phrasings=((_LEAD + WHEN, "改成 {when}"),),
)
async def correct_followup(ctx: Context) -> str:
    """刚安排的提醒说错了时间：改成3点、不对，是下周四"""
    text = ctx.args.strip()
    if not text:
        raise UserFacingError(USAGE)
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    followup = await _latest_recent(ctx, now)
    rule = await _latest_recent_rule(ctx, now)
    if rule is not None and (followup is None or rule.created_at > followup.created_at):
        return await _correct_rule(ctx, rule, text, now)
    if followup is None:
        raise UserFacingError(NOTHING_RECENT)
    await store.move(followup, corrected_due(text, followup, now))
    when = time_words(followup.due_at, ctx.tenant.timezone)
    return CORRECTED.format(number=followup.number, content=followup.content, when=when)
