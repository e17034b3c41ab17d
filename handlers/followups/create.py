"""Follow-ups in plain Chinese: 明天下午3点提醒我回访张总, with the questions it may need
(which 张总? when?) answered by the next message."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.crm.picking import take_numbered_customer
from bot.dispatch.context import Context
from bot.dispatch.filters import Command, Intent, Regex, StateIs
from bot.dispatch.router import Router
from bot.followups.requests import due_time, understand
from bot.followups.store import create_followup, customers_named
from bot.followups.wording import NO_CUSTOMER, time_words
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
SEVERAL = "有 {count} 位客户叫「{name}」，这条跟进是哪一位的？"
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
CANCELLED = "好的，没有安排这条跟进。"


@router.message(StateIs(*FollowupStep), Command("取消", "cancel"))
async def cancel_request(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(FollowupStep.ASK_TIME))
async def answer_time(ctx: Context) -> str:
    assert ctx.conversation is not None
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    parsed = parse_time(ctx.update.text, now)
    if parsed is None:
        return STILL_NO_TIME
    data = ctx.conversation.data
    await ctx.conversation.clear()
    return await _with_customer(ctx, str(data["content"]), due_time(parsed, now), data["source"])


@router.message(StateIs(FollowupStep.PICK_CUSTOMER), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_customer(ctx: Context) -> str:
    customer, data = await take_numbered_customer(ctx)
    due = datetime.fromisoformat(str(data["due"]))
    return await _save(ctx, str(data["content"]), due, str(data["source"]), customer, "")


@router.message(Intent("followup.create"))
async def create_from_text(ctx: Context) -> str:
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
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
