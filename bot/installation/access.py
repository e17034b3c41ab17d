"""Finding the job a chat command names, the tenant's local day, and a job's people."""

from __future__ import annotations

from datetime import date, datetime

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.installation.numbers import find_job
from bot.installation.wording import person
from models.crm.customers import Customer
from models.installation import InstallJob
from models.tenants import Employee

NOT_YOURS = "安装单 {number} 由 {installer} 负责，只有安装师傅或管理员可以{what}。"
NOT_FOUND = (
    "没有找到安装单「{ref}」。发送「我的安装」看你的安装单，或写完整编号，例如：AZ-20261123-0001"
)


def local_now(ctx: Context) -> datetime:
    return ctx.clock.now().astimezone(ctx.tenant.timezone)


def today(ctx: Context) -> date:
    return local_now(ctx).date()


async def job_or_refusal(ctx: Context, ref: str) -> InstallJob:
    job = await find_job(ctx.tenant.id, ref)
    if job is None:
        raise UserFacingError(NOT_FOUND.format(ref=ref))
    return job


async def people_of(job: InstallJob) -> tuple[Customer, Employee | None]:
    customer = await Customer.get(id=job.customer_id)
    installer = await Employee.get_or_none(id=job.installer_id) if job.installer_id else None
    return customer, installer


async def installer_or_admin(ctx: Context, job: InstallJob, what: str) -> None:
    """完工 and 用料 are the job's installer's (or an admin's) to say."""
    if ctx.is_admin or (ctx.employee is not None and ctx.employee.id == job.installer_id):
        return
    _, installer = await people_of(job)
    raise UserFacingError(
        NOT_YOURS.format(number=job.number, installer=person(installer), what=what)
    )
