"""记通话 (a call told in chat) and 拨打 (the number to tap, then how it went)."""

from __future__ import annotations

import html
import re
from datetime import datetime
from enum import StrEnum

from bot.calls import phrasings
from bot.calls.manual import Logged, customers_for, log_told_call
from bot.calls.numbers import normalise, spaced
from bot.calls.talk import OUTCOME_WORDS, Said, length_words, read_call
from bot.crm.picking import viewer_of
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.followups.wording import time_words
from models.calls import Disposition
from models.crm.customers import Customer

router = Router(__name__, title="通话", module="callcenter")


class CallStep(StrEnum):
    DIALLED = "call_dialled"


LOG_USAGE = "请按这个格式写：记通话 客户 时长 内容，例如：记通话 张总 15分钟 想要报价 下周三回访"
DIAL_USAGE = "请写上要打给谁，例如：拨打 张总"
NO_CUSTOMER = "没有找到客户「{who}」。可以先「新建客户 {who} 手机号」，或写全名再试。"
SEVERAL = "「{who}」有 {count} 位客户，请写全名再说一次：\n{names}"
NO_PHONE = "客户「{name}」还没有电话。发送「修改客户 {name} 电话 手机号」补上后再拨打。"
HIDDEN = "「{name}」的电话只有负责人和管理员能看到，请找负责人联系。"
DIAL = (
    '{name} <a href="tel:{number}">{shown}</a>（点击号码拨打）\n'
    "打完回复「打通了 5分钟 内容」或「没打通」，我来记下。"
)
LOGGED = "已记通话：{name}，{what}。"
FOLLOWUP = "已建跟进 #{number}：{when} {content}。"
HOW_LONG = "聊了多久？例如：打通了 5分钟 想要报价"
KEPT = "好的，这通电话不记了。"
CALLED_BACK = "这个号码的待回拨已完成。"
STILL_OPEN = "回拨 #{number} 还没完成，稍后再打。"
# What can follow 拨打: the outcome words, said alone or with a length and a note.
_OUTCOME = (
    r"^\s*(?:没|未|无人|打不通|不接|关机|停机|空号|占线|忙音|在忙|正忙|拒接|挂断|"
    r"打通|接通|通了|接了|聊了|谈了)"
)


def _label(customer: Customer) -> str:
    return (
        f"{customer.display_name}（{customer.company}）"
        if customer.company
        else customer.display_name
    )


async def _one_customer(ctx: Context, who: str) -> Customer:
    found = await customers_for(ctx.tenant.id, who)
    if not found:
        raise UserFacingError(NO_CUSTOMER.format(who=who))
    exact = [c for c in found if who in (c.name, c.company)]
    if len(exact) == 1:
        return exact[0]
    if len(found) > 1:
        names = "\n".join(f"{i}. {_label(c)}" for i, c in enumerate(found, start=1))
        raise UserFacingError(SEVERAL.format(who=who, count=len(found), names=names))
    return found[0]


def _answer(ctx: Context, name: str, logged: Logged) -> str:
    call = logged.call
    what = OUTCOME_WORDS[call.disposition]
    if call.talk_secs:
        what += f" {length_words(call.talk_secs)}"
    if call.note:
        what += f"，{call.note}"
    lines = [LOGGED.format(name=name, what=what)]
    if logged.callbacks_closed:
        lines.append(CALLED_BACK)
    if logged.followup is not None:
        when = time_words(logged.followup.due_at, ctx.tenant.timezone)
        lines.append(
            FOLLOWUP.format(
                number=logged.followup.number, when=when, content=logged.followup.content
            )
        )
    return "\n".join(lines)


def _checked(said: Said) -> Said:
    if said.outcome is Disposition.ANSWERED and not said.talk_secs:
        raise UserFacingError(HOW_LONG)
    if said.outcome is None:
        raise UserFacingError(LOG_USAGE)
    return said


@router.command(
    "记通话",
    "记电话",
    slots=("who", "rest"),
    examples=phrasings.LOG_EXAMPLES,
    phrasings=phrasings.LOG,
)
async def log_call(ctx: Context) -> str:
    """记通话 张总 15分钟 想要报价 下周三回访：记下一通电话，写了时间就建跟进"""
    who, _, text = ctx.args.strip().partition(" ")
    if not who or not text.strip():
        raise UserFacingError(LOG_USAGE)
    said = _checked(read_call(text))
    customer = await _one_customer(ctx, who)
    assert ctx.employee is not None, "text messages always carry their employee"
    now = _local_now(ctx)
    logged = await log_told_call(ctx.employee, customer, said, now)
    return _answer(ctx, customer.display_name, logged)


def _local_now(ctx: Context) -> datetime:
    return ctx.clock.now().astimezone(ctx.tenant.timezone)


# Who to call, not a clause about calling: 打电话的时候信号老断 is office talk.
WHO_TO_CALL = re.compile(r"(?!的|时|了|过|着|得|太|很|真|都|也|还|好)\S")


@router.command(
    "拨打",
    "打电话",
    args_like=WHO_TO_CALL,
    slots=("who",),
    examples=phrasings.DIAL_EXAMPLES,
    phrasings=phrasings.DIAL,
)
async def dial(ctx: Context) -> str:
    """拨打 张总：回复可点击拨打的号码，打完说「打通了 5分钟」或「没打通」记下"""
    who = ctx.args.strip()
    if not who:
        raise UserFacingError(DIAL_USAGE)
    customer = await _one_customer(ctx, who)
    if not customer.phone:
        raise UserFacingError(NO_PHONE.format(name=customer.display_name))
    if not viewer_of(ctx).sees_phone_of(customer):
        raise UserFacingError(HIDDEN.format(name=customer.display_name))
    number = normalise(customer.phone) or customer.phone
    assert ctx.conversation is not None
    data = {"customer_id": customer.id, "number": number, "at": ctx.clock.now().isoformat()}
    await ctx.conversation.set(CallStep.DIALLED, data)
    name = html.escape(_label(customer))
    return DIAL.format(name=name, number=html.escape(number), shown=html.escape(spaced(number)))


@router.message(StateIs(CallStep.DIALLED), Command("取消", "cancel", "算了"))
async def drop_dialled(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return KEPT


@router.message(StateIs(CallStep.DIALLED), Regex(_OUTCOME))
async def dialled_outcome(ctx: Context) -> str:
    """打通了 5分钟 / 没打通, right after 拨打."""
    assert ctx.conversation is not None and ctx.employee is not None
    said = _checked(read_call(ctx.update.text))
    data = ctx.conversation.data
    customer = None
    if data.get("customer_id"):
        customer = await Customer.get_or_none(tenant_id=ctx.tenant.id, id=data["customer_id"])
    await ctx.conversation.clear()
    number = str(data.get("number") or "")
    if customer is None and not number:
        return KEPT
    dialled_at = datetime.fromisoformat(str(data["at"]))
    now = _local_now(ctx)
    logged = await log_told_call(ctx.employee, customer, said, now, number, dialled_at)
    name = customer.display_name if customer else spaced(number)
    answer = _answer(ctx, name, logged)
    if data.get("callback") and not logged.callbacks_closed:
        answer += "\n" + STILL_OPEN.format(number=data["callback"])
    return answer
