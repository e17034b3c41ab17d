"""Follow-ups in plain Chinese: 明天下午3点提醒我回访张总, 每周一早上9点提醒我写周报, with the
questions it may need (which 张总? when?) answered by the next message.

Asking for a time never traps anyone: commands still work during the question (they are
tried first), an answer that is not a time is asked about once more with an example, and the
second one ends the question (a new reminder sentence is then taken as one).
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.crm.picking import take_numbered_customer
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, FilterResult, Regex, StateIs
from bot.dispatch.router import Router
from bot.dispatch.types import Reply
from bot.followups.recurrence import RecurringRequest, understand_recurring
from bot.followups.requests import DEFAULT_CONTENT, content_of, due_time, understand
from bot.followups.rules import create_rule
from bot.followups.store import create_followup, customers_named
from bot.followups.wording import NO_CUSTOMER, time_words
from bot.nlu.intents import classify
from bot.nlu.names import NameRef, find_reference
from bot.nlu.segment import Segmenter
from bot.nlu.timeparse import parse_time
from models.crm.customers import Customer

# A sentence with 提醒 in it is free text (bot.dispatch.registry): it becomes a follow-up
# only when no command took it first ("完成 3 已提醒客户" completes #3).
router = Router(__name__, title="跟进", module="crm")


class FollowupStep(StrEnum):
    ASK_TIME = "followup_ask_time"
    PICK_CUSTOMER = "followup_pick_customer"


CREATED = (
    "好的，已安排跟进 #{number}：{when} {content}\n客户：{customer}\n"
    "要改时间发送「推迟 {number} 到周五」，不要了发送「取消 {number}」。"
)
NOT_IN_BOOK = "没找到客户「{name}」，这条跟进没有关联客户"
ASK_TIME = "什么时候提醒你「{content}」？例如：明天下午3点、周五上午10点。回复「取消」放弃。"
STILL_NO_TIME = "没看懂时间。请回复例如：明天下午3点、后天上午9点，或回复「取消」放弃。"
DROPPED = "「{content}」先不安排了，按你新说的来："
GAVE_UP = "还是没看懂时间，「{content}」先不安排了。想好了再说，例如：明天下午3点提醒我{content}"
SEVERAL = "有 {count} 位客户叫「{name}」，这条跟进是哪一位的？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
CANCELLED = "好的，没有安排这条跟进。"
RULE_CREATED = (
    "好的，已设周期提醒 #{number}：{rule} {content}\n客户：{customer}\n下次提醒：{next}\n"
    "发送「我的周期提醒」查看，不要了发送「停止周期提醒 {number}」。"
)
RHYTHM_UNKNOWN = (
    "周期提醒目前支持：每天、每个工作日、每周一（每周只选一天）、每月1号、每月最后一天，"
    "例如：每周一早上9点提醒我写周报"
)
# Repetitions the rules cannot hold yet (每两周, 每周一三五, 每年): said plainly rather than
# made into a one-off reminder about "每".
_RHYTHM_UNKNOWN = re.compile(
    r"每(?:隔|[0-9两二三四五六七八九十]+个?(?:天|周|星期|礼拜|月|小时|分钟)|年|季度?|小时|半)"
    r"|每个?(?:周|星期|礼拜)[一二三四五六日天][、，,和及]?[一二三四五六日天]"
)
# Said with a time, these ask for a reminder too (明早九点叫我给王经理打电话); without one
# they are ordinary words (叫我小王).
_TIMED_TRIGGERS = ("叫我", "喊我", "通知我", "别忘了", "别让我忘", "闹钟")
# Said with a time, a follow-up's own verb asks for one too (回访罗伟，明天上午十点; 后天上午
# 跟进孙经理的订单): commands and phrasings were tried first, so it is no change to an existing
# one. Done already (我今天回访了三个客户) it is news, not a request.
_FOLLOWUP_VERB = r"(?:跟进|回访|拜访|联系|打电话|回电话|回个电话|发资料|寄样品|催款|催一下)"
_FOLLOWUP_VERBS = re.compile(rf"{_FOLLOWUP_VERB}(?![了过完]|评价|记录|率|情况|数据|统计|报告)")


@router.message(StateIs(*FollowupStep), Command("取消", "cancel", "算了", "不用了", "不要了"))
async def cancel_request(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(FollowupStep.ASK_TIME))
async def answer_time(ctx: Context) -> str | list[Reply]:
    assert ctx.conversation is not None
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    data = ctx.conversation.data
    if _is_new_request(ctx, now):
        await ctx.conversation.clear()
        return [Reply(DROPPED.format(content=data["content"])), Reply(await _create(ctx))]
    parsed = parse_time(ctx.update.text, now)
    if parsed is not None:
        await ctx.conversation.clear()
        due = due_time(parsed, now)
        return await _with_customer(ctx, str(data["content"]), due, data["source"])
    if not data.get("asked_again"):
        await ctx.conversation.set(FollowupStep.ASK_TIME, {**data, "asked_again": True})
        return STILL_NO_TIME
    await ctx.conversation.clear()
    return GAVE_UP.format(content=data["content"])


def _is_new_request(ctx: Context, now: datetime) -> bool:
    """明天下午3点提醒我给李总打电话 while being asked when: a reminder of its own, not the
    answer (明天下午3点提醒我 alone is the answer)."""
    if not asks_for_reminder(ctx):
        return False
    return understand_recurring(ctx.update.text, now) is not None or (
        content_of(ctx.update.text, parse_time(ctx.update.text, now)) != DEFAULT_CONTENT
    )


@router.message(StateIs(FollowupStep.PICK_CUSTOMER), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_customer(ctx: Context) -> str:
    customer, data = await take_numbered_customer(ctx)
    due = datetime.fromisoformat(str(data["due"]))
    return await _save(ctx, str(data["content"]), due, str(data["source"]), customer, "")


def asks_for_reminder(ctx: Context) -> FilterResult:
    """A sentence with 提醒/记得 in it (bot.nlu.intents), or 叫我 and the like with a time.
    Commands are tried first, so 完成 3 已提醒客户 still completes #3."""
    text = ctx.update.text
    if classify(text) == "followup.create":
        return not _advice_in_passing(ctx, text)
    triggered = any(trigger in text for trigger in _TIMED_TRIGGERS)
    if not triggered and not _FOLLOWUP_VERBS.search(text):
        return False
    found = parse_time(text, ctx.clock.now().astimezone(ctx.tenant.timezone))
    if found is None:
        return False
    # a verb alone asks for a follow-up on a day or in a week, not over a month
    # (本月回访情况 is a report)
    return triggered or found.grain not in ("month", "year")


