"""Another visit when the customer answers 还有问题 on the completion link: a follow-up job
(待排期) with the first job's customer, address, items and contact, booked in the first
job's booker's name and linked to it, so ``改约`` and ``安排`` plan it like any job.

The first job stays 已完工 (its work was done and its evidence stands) and shows the follow-up;
it is no longer chased for the customer's confirmation, which now belongs to the new visit.
The unique ``revisit_of_id`` makes one follow-up per job however the answer is retried, and
安装统计's first-time completion rate counts the jobs that needed one.
"""

from __future__ import annotations

from datetime import datetime

from bot.dispatch.types import Channel, Reply
from bot.installation.deciders import NO_NOTE, deciders
from bot.installation.numbers import tail
from bot.installation.page_html import NOTE_MAX
from bot.installation.store import NewJob, create_job
from bot.tenants import TenantInfo
from models.crm.customers import Customer
from models.installation import InstallJob
from models.tenants import Employee

AGAIN_ASKED = (
    "客户{customer}没有确认安装单 {number} 的完工，希望再次上门：{note}\n"
    "已新建再次上门的安装单 {revisit}（地址、内容、联系人同前），"
    "约好时间后发送「改约 {tail} 时间」，再「安排 {tail} 给 师傅」。"
)


def one_line(note: str) -> str:
    """The customer's note on one line, so it cannot pose as a line of the bot's own."""
    flat = " ".join(note.split())
    return flat or NO_NOTE


async def open_revisit(
    tenant: TenantInfo, job: InstallJob, note: str, now: datetime
) -> list[Reply]:
    """Books the follow-up visit and says so to the booker and the dispatchers. Call inside
    the transaction that spent the customer's link."""
    customer = await Customer.get(id=job.customer_id)
    booker = await Employee.get_or_none(id=job.creator_id) if job.creator_id else None
    asked = NewJob(customer, None, None, job.items, job.address, job.contact)
    revisit = await create_job(
        tenant.id, asked, booker, now, now.astimezone(tenant.timezone).date()
    )
    revisit.revisit_of_id, revisit.revisit_reason = job.id, note[:NOTE_MAX]
    await revisit.save(update_fields=["revisit_of_id", "revisit_reason"])
    text = AGAIN_ASKED.format(
        customer=f" {customer.display_name} ",
        number=job.number,
        note=one_line(note),
        revisit=revisit.number,
        tail=tail(revisit),
    )
    return [
        Reply(text, to_user=userid, channel=Channel.APP.value)
        for userid in await deciders(tenant, job)
    ]


async def revisit_lines(job: InstallJob) -> list[str]:
    """The follow-up a job needed, or the job a follow-up is for, for the job's card."""
    lines = []
    if job.revisit_of_id is not None:
        first = await InstallJob.get_or_none(id=job.revisit_of_id)
        if first is not None:
            lines.append(f"再次上门：{first.number} 客户反馈「{one_line(job.revisit_reason)}」")
    follow = await InstallJob.get_or_none(revisit_of_id=job.id)
    if follow is not None:
        lines.append(f"客户反馈还有问题，已安排再次上门：{follow.number}")
    return lines
