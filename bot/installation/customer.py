"""The customer's side of a job: the single-use link to the confirmation page, the messages
that carry it, and what an answer does.

A customer is reached the way the surveys reach them (``bot.surveys.invite``): in their open
微信客服 chat when there is one; else through a member, with a mass-send task
(``externalcontact/add_msg_template``: the link as a card) that the member confirms with one
tap, and a note to that member with the link to forward by hand; else the note alone. The
member is the job's booker, else the installer.

Confirming moves 已完工 → 客户已确认 with a conditional UPDATE, so two answers racing (the page
twice, the page and 确认安装 in chat) confirm once, and the ``on_confirmed`` hooks (the
satisfaction survey) run once. Asking to reschedule tells the job's booker and the
dispatchers (派单员), or the admins when there are none.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from bot.config import Settings
from bot.dispatch.types import Channel, Reply, ReplyKind
from bot.installation import page_html
from bot.installation.deciders import NO_NOTE, deciders
from bot.installation.hooks import InstallHooks
from bot.installation.numbers import tail
from bot.installation.revisit import open_revisit
from bot.installation.wording import window_words
from bot.kf.budget import open_address
from bot.kf.transport import KF_CHANNEL
from bot.tenants import TenantInfo
from bot.wecom.msg_templates import link_attachment
from models.crm.customers import Customer
from models.installation import InstallJob, InstallLink, JobState, LinkAnswer, LinkPurpose
from models.tenants import Employee

LINK_DAYS = 7
NOTE_MAX = page_html.NOTE_MAX
MSG_TEMPLATE_CHANNEL = ReplyKind.MSG_TEMPLATE.value

ASK = {
    LinkPurpose.APPOINTMENT: (
        "您好，{organisation}已为您预约上门安装：{when}，{items}。"
        "时间合适请点击链接确认，需要改时间也可以在链接里告诉我们："
    ),
    LinkPurpose.COMPLETION: (
        "您好，{organisation}的安装已完成：{items}。请点击链接确认，"
        "如果还有问题需要再次上门，也可以在链接里告诉我们："
    ),
}
LINK_TITLE = {
    LinkPurpose.APPOINTMENT: "确认安装时间",
    LinkPurpose.COMPLETION: "确认安装完成",
}
TASK_CREATED = (
    "已为客户{customer}生成安装单 {number} 的{what}群发，请在企业微信「客户联系 → 群发助手」"
    "里确认发送。没有看到提醒的话，也可以把这个链接转发给客户：\n{url}"
)
FORWARD = "请把这个链接转发给客户{customer}，请客户{what}（安装单 {number}）：\n{url}"
KF_TAIL = "\n{url}"
RESCHEDULE_ASKED = (
    "客户{customer}申请改约安装单 {number}（{when}）：{note}\n改时间发送「改约 {tail} 新时间」。"
)


class Outcome(StrEnum):
    RECORDED = "recorded"
    NOT_FOUND = "not_found"
    ANSWERED = "answered"  # the link was used already
    EXPIRED = "expired"
    STALE = "stale"  # the appointment moved, or the job is no longer at that stage


def new_token() -> str:
    return secrets.token_urlsafe(24)


def link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/i/{token}"


async def issue_link(job: InstallJob, purpose: LinkPurpose, now: datetime) -> InstallLink:
    """The link for this job, purpose and appointment version (one, reused if asked again)."""
    link, _ = await InstallLink.get_or_create(
        job_id=job.id,
        purpose=purpose,
        version=job.version,
        defaults={
            "token": new_token(),
            "created_at": now,
            "expires_at": now + timedelta(days=LINK_DAYS),
        },
    )
    return link


def closed_reason(link: InstallLink, job: InstallJob, now: datetime) -> Outcome | None:
    """Why the link can no longer take an answer, or None while it can."""
    if link.answered_at is not None:
        return Outcome.ANSWERED
    if link.expires_at <= now:
        return Outcome.EXPIRED
    if link.purpose is LinkPurpose.COMPLETION and job.state is not JobState.COMPLETED:
        return Outcome.ANSWERED if job.state is JobState.CONFIRMED else Outcome.STALE
    if link.purpose is LinkPurpose.APPOINTMENT and (
        job.version != link.version or job.state not in (JobState.PENDING, JobState.DISPATCHED)
    ):
        return Outcome.STALE
    return None


async def customer_replies(
    tenant: TenantInfo, job: InstallJob, purpose: LinkPurpose, base_url: str, now: datetime
) -> list[Reply]:
    """The messages that put the job's link in front of its customer (see the module doc)."""
    customer = await Customer.get(id=job.customer_id)
    link = await issue_link(job, purpose, now)
    url = link_url(base_url, link.token)
    text = ASK[purpose].format(
        organisation=tenant.name, when=window_words(job, tenant.timezone), items=job.items or "安装"
    )
    if customer.external_userid:
        address = await open_address(tenant.id, customer.external_userid, now)
        if address is not None:
            body = text + KF_TAIL.format(url=url)
            return [Reply(body, to_user=str(address), channel=KF_CHANNEL)]
    member = await _member_for(job)
    if member is None:
        return []
    name = f" {customer.display_name} "
    what = LINK_TITLE[purpose]
    if customer.external_userid:
        task = Reply(
            kind=ReplyKind.MSG_TEMPLATE,
            to_user=member.userid,
            payload={
                "external_userid": [customer.external_userid],
                "text": {"content": text},
                "attachments": [link_attachment(what, f"安装单 {job.number}", url)],
            },
            channel=MSG_TEMPLATE_CHANNEL,
        )
        note = TASK_CREATED.format(customer=name, number=job.number, what=what, url=url)
        return [task, Reply(note, to_user=member.userid, channel=Channel.APP.value)]
    note = FORWARD.format(customer=name, what=what, number=job.number, url=url)
    return [Reply(note, to_user=member.userid, channel=Channel.APP.value)]