# 外面下雨了，记得带伞: 记得 after other talk, with no time and no 提醒, is advice to a person.
_REMEMBER_AFTER_TALK = re.compile(r"[，,。!！]\s*记得")


def _advice_in_passing(ctx: Context, text: str) -> bool:
    if "提醒" in text or "remind" in text.lower() or not _REMEMBER_AFTER_TALK.search(text):
        return False
    return parse_time(text, ctx.clock.now().astimezone(ctx.tenant.timezone)) is None


@router.message(
    asks_for_reminder,
    intent="followups.create_from_text",
    slots=("when", "what", "who", "every"),
    examples=(
        "明天下午3点提醒我回访张总",
        "下周三上午10点提醒我回访张总",
        "明早九点叫我给王经理打电话",
        "周五前记得把报价发给李总",
        "后天上午10点提醒我给李经理发合同",
        "今晚8点提醒我回复王总微信",
        "3天后提醒我问问赵总的反馈",
        "下个月5号提醒我续签合同",
        "半小时后提醒我给张总回电话",
        "周四下午两点半提醒我去客户那里",
        "记得明天给刘经理寄样品",
        "提醒我回访王老师",
        "大后天下午提醒我催一下回款",
        "月底提醒我对一下账",
        "下午4点喊我开会",
        "明天上午通知我跟进陈总的报价",
        "remind me 下午3点 回访张总",
        "每天早上9点提醒我看日报",
        "每个工作日下午6点提醒我写日志",
        "每周一早上9点提醒我写周报",
        "每月1号提醒我对账",
        "每月最后一天提醒我交报表",
        "每周五下午4点提醒我给张总发周报",
        "每月15号上午10点提醒我催款",
    ),
)
async def create_from_text(ctx: Context) -> str:
    """直接说：明天下午3点提醒我回访张总；每周一早上9点提醒我写周报"""
    return await _create(ctx)


