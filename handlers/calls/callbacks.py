"""未回拨: the missed calls still waiting for a callback (one's own; admins see everyone's);
回拨 0003: the number to tap, and the outcome said next completes the callback; the
missed-call card's buttons (回拨 / 新建客户)."""

from __future__ import annotations

import html
import re

from bot.calls import cards, phrasings
from bot.calls.numbers import spaced
from bot.card_updates import mark_clicked
from bot.crm.cards import render_card
from bot.crm.picking import viewer_of
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.state import load_conversation
from bot.followups.wording import time_words
from handlers.calls.log import CallStep, dial
from models.calls import CallRecord
from models.crm.customers import Customer
from models.followups import Followup, FollowupStatus

router = Router(__name__, title="通话", module="callcenter")

NONE = "没有待回拨的未接来电。"
HEAD = "待回拨 {count} 个（回拨后发送「完成 编号」，或打通这个号码的电话会自动完成）："
SHOWN = 20


@router.command(
    "未回拨",
    "待回拨",
    examples=phrasings.CALLBACK_EXAMPLES,
    phrasings=phrasings.CALLBACKS,
)
async def open_callbacks(ctx: Context) -> str:
    """未回拨：还没回拨的未接来电"""
    assert ctx.employee is not None
    ids = await CallRecord.filter(tenant_id=ctx.tenant.id, callback_id__isnull=False).values_list(
        "callback_id", flat=True
    )
    query = Followup.filter(id__in=list(ids), status=FollowupStatus.OPEN)
    if not ctx.is_admin:
        query = query.filter(owner_id=ctx.employee.id)
    found = await query.order_by("due_at", "id").limit(SHOWN)
    if not found:
        return NONE
    tz = ctx.tenant.timezone
    lines = [HEAD.format(count=len(found))]
    lines += [f"#{f.number} {f.content}，{time_words(f.due_at, tz)}前" for f in found]
    return "\n".join(lines)


CALL_BACK_USAGE = "请写待回拨的编号，例如：回拨 0003（发送「未回拨」查看编号）"
NO_CALLBACK = "没有编号 {number} 的待回拨。发送「未回拨」查看。"
DONE_ALREADY = "回拨 #{number} 已经完成了。"
NOT_YOURS = "回拨 #{number} 由 {owner} 负责。"
CALL_BACK = (
    '回拨 #{seq}：{name} <a href="tel:{number}">{shown}</a>（点击号码拨打）\n'
    "打完回复「打通了 5分钟 内容」或「没打通」，打通即完成回拨。"
)
NEW_CUSTOMER = "新建这个号码的客户，请发送：新建客户 姓名 {number}\n例如：新建客户 王先生 {number}"
GONE = "这通未接来电已不存在。"
CUSTOMER_GONE = "这位来电客户已不存在（可能已被删除或合并）。"
_SEQ = re.compile(
    r"^(?:第|#|＃|编号)?\s*(?P<n>\d{1,6})\s*(?:号|个)?(?:的?(?:未接来电|来电|电话))?$"
)


@router.command(
    "回拨",
    slots=("number",),
    examples=phrasings.CALL_BACK_EXAMPLES,
    phrasings=phrasings.CALL_BACK,
)
async def call_back(ctx: Context) -> str:
    """回拨 0003：回复可点击拨打的号码，打完说「打通了 5分钟」或「没打通」，打通就完成回拨"""
    arg = ctx.args.strip()
    if not arg:
        raise UserFacingError(CALL_BACK_USAGE)
    seq = _SEQ.match(arg)
    if seq is None:
        return str(await dial(ctx))  # 回拨 张总: calling a customer back is dialling them
    found = await Followup.get_or_none(tenant_id=ctx.tenant.id, number=int(seq["n"]))
    return await _start_callback(ctx, found, seq["n"])


async def _start_callback(ctx: Context, followup: Followup | None, asked: str) -> str:
    call = None
    if followup is not None:
        call = await CallRecord.filter(tenant_id=ctx.tenant.id, callback_id=followup.id).first()
    if followup is None or call is None:
        raise UserFacingError(NO_CALLBACK.format(number=asked))
    if followup.status is not FollowupStatus.OPEN:
        raise UserFacingError(DONE_ALREADY.format(number=followup.number))
    assert ctx.employee is not None
    if followup.owner_id != ctx.employee.id and not ctx.is_admin:
        owner = await followup.owner
        raise UserFacingError(NOT_YOURS.format(number=followup.number, owner=owner.name))
    customer = None
    if call.customer_id is not None:
        customer = await Customer.get_or_none(id=call.customer_id, archived_at__isnull=True)
    assert ctx.update.user_id is not None
    conversation = ctx.conversation or await load_conversation(
        ctx.tenant.id, ctx.update.user_id, ctx.clock
    )
    data = {
        "customer_id": customer.id if customer else None,
        "number": call.number,
        "at": ctx.clock.now().isoformat(),
        "callback": followup.number,
    }
    await conversation.set(CallStep.DIALLED, data)
    name = html.escape(customer.display_name) if customer else "未知号码"
    return CALL_BACK.format(
        seq=followup.number,
        name=name,
        number=html.escape(call.number),
        shown=html.escape(spaced(call.number)),
    )


def is_call_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


@router.event("template_card_event", filters=[is_call_button])
async def press_button(ctx: Context) -> str:
    """The missed-call card: 回拨 starts the callback, 新建客户 says how to add the number;
    the screen pop's 客户详情 shows the caller's customer card."""
    parsed = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, record_id = parsed
    if action == cards.CALL_BACK:
        followup = await Followup.get_or_none(tenant_id=ctx.tenant.id, id=record_id)
        answer = await _start_callback(ctx, followup, str(record_id))
        mark_clicked(ctx, "回拨中")
        return answer
    call = await CallRecord.get_or_none(tenant_id=ctx.tenant.id, id=record_id)
    if call is None or not call.number:
        return GONE
    if action == cards.PROFILE:
        customer = await Customer.get_or_none(tenant_id=ctx.tenant.id, id=call.customer_id)
        if customer is None:
            return CUSTOMER_GONE
        return await render_card(customer, viewer_of(ctx))
    return NEW_CUSTOMER.format(number=call.number)
