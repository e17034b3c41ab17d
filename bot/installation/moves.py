"""The moves of a job that touch an installer's calendar: 安排 (dispatch) and 改约
(reschedule). Both check the installer's other jobs under a lock on the installer (see
``bot.installation.store``) and tell the installer once, with a card to 接单 or 改约."""

from __future__ import annotations

from datetime import datetime

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.installation.access import people_of
from bot.installation.calendar import PUT, calendar_reply
from bot.installation.cards import dispatch_card
from bot.installation.numbers import tail
from bot.installation.rules import rules_of
from bot.installation.store import clash, lock_installer, utc
from bot.installation.wording import person, window_words
from bot.installation.workflow import Action, check, guard
from models.installation import InstallJob
from models.tenants import Employee

CLASH = (
    "{installer} 在 {when} 已有安装单 {other}，和这次时间冲突（两单之间要留路上 {travel} 分钟）。"
    "请换一位师傅，或「改约 {tail} 其他时间」。"
)
NEW_JOB = "新安装任务：{when}"
MOVED_JOB = "安装改约：{when}"
DETAILS = "{customer} · {items} · {address}"


async def ensure_free(
    job: InstallJob, installer: Employee, start: datetime, end: datetime, tz: object
) -> None:
    """Refuses when the installer has another booked job too close to [start, end)."""
    rules = await rules_of(job.tenant_id)
    await lock_installer(installer)
    other = await clash(job, installer.id, start, end, rules.travel)
    if other is not None:
        raise UserFacingError(
            CLASH.format(
                installer=person(installer),
                when=window_words(other, tz),  # type: ignore[arg-type]
                other=other.number,
                travel=rules.travel_minutes,
                tail=tail(job),
            )
        )


async def dispatch(ctx: Context, job: InstallJob, installer: Employee) -> None:
    target = check(job, Action.DISPATCH)
    job.installer_id = installer.id
    guard(job, target, tail(job))
    assert job.window_start is not None and job.window_end is not None
    await ensure_free(job, installer, job.window_start, job.window_end, ctx.tenant.timezone)
    job.state = target
    await _save_new_version(ctx, job)
    await tell_installer(ctx, job, installer, NEW_JOB)


async def reschedule(ctx: Context, job: InstallJob, start: datetime, end: datetime) -> None:
    check(job, Action.RESCHEDULE)
    installer = await Employee.get_or_none(id=job.installer_id) if job.installer_id else None
    if installer is not None:
        await ensure_free(job, installer, start, end, ctx.tenant.timezone)
    job.window_start, job.window_end = utc(start), utc(end)
    await _save_new_version(ctx, job)
    if installer is not None:
        await tell_installer(ctx, job, installer, MOVED_JOB)


async def _save_new_version(ctx: Context, job: InstallJob) -> None:
    """A new appointment: the old one's reminders (claimed per version) no longer apply, and
    the installer has to 接单 again."""
    job.version += 1
    job.accepted_at = None
    job.updated_at = ctx.clock.now()
    await job.save()


async def tell_installer(ctx: Context, job: InstallJob, installer: Employee, what: str) -> None:
    customer, _ = await people_of(job)
    details = DETAILS.format(
        customer=customer.display_name, items=job.items or "—", address=job.address or "地址未填"
    )
    title = what.format(when=window_words(job, ctx.tenant.timezone))
    task_id = f"install-{job.id}-{job.version}"
    ctx.send(installer.userid, dispatch_card(job, title, details, task_id))
    ctx.send(installer.userid, calendar_reply(job, installer, PUT))
