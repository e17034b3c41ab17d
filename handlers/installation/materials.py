"""用料 AZ0001 网线2米: materials used on a job, recorded on it and, with the ERP-lite module,
taken out of stock (``bot.installation.materials``, ``bot.erp.installs``)."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.installation import phrasings
from bot.installation.access import installer_or_admin, job_or_refusal
from bot.installation.materials import (
    USAGE,
    hand_to_stock,
    material_lines,
    read_materials,
    record,
)
from bot.installation.numbers import LEADING_REF, split_ref, tail
from bot.installation.workflow import STATE_WORDS
from models.installation import JobState

router = Router(__name__, title="安装", module="installation")

# Materials are used once the installer is on site; a finished job may still get the ones
# forgotten at 完工.
RECORDING_STATES = (JobState.STARTED, JobState.COMPLETED, JobState.CONFIRMED)
NOT_ON_SITE = "安装单 {number} 当前状态：{state}，签到之后才能记用料。"
SAID = "安装单 {number}：{said}"
NOTHING = "安装单 {number} 还没有记用料。" + USAGE


@router.command(
    "用料",
    args_like=LEADING_REF,
    slots=("job", "materials"),
    fill="用料 {job} {materials?}",
    examples=phrasings.MATERIALS_EXAMPLES,
    phrasings=phrasings.MATERIALS,
)
async def record_job_materials(ctx: Context) -> str:
    """用料 AZ0001 网线2米 水晶头4个：记安装用料（开通进销存的，从库存出库）"""
    split = split_ref(ctx.args)
    if split is None:
        raise UserFacingError(USAGE.format(tail="AZ0001"))
    ref, rest = split
    job = await job_or_refusal(ctx, ref)
    if job.state not in RECORDING_STATES:
        raise UserFacingError(NOT_ON_SITE.format(number=job.number, state=STATE_WORDS[job.state]))
    await installer_or_admin(ctx, job, "记用料")
    used = read_materials(rest) if rest else []
    if used is None:
        raise UserFacingError(USAGE.format(tail=tail(job)))
    fresh = await record(job, used, ctx.clock.now())
    said = await hand_to_stock(ctx, job, fresh)
    if said:
        return SAID.format(number=job.number, said=said)
    shown = await material_lines(job)
    if not shown:
        return NOTHING.format(number=job.number, tail=tail(job))
    return SAID.format(number=job.number, said=shown[0])
