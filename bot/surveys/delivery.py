"""Putting a survey in front of the customer: the rating menu in their 微信客服 chat, or the
survey page through their employee (``bot.surveys.invite``). Reminders go the same way, once.

Rows written here belong to no handler's send-after-commit list, so they are left for the
outbox sweep (seconds later) rather than leased to this process.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.dispatch.state import customer_key
from bot.dispatch.types import Channel, Reply, ReplyKind
from bot.kf.transport import KF_CHANNEL
from bot.outbox import enqueue
from bot.surveys.invite import send_page_survey, survey_url
from bot.surveys.templates import default_question, score_labels
from bot.tenants import TenantInfo
from bot.wecom.kf import KfAddress, menu_payload
from models.conversations import ConversationState
from models.crm.customers import Customer
from models.surveys import Survey, SurveyChannel, SurveyKind

FOR_ANY_SENDER = timedelta(0)
# The chat waits this long for the score, then a stray message is a question again; the
# survey itself stays answerable (the menu's items still work) until it expires.
CHAT_TTL = timedelta(hours=24)
ASK_SCORE, ASK_COMMENT = "survey.score", "survey.comment"

MENU_TAIL = "点击上面的选项即可评价，回复“取消”不参与。"
NPS_PROMPT = "{question}\n请回复 0 到 10 之间的数字（10 表示非常愿意），回复“取消”不参与。"
PAGE_REMINDER = "客户{customer}还没有填写满意度调查，方便的话请再提醒一下：\n{url}"
KF_REMINDER_HEAD = "打扰一下，想再请您为我们的服务打个分："


def menu_id(kind: SurveyKind, score: int) -> str:
    return f"{kind.value}:{score}"


def question_of(survey: Survey) -> str:
    return survey.question or default_question(survey.kind)


def rating_menu(survey: Survey, head: str | None = None) -> dict[str, Any]:
    """The msgmenu that asks for the score in a kf chat: CSAT's five scores, best first. NPS
    has 11 scores and a kf menu holds at most 10 items, so its menu is the question alone,
    answered with a number."""
    question = head or question_of(survey)
    if survey.kind is SurveyKind.CSAT:
        scores = score_labels(survey.kind)[::-1]
        items = [(menu_id(survey.kind, score), f"{score} {label}") for score, label in scores]
        return menu_payload(question, items, MENU_TAIL)
    return menu_payload(NPS_PROMPT.format(question=question), [])


def rating_reply(survey: Survey, to: str, head: str | None = None) -> Reply:
    return Reply(
        kind=ReplyKind.MSGMENU, to_user=to, payload=rating_menu(survey, head), channel=KF_CHANNEL
    )


async def start_chat(tenant_id: int, external_userid: str, survey: Survey, now: datetime) -> None:
    """Persist "waiting for this customer's score" (it survives a restart)."""
    await ConversationState.update_or_create(
        defaults={
            "state": ASK_SCORE,
            "data": {"survey_id": survey.id, "retries": 0},
            "expires_at": now + CHAT_TTL,
            "updated_at": now,
        },
        tenant_id=tenant_id,
        user_id=customer_key(external_userid),
    )


async def deliver(
    survey: Survey, customer: Customer | None, tenant: TenantInfo, base_url: str, *, now: datetime
) -> None:
    """Send a new survey on its channel; call inside the transaction that created it."""
    if survey.channel is SurveyChannel.KF:
        to = KfAddress.parse(survey.recipient)
        await _enqueue(survey, rating_reply(survey, survey.recipient), "ask", now)
        await start_chat(survey.tenant_id, to.external_userid, survey, now)
        return
    # Through the employee: a mass-send task they confirm, and the link to forward.
    await send_page_survey(survey, tenant=tenant, customer=customer, base_url=base_url, now=now)


async def remind(survey: Survey, base_url: str, *, now: datetime) -> None:
    """The one reminder; call inside the transaction that claimed it."""
    if survey.channel is SurveyChannel.KF:
        reply = rating_reply(survey, survey.recipient, KF_REMINDER_HEAD + question_of(survey))
        await _enqueue(survey, reply, "remind", now)
        return
    customer = await Customer.get_or_none(id=survey.customer_id) if survey.customer_id else None
    text = PAGE_REMINDER.format(
        customer=f" {customer.name} " if customer else "", url=survey_url(base_url, survey.token)
    )
    reply = Reply(text, to_user=survey.recipient, channel=Channel.APP.value)
    await _enqueue(survey, reply, "remind", now)


async def _enqueue(survey: Survey, reply: Reply, step: str, now: datetime) -> None:
    await enqueue(
        survey.tenant_id,
        [reply],
        default_user=None,
        key_prefix=f"survey:{survey.id}:{step}",
        channel=reply.channel or Channel.APP.value,
        now=now,
        lease=FOR_ANY_SENDER,
    )
