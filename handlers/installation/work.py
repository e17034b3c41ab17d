"""安排 (dispatch), 改约, 完工, 确认安装 and 取消安装."""

from __future__ import annotations

import re

from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.installation import moves, phrasings
from bot.installation.access import installer_or_admin, job_or_refusal, local_now, people_of
from bot.installation.asking import read_window
from bot.installation.calendar import DROP, calendar_reply
from bot.installation.customer import confirm_once, customer_replies
from bot.installation.hooks import hooks_of
from bot.installation.materials import hand_to_stock, split_materials
from bot.installation.materials import record as record_materials
from bot.installation.numbers import LEADING_REF, REF_TEXT, split_ref, tail
from bot.installation.orders import record_installed
from bot.installation.payment import tell_next_payment
from bot.installation.rules import rules_of
from bot.installation.store import utc
from bot.installation.wording import person, window_words
from bot.installation.workflow import Action, check, guard
from bot.people.resolve import answers_choice, resolve_colleague
from models.installation import InstallJob, InstallPhoto, LinkPurpose
from models.tenants import Employee, Role

router = Router(__name__, title="安装", module="installation")

DISPATCH_USAGE = "请按这个格式写：安排 AZ0001 给 王师傅"
DISPATCHED = "已把安装单 {number} 安排给 {installer}（{when}），已通知师傅接单。"
MOVE_USAGE = "请按这个格式写：改约 AZ0001 周五上午"
MOVED = "安装单 {number} 已改约到 {when}。{told}"
TOLD = "已通知 {installer}。"
COMPLETE_USAGE = "请按这个格式写：完工 AZ0001 已装好测试正常"
COMPLETED = (
    "安装单 {number} 已完工：{resolution}。已把确认链接发给客户；"
    "客户当面确认的，发送「确认安装 {tail}」。"
)
CONFIRM_USAGE = "请按这个格式写：确认安装 AZ0001"
CONFIRMED = "安装单 {number} 客户已确认，安装结束。"
ALREADY_CONFIRMED = "安装单 {number} 客户已经确认过了。"
NOT_ALLOWED = (
    "安装单 {number}{by}{what}只能由约单的人、管理员或派单员来做。"
    "需要的话请管理员发送「设为派单员 你的名字」。"
)
# 客户确认了AZ0001: what the customer did, then the job.
_CONFIRMED_WORDS = re.compile(r"^\s*(?:了|过了)")
_CONFIRMED_REF = re.compile(rf"(?:了|过了)?\s*{REF_TEXT}(?!\d)", re.IGNORECASE)
# 取消安装单AZ0001: the command's words run into the job's.
_CANCEL_REF = re.compile(rf"单?\s*{REF_TEXT}(?!\d)", re.IGNORECASE)
CANCEL_USAGE = "请按这个格式写：取消安装 AZ0001 原因"
CANCELLED = "已取消安装单 {number}。"
CANCELLED_TELL = "安装单 {number}（{when}）已取消：{reason}"


async def _job_and_rest(
    ctx: Context, usage: str, said: str | None = None
) -> tuple[InstallJob, str]:
    split = split_ref(ctx.args if said is None else said)
    if split is None:
        raise UserFacingError(usage)
    ref, rest = split
    return await job_or_refusal(ctx, ref), rest


@router.command(
    "安排",
    "派工",
    args_like=LEADING_REF,
    slots=("job", "who"),
    fill="安排 {job} 给 {who}",
    examples=phrasings.DISPATCH_EXAMPLES,
    phrasings=phrasings.DISPATCH,
)
@answers_choice
async def dispatch_job(ctx: Context) -> str:
    """安排 AZ0001 给 王师傅：派工（检查师傅的其他安装，不重复占用时间）"""
    job, rest = await _job_and_rest(ctx, DISPATCH_USAGE)
    who = rest.removeprefix("给").strip()
    if not who:
        raise UserFacingError(DISPATCH_USAGE)
    check(job, Action.DISPATCH)
    await _may_plan(ctx, job, "派工", installer_too=False)
    installer = await resolve_colleague(ctx, who, what="安装")
    await moves.dispatch(ctx, job, installer)
    return DISPATCHED.format(
        number=job.number,
        installer=person(installer),
        when=window_words(job, ctx.tenant.timezone),
    )


@router.command(
    "改约",
    "改期",
    args_like=LEADING_REF,
    slots=("job", "when"),
    examples=phrasings.MOVE_EXAMPLES,
    phrasings=phrasings.MOVE,
)
async def move_job(ctx: Context) -> str:
    """改约 AZ0001 周五上午：改安装时间（重新检查师傅的时间，并通知师傅）"""
    job, when = await _job_and_rest(ctx, MOVE_USAGE)
    when = when.removeprefix("到").strip()  # 改期 AZ0001 到周五上午
    if not when:
        raise UserFacingError(MOVE_USAGE)
    check(job, Action.RESCHEDULE)
    await _may_plan(ctx, job, "改约", installer_too=True)
    rules = await rules_of(ctx.tenant.id)
    start, end, _ = read_window(when, local_now(ctx), rules.window)
    await moves.reschedule(ctx, job, start, end)
    _, installer = await people_of(job)
    told = TOLD.format(installer=person(installer)) if installer is not None else ""
    return MOVED.format(number=job.number, when=window_words(job, ctx.tenant.timezone), told=told)