async def _create(ctx: Context) -> str:
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    if _RHYTHM_UNKNOWN.search(ctx.update.text):
        raise UserFacingError(RHYTHM_UNKNOWN)
    recurring = understand_recurring(ctx.update.text, now)
    if recurring is not None:
        return await _save_rule(ctx, recurring)
    request = understand(ctx.update.text, now)
    if request.due_at is None:
        assert ctx.conversation is not None
        data = {"content": request.content, "source": ctx.update.text}
        await ctx.conversation.set(FollowupStep.ASK_TIME, data)
        return ASK_TIME.format(content=request.content)
    return await _with_customer(ctx, request.content, request.due_at, ctx.update.text)


def _reference(ctx: Context, content: str) -> NameRef | None:
    """A 张总-style reference first; else a known name the segmenter finds ("周五跟张伟吃饭")."""
    ref = find_reference(content)
    segmenter: Segmenter | None = ctx.deps.get("segmenter")
    if ref is not None or segmenter is None:
        return ref
    names = segmenter.names_in(content)
    return (find_reference(names[0]) or NameRef(names[0], names[0], False)) if names else None


async def _with_customer(ctx: Context, content: str, due: datetime, source: Any) -> str:
    ref = _reference(ctx, content)
    found = await customers_named(ctx.tenant.id, ref) if ref else []
    if len(found) > 1 and ref is not None:
        return await _ask_customer(ctx, content, due, str(source), found, ref.text)
    customer = found[0] if found else None
    missing = NOT_IN_BOOK.format(name=ref.text) if ref and ref.titled and not found else ""
    return await _save(ctx, content, due, str(source), customer, missing)


async def _ask_customer(
    ctx: Context, content: str, due: datetime, source: str, found: list[Customer], name: str
) -> str:
    assert ctx.conversation is not None
    data = {"content": content, "due": due.isoformat(), "source": source}
    await ctx.conversation.set(FollowupStep.PICK_CUSTOMER, {**data, "ids": [c.id for c in found]})
    lines = [SEVERAL.format(count=len(found), name=name)]
    lines += [f"{i}. {_label(c)}" for i, c in enumerate(found, start=1)]
    return "\n".join([*lines, PICK_HINT])


async def _save_rule(ctx: Context, request: RecurringRequest) -> str:
    """A recurring reminder is about one customer when the name fits exactly one."""
    assert ctx.employee is not None, "text messages always carry their employee"
    ref = _reference(ctx, request.content)
    found = await customers_named(ctx.tenant.id, ref) if ref else []
    customer = found[0] if len(found) == 1 else None
    tz = ctx.tenant.timezone
    rule = await create_rule(
        ctx.employee,
        request.recurrence,
        request.content,
        ctx.update.text,
        ctx.clock.now(),
        tz,
        customer,
    )
    return RULE_CREATED.format(
        number=rule.number,
        rule=request.recurrence.words(),
        content=rule.content,
        customer=customer.display_name if customer else NO_CUSTOMER,
        next=time_words(rule.next_at, tz),
    )


def _label(customer: Customer) -> str:
    details = " · ".join(part for part in (customer.company, customer.phone[-4:]) if part)
    return f"{customer.display_name}（{details}）" if details else customer.display_name


async def _save(
    ctx: Context,
    content: str,
    due: datetime,
    source: str,
    customer: Customer | None,
    missing: str,
) -> str:
    assert ctx.employee is not None, "text messages always carry their employee"
    followup = await create_followup(ctx.employee, content, due, source, ctx.clock.now(), customer)
    return CREATED.format(
        number=followup.number,
        when=time_words(due, ctx.tenant.timezone),
        content=content,
        customer=customer.display_name if customer else (missing or NO_CUSTOMER),
    )
