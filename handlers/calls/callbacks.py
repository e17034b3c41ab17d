"""未回拨: the missed calls still waiting for a callback (one's own; admins see everyone's)."""

from __future__ import annotations

from bot.calls import phrasings
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.followups.wording import time_words
from models.calls import CallRecord
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
