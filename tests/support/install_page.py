"""Helpers for the confirmation page tests: a job made directly in the database (tenant 1),
completed or booked, with its customer link."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from support.surveys import customer, employee

from bot.installation.customer import issue_link
from models.installation import InstallJob, InstallLink, JobState, LinkPurpose

NUMBER = "AZ-20261123-0001"
NUMBER_DAY = date(2026, 11, 23)  # the day in NUMBER, so the next job's number follows it


async def job_with_link(
    now: datetime,
    purpose: LinkPurpose = LinkPurpose.COMPLETION,
    customer_name: str = "星辰科技",
    items: str = "打印机2台",
) -> tuple[InstallJob, InstallLink]:
    lisi = await employee("lisi", "李四", now)
    wang = await employee("wangsf", "王师傅", now)
    zhaoliu = await employee("zhaoliu", "赵六", now)
    await zhaoliu.update_from_dict({"role": "dispatcher"}).save()
    who = await customer(customer_name, now)
    start = now + (timedelta(days=1) if purpose is LinkPurpose.APPOINTMENT else -timedelta(hours=3))
    done = purpose is LinkPurpose.COMPLETION
    job = await InstallJob.create(
        tenant_id=1, number=NUMBER, day=NUMBER_DAY, seq=1, customer_id=who.id,
        address="朝阳区xx路", items=items,
        window_start=start, window_end=start + timedelta(hours=2),
        installer_id=wang.id, creator_id=lisi.id, version=1,
        state=JobState.COMPLETED if done else JobState.DISPATCHED,
        started_at=start if done else None, ended_at=start + timedelta(hours=1) if done else None,
        resolution="已装好测试正常" if done else "", created_at=now, updated_at=now,
    )  # fmt: skip
    return job, await issue_link(job, purpose, now)