@router.command(
    "完工",
    args_like=LEADING_REF,
    slots=("job", "resolution"),
    examples=phrasings.COMPLETE_EXAMPLES,
    phrasings=phrasings.COMPLETE,
)
async def complete_job(ctx: Context) -> str:
    """完工 AZ0001 已装好测试正常 用料 网线2米（需要先签到，并发送现场照片）"""
    job, said = await _job_and_rest(ctx, COMPLETE_USAGE)
    target = check(job, Action.COMPLETE)
    await installer_or_admin(ctx, job, "完工")
    resolution, used = split_materials(said, tail(job))
    now = ctx.clock.now()
    job.ended_at, job.resolution = utc(now), resolution[:500]  # the sweep compares it
    photos = await InstallPhoto.filter(job_id=job.id).exclude(stored_path="").count()
    need = (await rules_of(ctx.tenant.id)).required_photos
    guard(job, target, tail(job), photos, need)
    job.state, job.updated_at = target, now
    await job.save()
    fresh = await record_materials(job, used, now)
    await hooks_of(ctx).on_completed(ctx, job)
    on_order = await record_installed(job)
    on_stock = await hand_to_stock(ctx, job, fresh)
    await tell_next_payment(ctx, job)
    await _ask_customer(ctx, job, LinkPurpose.COMPLETION)
    done = COMPLETED.format(number=job.number, resolution=job.resolution, tail=tail(job))
    return "\n".join(part for part in (done, on_stock, on_order) if part)


@router.command(
    "确认安装",
    "客户确认",
    args_like=_CONFIRMED_REF,
    slots=("job",),
    examples=phrasings.CONFIRM_EXAMPLES,
    phrasings=phrasings.CONFIRM,
)
async def confirm_job(ctx: Context) -> str:
    """确认安装 AZ0001：记下客户已确认完工"""
    job, _ = await _job_and_rest(ctx, CONFIRM_USAGE, _CONFIRMED_WORDS.sub("", ctx.args, count=1))
    check(job, Action.CONFIRM)
    settings: Settings = ctx.deps["settings"]
    confirmed = await confirm_once(ctx.tenant, job, ctx.clock.now(), settings, hooks_of(ctx))
    return (CONFIRMED if confirmed else ALREADY_CONFIRMED).format(number=job.number)


async def _ask_customer(ctx: Context, job: InstallJob, purpose: LinkPurpose) -> None:
    settings: Settings = ctx.deps["settings"]
    base_url = settings.server.public_base_url
    for reply in await customer_replies(ctx.tenant, job, purpose, base_url, ctx.clock.now()):
        assert reply.to_user is not None
        ctx.send(reply.to_user, reply)


async def _may_plan(ctx: Context, job: InstallJob, what: str, installer_too: bool) -> None:
    """安排 and 改约 of someone else's job are for admins and dispatchers (派单员): a member
    plans the jobs they booked, and an installer may move their own appointment."""
    me = ctx.employee.id if ctx.employee is not None else None
    own = me is not None and (me == job.creator_id or (installer_too and me == job.installer_id))
    if own or ctx.is_admin or ctx.role is Role.DISPATCHER:
        return
    booker = await Employee.get_or_none(id=job.creator_id) if job.creator_id else None
    by = f" 是 {person(booker)} 约的，" if booker is not None else " "
    raise UserFacingError(NOT_ALLOWED.format(number=job.number, by=by, what=what))


@router.command(
    "取消安装",
    args_like=_CANCEL_REF,
    slots=("job", "reason"),
    fill="取消安装 {job} {reason?}",
    examples=phrasings.CANCEL_EXAMPLES,
    phrasings=phrasings.CANCEL,
)
async def cancel_job(ctx: Context) -> str:
    """取消安装 AZ0001 客户不装了"""
    job, reason = await _job_and_rest(ctx, CANCEL_USAGE, ctx.args.strip().removeprefix("单"))
    job.state = check(job, Action.CANCEL)
    job.cancelled_at = job.updated_at = ctx.clock.now()
    job.cancel_reason = reason[:200]
    await job.save()
    _, installer = await people_of(job)
    if installer is not None:
        ctx.send(installer.userid, calendar_reply(job, installer, DROP))
    if installer is not None and (ctx.employee is None or ctx.employee.id != installer.id):
        when = window_words(job, ctx.tenant.timezone)
        ctx.send(
            installer.userid,
            CANCELLED_TELL.format(number=job.number, when=when, reason=reason or "未写原因"),
        )
    return CANCELLED.format(number=job.number)
