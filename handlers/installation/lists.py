"""安装单 AZ0001, 我的安装, 今天的安装, 待排期 and 排期 周四."""

from __future__ import annotations

from datetime import date, datetime

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.installation import phrasings
from bot.installation.access import job_or_refusal, local_now, people_of, today
from bot.installation.materials import material_lines
from bot.installation.numbers import LEADING_REF, split_ref
from bot.installation.plan import day_bounds, day_plan_text
from bot.installation.revisit import revisit_lines
from bot.installation.wording import card, line
from bot.nlu.timeparse import parse_time
from models.crm.customers import Customer
from models.installation import OPEN_STATES, InstallJob, JobState
from models.tenants import Employee

router = Router(__name__, title="安装", module="installation")

SHOW_USAGE = "请写上安装单编号，例如：安装单 AZ0001"
SHOWN_ROWS = 20
NONE_MINE = "你没有未完成的安装单。"
MINE = "你的安装单（{count} 个）："
NONE_TODAY = "今天没有安装。"
TODAY = "今天的安装（{count} 个）："
NONE_PENDING = "没有待排期的安装单。"
PENDING = "待排期 {count} 个（派工发送「安排 AZ0001 给 师傅名字」）："
PLAN_USAGE = "请写上哪一天，例如：排期 周四"
MORE = "……还有 {count} 个没列出。"


@router.command(
    "安装单",
    args_like=LEADING_REF,
    slots=("job",),
    examples=phrasings.SHOW_EXAMPLES,
    phrasings=phrasings.SHOW,
)
async def show_job(ctx: Context) -> str:
    """安装单 AZ0001：看一张安装单"""
    split = split_ref(ctx.args)  # 安装单 AZ0001 的详情: the words after the number ask nothing more
    if split is None:
        raise UserFacingError(SHOW_USAGE)
    job = await job_or_refusal(ctx, split[0])
    customer, installer = await people_of(job)
    extra = await material_lines(job) + await revisit_lines(job)
    return card(job, customer, installer, ctx.tenant.timezone, extra)


async def _listed(ctx: Context, jobs: list[InstallJob], heading: str) -> str:
    customers = {c.id: c for c in await Customer.filter(id__in={j.customer_id for j in jobs})}
    ids = {j.installer_id for j in jobs if j.installer_id}
    installers = {e.id: e for e in await Employee.filter(id__in=ids)}
    rows = [
        line(j, customers[j.customer_id], installers.get(j.installer_id or 0), ctx.tenant.timezone)
        for j in jobs[:SHOWN_ROWS]
    ]
    if len(jobs) > SHOWN_ROWS:
        rows.append(MORE.format(count=len(jobs) - SHOWN_ROWS))
    return "\n".join([heading.format(count=len(jobs)), *rows])


@router.command("我的安装", examples=phrasings.MINE_EXAMPLES, phrasings=phrasings.MINE)
async def my_jobs(ctx: Context) -> str:
    """我的安装：派给我或我约的、未完成的安装单"""
    me = ctx.employee.id if ctx.employee else 0
    jobs = [
        j
        for j in await InstallJob.filter(tenant_id=ctx.tenant.id, state__in=OPEN_STATES).order_by(
            "window_start", "id"
        )
        if me in (j.installer_id, j.creator_id)
    ]
    if not jobs:
        return NONE_MINE
    return await _listed(ctx, jobs, MINE)


def _day_bounds(ctx: Context, day: date) -> tuple[datetime, datetime]:
    return day_bounds(day, ctx.tenant.timezone)


@router.command("今日安装", examples=phrasings.TODAY_EXAMPLES, phrasings=phrasings.TODAY)
async def todays_jobs(ctx: Context) -> str:
    """今天的安装：今天约好的安装单"""
    start, end = _day_bounds(ctx, today(ctx))
    jobs = (
        await InstallJob.filter(
            tenant_id=ctx.tenant.id, window_start__gte=start, window_start__lt=end
        )
        .exclude(state=JobState.CANCELLED)
        .order_by("window_start", "id")
    )
    if not jobs:
        return NONE_TODAY
    return await _listed(ctx, jobs, TODAY)


@router.command("待排期", examples=phrasings.UNSCHEDULED_EXAMPLES, phrasings=phrasings.UNSCHEDULED)
async def unscheduled_jobs(ctx: Context) -> str:
    """待排期：还没派工的安装单"""
    jobs = await InstallJob.filter(tenant_id=ctx.tenant.id, state=JobState.PENDING).order_by(
        "window_start", "id"
    )
    if not jobs:
        return NONE_PENDING
    return await _listed(ctx, jobs, PENDING)


@router.command("排期", slots=("day",), examples=phrasings.PLAN_EXAMPLES, phrasings=phrasings.PLAN)
async def day_plan(ctx: Context) -> str:
    """排期 周四：每位安装师傅那天的安排"""
    said = ctx.args.strip()
    parsed = parse_time(said, local_now(ctx)) if said else None
    if parsed is None:
        raise UserFacingError(PLAN_USAGE)
    return await day_plan_text(ctx.tenant.id, parsed.start.date(), ctx.tenant.timezone)
