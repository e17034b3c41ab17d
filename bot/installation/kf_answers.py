"""A customer answering an installation confirmation in their 微信客服 chat, as they could on
the page (``bot.installation.page``): 确认 / 没问题 / 时间可以, 改约 / 改到周六上午 / 那天不在家,
还有问题 / 打印机还是不出纸.

Only a link that was put in this very chat is answered this way: the customer's open link
whose URL is in a kf message sent to this chat (the outbox keeps them). The answer spends the
same single-use link as the page (``customer.record_answer``), so a page answer and a chat
answer racing each other record one result, and the loser is told what was recorded.

A reply that is not clear (``reply_words``) is not guessed: the customer gets the two choices,
and the text also goes on to the chat's usual answer (the knowledge base), since it may be a
question rather than an answer.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from tortoise.expressions import Q

from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.types import Channel
from bot.installation import customer as side
from bot.installation.hooks import hooks_of
from bot.installation.reply_words import Reading, read_reply
from bot.installation.wording import window_words
from bot.kf.budget import budget_for
from bot.kf.questions import answer_question
from bot.kf.transport import KF_CHANNEL
from bot.wecom.kf import KfAddress
from models.crm.customers import Customer
from models.installation import InstallJob, InstallLink, LinkAnswer, LinkPurpose
from models.outbox import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

LINK_IN_TEXT = re.compile(r"/i/([A-Za-z0-9_-]{16,64})")
# The kf message carrying a link is written a moment around the link itself.
SENT_SLACK = timedelta(minutes=5)
# A reply this soon after the link was answered (on the page, or racing it) is told what was
# recorded; later ones are the chat's ordinary messages again.
JUST_ANSWERED = timedelta(minutes=10)
# What the chat's own commands start with (a person, a work order): never taken as an answer.
LEFT_TO_THE_CHAT = ("人工", "转人工", "报修", "工单")

RECORDED = {
    (LinkPurpose.APPOINTMENT, LinkAnswer.CONFIRMED): (
        "好的，已确认安装单 {number} 的上门时间：{when}。师傅会按时上门。"
    ),
    (LinkPurpose.APPOINTMENT, LinkAnswer.RESCHEDULE): (
        "已收到改约申请（安装单 {number}）{note}。负责的同事会尽快联系您约新的时间。"
    ),
    (LinkPurpose.COMPLETION, LinkAnswer.CONFIRMED): (
        "好的，已确认安装单 {number} 安装完成，祝您使用愉快！"
    ),
    (LinkPurpose.COMPLETION, LinkAnswer.RESCHEDULE): (
        "已记下（安装单 {number}）{note}。负责的同事会尽快联系您安排再次上门。"
    ),
}
NOTE = "：{note}"
CHOICES = {
    LinkPurpose.APPOINTMENT: (
        "关于安装单 {number}（{when}）：时间没问题请回复「确认」；"
        "需要换时间请回复「改约」加上方便的时间，例如：改约 周六上午。"
    ),
    LinkPurpose.COMPLETION: (
        "关于安装单 {number}：已经装好请回复「确认」；"
        "还有问题需要再次上门请回复「还有问题」加上情况，例如：还有问题 打印机不出纸。"
    ),
}
ANSWERED_AS = {
    (LinkPurpose.APPOINTMENT, LinkAnswer.CONFIRMED): "已确认上门时间",
    (LinkPurpose.APPOINTMENT, LinkAnswer.RESCHEDULE): "已申请改约",
    (LinkPurpose.COMPLETION, LinkAnswer.CONFIRMED): "已确认安装完成",
    (LinkPurpose.COMPLETION, LinkAnswer.RESCHEDULE): "已反馈需要再次上门",
}
ALREADY = "安装单 {number} 您已经回复过了（{what}），感谢！"
CLOSED = {
    side.Outcome.ANSWERED: "安装单 {number} 您已经回复过了，感谢！",
    side.Outcome.EXPIRED: "安装单 {number} 的确认已过期，如有问题请直接留言。",
    side.Outcome.STALE: "安装单 {number} 的安排已有变化，我们会把最新的安排发给您。",
}


def address_of(ctx: Context) -> KfAddress | None:
    if ctx.update.channel is not Channel.KF or ctx.update.is_event:
        return None
    try:
        return KfAddress.parse(str(ctx.update.fields.get("reply_to", "")))
    except ValueError:
        return None


def in_another_conversation(ctx: Context) -> bool:
    """Mid-way through another of the chat's questions (a survey's score or comment): only a
    confirmation still waiting for its answer is taken before it."""
    return bool(ctx.conversation and ctx.conversation.state)


def may_be_an_answer(ctx: Context) -> bool:
    """Plain text from a kf customer, not one of the chat's own commands, holding a yes or
    a no."""
    if ctx.update.fields.get("menu_id"):
        return False
    text = ctx.update.text.strip()
    if not text or text.startswith(LEFT_TO_THE_CHAT):
        return False
    return read_reply(text).reading is not Reading.NONE


async def link_in_chat(
    tenant_id: int, to: KfAddress, now: datetime, *, just_answered: bool = True
) -> InstallLink | None:
    """The newest link of this customer that was sent into this kf chat and is open, or (with
    ``just_answered``) was answered a moment ago: the customer then hears what was recorded."""
    customer = await Customer.get_or_none(tenant_id=tenant_id, external_userid=to.external_userid)
    if customer is None:
        return None
    open_or_just = Q(answered_at=None)
    if just_answered:
        open_or_just |= Q(answered_at__gte=now - JUST_ANSWERED)
    links = await InstallLink.filter(
        open_or_just,
        job__tenant_id=tenant_id,
        job__customer_id=customer.id,
        expires_at__gt=now,
    ).order_by("-created_at", "-id")
    jobs = {j.id: j for j in await InstallJob.filter(id__in=[link.job_id for link in links])}
    # Answered shows on the job before the link when the two reads straddle a racing answer.
    taken = (None, side.Outcome.ANSWERED) if just_answered else (None,)
    live = {
        link.token: link
        for link in links
        if link.answered_at is not None or side.closed_reason(link, jobs[link.job_id], now) in taken
    }
    if not live:
        return None
    since = min(link.created_at for link in live.values()) - SENT_SLACK
    sent = (
        await OutboxMessage.filter(
            tenant_id=tenant_id, channel=KF_CHANNEL, recipient=str(to), created_at__gte=since
        )
        .exclude(status=OutboxStatus.DEAD)
        .order_by("-id")
    )
    for row in sent:
        for token in LINK_IN_TEXT.findall(str(row.payload.get("content", ""))):
            if token in live:
                return live[token]
    return None


async def answer_in_chat(ctx: Context, to: KfAddress, link: InstallLink) -> None:
    reply = read_reply(ctx.update.text)
    job = await InstallJob.get(id=link.job_id)
    closed = side.closed_reason(link, job, ctx.clock.now())
    if closed is not None:
        ctx.reply(await _why_not(link, job, closed))
        return
    if reply.reading is Reading.UNCLEAR:
        when = window_words(job, ctx.tenant.timezone)
        ctx.reply(CHOICES[link.purpose].format(number=job.number, when=when))
        # It may be a question rather than an answer: the chat's usual answer too, if the
        # customer's send budget has room for both messages.
        if (await budget_for(ctx.tenant.id, to, ctx.clock.now())).allows(2):
            ctx.reply(await answer_question(ctx))
        return
    answer = LinkAnswer.CONFIRMED if reply.reading is Reading.YES else LinkAnswer.RESCHEDULE
    settings: Settings = ctx.deps["settings"]
    now, note = ctx.clock.now(), reply.note[: side.NOTE_MAX]  # as much as the page takes
    outcome, notes = await side.record_answer(
        ctx.tenant, link, answer, note, now, settings, hooks_of(ctx)
    )
    if outcome is not side.Outcome.RECORDED:
        ctx.reply(await _why_not(link, job, outcome))
        return
    for told in notes:
        assert told.to_user is not None
        ctx.send(told.to_user, told)
    logger.info("install link %s answered in kf chat: %s", link.id, answer.value)
    ctx.reply(
        RECORDED[(link.purpose, answer)].format(
            number=job.number,
            when=window_words(job, ctx.tenant.timezone),
            note=NOTE.format(note=note) if note else "",
        )
    )


async def _why_not(link: InstallLink, job: InstallJob, outcome: side.Outcome) -> str:
    """The link went another way meanwhile (the page, 确认安装 in chat): say what stands."""
    fresh = await InstallLink.get(id=link.id)
    if outcome is side.Outcome.ANSWERED and fresh.answer is not None:
        return ALREADY.format(number=job.number, what=ANSWERED_AS[(fresh.purpose, fresh.answer)])
    return CLOSED.get(outcome, CLOSED[side.Outcome.ANSWERED]).format(number=job.number)
