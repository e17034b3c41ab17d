"""Recurring reminders: 我的周期提醒 lists them; 停止周期提醒 2 / 停止 周报提醒 /
不用再提醒我写周报了 stops one (or, when no recurring reminder fits, cancels the one-off
reminder that does)."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.followups.matching import key_of, open_followups_described, rules_described
from bot.followups.rules import active_rules, recurrence_of, stop_rule
from bot.followups.store import close
from bot.followups.wording import time_words
from handlers.followups.lookup import numbered
from models.followups import FollowupStatus, RecurringRule

router = Router(__name__, title="跟进", module="crm")

LISTED = "你的周期提醒（{count} 条）："
LINE = "#{number} {rule} {content}（下次 {next}）"
LIST_HINT = "不要了发送「停止周期提醒 编号」。"
NONE = "你没有周期提醒。试试发送「每周一早上9点提醒我写周报」。"
STOP_USAGE = "请写周期提醒的编号或内容，例如：停止周期提醒 2、停止 周报提醒"
STOPPED = "好的，周期提醒 #{number}「{content}」已停止，以后不再提醒。"
NO_NUMBER = "没有编号为 {number} 的周期提醒。发送「我的周期提醒」查看编号。"
NO_MATCH = "没找到对得上「{text}」的周期提醒。"
SEVERAL = "有 {count} 条周期提醒对得上「{text}」：\n{lines}\n请发送「停止周期提醒 编号」。"
ONE_OFF_CANCELLED = "好的，已取消跟进 #{number}：{content}"


def _lines(rules: list[RecurringRule], ctx: Context) -> list[str]:
    tz = ctx.tenant.timezone
    return [
        LINE.format(
            number=rule.number,
            rule=recurrence_of(rule).words(),
            content=rule.content,
            next=time_words(rule.next_at, tz),
        )
        for rule in rules
    ]


@router.command(
    "我的周期提醒",
    "周期提醒",
    "recurring reminders",
    help="",
    intent="followups.list_recurring",
    slots=(),
    examples=(
        "我的周期提醒",
        "周期提醒",
        "recurring reminders",
        "看看我的周期提醒",
        "我有哪些周期提醒",
        "我的定时提醒",
        "我的重复提醒",
        "查看周期提醒",
        "列出我的周期提醒",
        "我设了哪些周期提醒",
        "我都设了哪些定时提醒",
        "周期提醒列表",
        "定时提醒有哪些",
        "我的每周提醒",
        "我的每天提醒",
        "看一下定时提醒",
        "我有几个周期提醒",
        "循环提醒有哪些",
        "我的循环提醒",
        "查一下我的重复提醒",
    ),
    phrasings=(
        (
            r"(?:看看|看一下|查看|查一下|列出)?(?:我的|我)?(?:都)?(?:设了|有)?(?:哪些|几个)?"
            r"(?:周期|定时|重复|循环|每周|每天|每月)提醒(?:列表|清单|有哪些)?",
            "我的周期提醒",
        ),
        (
            # 「每天都会提醒我的那些有哪些」「定期提醒列一下」
            r"(?:每天|每周|每月|定期|按时)(?:都会|都要|会)?提醒我的(?:那些|那几个|那几条)?(?:有哪些|是哪些|列一下)?[?？]*"
            r"|(?:定期|周期|定时|重复|循环)提醒(?:列一下|列出来|都有哪些|看一下)[?？]*",
            "我的周期提醒",
        ),
    ),
)
async def list_recurring(ctx: Context) -> str:
    """看我的周期提醒"""
    assert ctx.employee is not None
    rules = await active_rules(ctx.tenant.id, ctx.employee.id)
    if not rules:
        return NONE
    return "\n".join([LISTED.format(count=len(rules)), *_lines(rules, ctx), LIST_HINT])


@router.command(
    "停止周期提醒",
    "停止提醒",
    "停止",
    "stop reminder",
    help="",
    intent="followups.stop_recurring",
    slots=("ref",),
    examples=(
        "停止周期提醒 2",
        "停止 周报提醒",
        "不用再提醒我写周报了",
        "停止提醒 看日报",
        "别再提醒我看日报了",
        "不要再提醒我写日志了",
        "取消周期提醒 2",
        "取消写周报的周期提醒",
        "关掉写周报的周期提醒",
        "对账的定时提醒关掉",
        "周报提醒停掉",
        "以后不用提醒我对账了",
        "不用每天提醒我看日报了",
        "停掉周期提醒 3",
        "stop reminder 2",
        "关闭周期提醒 1",
        "日报的周期提醒关了吧",
        "不需要再提醒我交报表了",
        "停止 每月对账",
        "把周报的周期提醒取消",
        "写周报那个周期提醒不用再提醒了",
    ),
    phrasings=(
        (
            r"(?:以后)?(?:不用|不要|别|不需要|不必)(?:再)?(?:每天|每周|每月)?提醒我(?P<ref>.+?)了?",
            "停止 {ref}",
        ),
        (r"(?:取消|停掉|关掉|关闭)(?:周期|定时)提醒\s*(?P<ref>[0-9]{1,6})", "停止周期提醒 {ref}"),
        (
            r"(?:取消|停掉|关掉|关闭)(?P<ref>.+?)的?(?:周期|定时|重复)提醒",
            "停止 {ref}",
        ),
        (
            r"把?(?P<ref>.+?)的?(?:周期提醒|定时提醒|提醒)"
            r"(?:停了|停掉|关了|关掉|取消了?|关闭)(?:吧)?",
            "停止 {ref}",
        ),
        # 周一那个重复提醒别再提醒了: a recurring one named, then told to stop
        (
            r"(?P<ref>[^，,。\s]{1,16}?)(?:那个|这个)?(?:重复|周期|定时|每周|每天|每月)提醒"
            r"[，,\s]*(?:就)?(?:别再|不用再|不要再|不需要再)(?:提醒|发|响)了?(?:吧)?",
            "停止 {ref}",
        ),
    ),
)
async def stop_recurring(ctx: Context) -> str:
    """停止一条周期提醒，例如：停止周期提醒 2、停止 周报提醒"""
    assert ctx.employee is not None
    text = ctx.args.strip()
    if not text:
        raise UserFacingError(STOP_USAGE)
    rules = await active_rules(ctx.tenant.id, ctx.employee.id)
    number = numbered(text)
    if number is not None:
        chosen = [rule for rule in rules if rule.number == number]
        if not chosen:
            raise UserFacingError(NO_NUMBER.format(number=number))
    else:
        chosen = rules_described(rules, text)
    if len(chosen) == 1:
        await stop_rule(chosen[0], ctx.clock.now())
        return STOPPED.format(number=chosen[0].number, content=chosen[0].content)
    if chosen:
        lines = "\n".join(_lines(chosen, ctx))
        return SEVERAL.format(count=len(chosen), text=text, lines=lines)
    return await _one_off_instead(ctx, text, rules)


async def _one_off_instead(ctx: Context, text: str, rules: list[RecurringRule]) -> str:
    """不用再提醒我给张总打电话了 about a one-off reminder cancels it, when exactly one fits."""
    assert ctx.employee is not None
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    found = await open_followups_described(ctx.tenant.id, ctx.employee.id, text, now)
    one_off = [f for f in found if f.rule_id is None]
    if key_of(text) and len(one_off) == 1:
        await close(one_off[0], FollowupStatus.CANCELLED, ctx.clock.now())
        return ONE_OFF_CANCELLED.format(number=one_off[0].number, content=one_off[0].content)
    lines = [NO_MATCH.format(text=text)]
    if rules:
        lines += ["你的周期提醒有：", *_lines(rules, ctx), LIST_HINT]
    else:
        lines.append(NONE)
    raise UserFacingError("\n".join(lines))
