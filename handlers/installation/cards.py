"""The installer's card buttons (接单 / 改约) from template_card_event."""

from __future__ import annotations

from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.installation import cards
from bot.installation.numbers import tail
from models.installation import InstallJob, JobState

router = Router(__name__, title="安装", module="installation")

GONE = "这张安装单已不存在。"
NOT_YOURS = "安装单 {number} 已不是派给你的了。"
STALE = "安装单 {number} 现在不需要接单了。"
ACCEPTED = "已接单：安装单 {number}。到场后发送位置签到，完工前发送现场照片。"
ASK_MOVE = "请发送「改约 {tail} 新时间」，例如：改约 {tail} 周五上午。"
ACCEPTED_BUTTON = "已接单"


def is_install_button(ctx: Context) -> bool:
    return cards.parse_key(str(ctx.update.fields.get("EventKey", ""))) is not None


@router.event("template_card_event", filters=[is_install_button])
async def press_install_button(ctx: Context) -> str:
    parsed = cards.parse_key(str(ctx.update.fields.get("EventKey", "")))
    assert parsed is not None
    action, job_id = parsed
    job = await InstallJob.get_or_none(tenant_id=ctx.tenant.id, id=job_id)
    if job is None:
        return GONE
    if ctx.employee is None or ctx.employee.id != job.installer_id:
        return NOT_YOURS.format(number=job.number)
    if action == cards.MOVE:
        return ASK_MOVE.format(tail=tail(job))
    if job.state is not JobState.DISPATCHED:
        return STALE.format(number=job.number)
    job.accepted_at = job.updated_at = ctx.clock.now()
    await job.save()
    mark_clicked(ctx, ACCEPTED_BUTTON)
    return ACCEPTED.format(number=job.number)