async def _member_for(job: InstallJob) -> Employee | None:
    for employee_id in (job.creator_id, job.installer_id):
        if employee_id:
            member = await Employee.get_or_none(id=employee_id)
            if member is not None:
                return member
    return None


async def confirm_once(
    tenant: TenantInfo, job: InstallJob, now: datetime, settings: Settings, hooks: InstallHooks
) -> bool:
    """已完工 → 客户已确认, once: True for the one caller that moved it (its transaction then
    runs the hooks). Call inside a transaction."""
    moved = await InstallJob.filter(id=job.id, state=JobState.COMPLETED).update(
        state=JobState.CONFIRMED, confirmed_at=now, updated_at=now
    )
    if not moved:
        return False
    job.state, job.confirmed_at, job.updated_at = JobState.CONFIRMED, now, now
    await InstallLink.filter(
        job_id=job.id, purpose=LinkPurpose.COMPLETION, answered_at=None
    ).update(answered_at=now, answer=LinkAnswer.CONFIRMED)
    await hooks.on_confirmed(tenant, job, now, settings)
    return True


async def claim_answer(link: InstallLink, answer: LinkAnswer, note: str, now: datetime) -> bool:
    """Spend the link: True for the one answer that got it. Call inside a transaction."""
    won = await InstallLink.filter(id=link.id, answered_at=None).update(
        answered_at=now, answer=answer, note=note[:NOTE_MAX]
    )
    return won > 0


async def record_answer(
    tenant: TenantInfo,
    link: InstallLink,
    answer: LinkAnswer,
    note: str,
    now: datetime,
    settings: Settings,
    hooks: InstallHooks,
) -> tuple[Outcome, list[Reply]]:
    """The customer's answer, from the page or from their 微信客服 chat, taken at most once
    per link: RECORDED with what the booker and the dispatchers are to be told, or why not.
    Call inside a transaction; the caller queues the replies in it."""
    job = await InstallJob.get(id=link.job_id)
    closed = closed_reason(link, job, now)
    if closed is not None:
        return closed, []
    if not await claim_answer(link, answer, note, now):
        return Outcome.ANSWERED, []  # another answer won the link
    if answer is LinkAnswer.RESCHEDULE and link.purpose is LinkPurpose.COMPLETION:
        return Outcome.RECORDED, await open_revisit(tenant, job, note, now)
    if answer is LinkAnswer.RESCHEDULE:
        return Outcome.RECORDED, await reschedule_notes(tenant, job, link.purpose, note)
    if link.purpose is LinkPurpose.COMPLETION and not await confirm_once(
        tenant, job, now, settings, hooks
    ):
        return Outcome.ANSWERED, []  # confirmed in chat (确认安装) a moment earlier
    return Outcome.RECORDED, []


async def reschedule_notes(
    tenant: TenantInfo, job: InstallJob, purpose: LinkPurpose, note: str
) -> list[Reply]:
    """What the booker and the dispatchers are told when the customer asks for another time
    (another visit after completion is ``bot.installation.revisit``)."""
    customer = await Customer.get(id=job.customer_id)
    text = RESCHEDULE_ASKED.format(
        customer=f" {customer.display_name} ",
        number=job.number,
        when=window_words(job, tenant.timezone),
        note=note.strip() or NO_NOTE,
        tail=tail(job),
    )
    return [Reply(text, to_user=userid, channel=Channel.APP.value) for userid in
            await deciders(tenant, job)]  # fmt: skip
