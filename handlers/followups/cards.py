"""The buttons on a reminder card (完成 / 推迟1小时 / 明天再提醒), from template_card_event."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.followups import cards, store
from bot.followups.wording import time_words
from bot.surveys.followups import survey_followup_done
from models.followups import Followup, FollowupStatus

router = Router(__name__, title="跟进", module="crm")

DONE = "已完成跟进 #{number}：{content}"
MOVED = "好的，跟进 #{number} 改到 {when} 再提醒你。"
GONE = "这条跟进已不存在。"
CLOSED = "跟进 #{number} 已{status}，不用再处理。"
NOT_YOURS = "跟进 #{number} 不是你的，只有负责人或管理员可以处理。"
STATUS_WORDS = {FollowupStatus.DONE: "完成", FollowupStatus.CANCELLED: "取消"}
LATER = timedelta(hours=1)
CLICKED = {cards.DONE: "已完成", cards.LATER: "已推迟1小时"}
TOMORROW_CLICKED = "明天再提醒"


def is_followup_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


def _tomorrow_same_time(followup: Followup, now: datetime, ctx: Context) -> datetime:
    tz = ctx.tenant.timezone
    at = followup.due_at.astimezone(tz).time()
    day = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(day, time(at.hour, at.minute), tzinfo=tz)


async def _refusal(ctx: Context, followup: Followup | None) -> str | None:
    if followup is None:
        return GONE
    if followup.status is not FollowupStatus.OPEN:
        return CLOSED.format(number=followup.number, status=STATUS_WORDS[followup.status])
    mine = ctx.employee is not None and ctx.employee.id == followup.owner_id
    return None if mine or ctx.is_admin else NOT_YOURS.format(number=followup.number)


@router.event("template_card_event", filters=[is_followup_button])
async def press_button(ctx: Context) -> str:
    parsed = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, followup_id = parsed
    followup = await Followup.get_or_none(tenant_id=ctx.tenant.id, id=followup_id)
    refusal = await _refusal(ctx, followup)
    if refusal is not None or followup is None:
        return refusal or GONE
    now = ctx.clock.now()
    mark_clicked(ctx, CLICKED.get(action, TOMORROW_CLICKED))
    if action == cards.DONE:
        await store.complete(followup, now, "", ctx.employee)
        await survey_followup_done(ctx, followup)
        return DONE.format(number=followup.number, content=followup.content)
    due = now + LATER if action == cards.LATER else _tomorrow_same_time(followup, now, ctx)
    await store.move(followup, due)
    return MOVED.format(number=followup.number, when=time_words(due, ctx.tenant.timezone))
