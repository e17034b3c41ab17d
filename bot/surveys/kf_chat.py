"""The survey conversation in a 微信客服 chat.

When a session ends the customer gets the rating menu; the click comes back as a text
message carrying the item's ``menu_id`` (``csat:4``). Then the chat offers an optional
comment, if the send budget allows two more messages (the question and the thanks). An
answer the bot cannot read gets one re-prompt; a second one ends the survey politely.
取消 / 算了 end it at any step.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from bot.dispatch.context import Context
from bot.dispatch.state import customer_key
from bot.dispatch.types import Reply, ReplyKind
from bot.kf.budget import budget_for
from bot.kf.transport import EVENT_CODE_LIFETIME, KF_EVENT_CHANNEL, event_payload
from bot.surveys.delivery import ASK_COMMENT, ASK_SCORE, rating_menu, rating_reply, start_chat
from bot.surveys.lifecycle import create_survey
from bot.surveys.service import AnswerOutcome, add_comment, record_answer
from bot.surveys.settings import SurveyTemplate
from bot.surveys.templates import is_valid_score
from bot.wecom.kf import KfAddress
from models.conversations import ConversationState
from models.crm.customers import Customer
from models.surveys import Survey, SurveyChannel, SurveyStatus, SurveyTrigger
from models.tenants import Employee, Role

logger = logging.getLogger(__name__)

COMMENT_TTL = timedelta(hours=2)
MENU_ID = re.compile(r"^(csat|nps):(\d{1,2})$")
SCORE = re.compile(r"^\s*(\d{1,2})\s*分?\s*$")
CANCEL_WORDS = frozenset({"取消", "算了", "cancel"})
SKIP_WORDS = frozenset({"跳过", "skip", "不用了", "没有"})

ASK_FOR_COMMENT = "感谢您的评价！可以说说原因吗？直接回复即可，回复“跳过”结束"
THANKS = "感谢您的反馈，我们会继续努力！"
THANKS_FOR_COMMENT = "收到，感谢您的宝贵意见！我们会认真改进。"
REPROMPT_HEAD = "抱歉，没有看懂您的评分。{question}"
STOPPED = "好的，这次就不打扰了，感谢您的耐心！如需帮助可随时给我们留言。"
CANCELLED = "好的，已取消本次评价。祝您生活愉快！"
ENDED = "好的，不打扰了，感谢您的评价！"
REFUSALS = {
    AnswerOutcome.EXPIRED: "抱歉，这次评价已经过期了，无需再填写。感谢您的支持！",
    AnswerOutcome.ALREADY_ANSWERED: "您已经评价过了，感谢您的反馈！",
    AnswerOutcome.CANCELLED: "这次评价已经结束了，感谢您的支持！",
    AnswerOutcome.NOT_FOUND: "这次评价已经结束了，感谢您的支持！",
}


def address_of(ctx: Context) -> KfAddress:
    return KfAddress.parse(str(ctx.update.fields["reply_to"]))


async def ask_after_session(ctx: Context, template: SurveyTemplate) -> None:
    """The session ended: create its survey and put the rating menu in front of the
    customer with ``kf/send_msg_on_event``, whose code works once and for 20 seconds."""
    update, now = ctx.update, ctx.clock.now()
    code = str(update.fields.get("msg_code") or "")
    deadline = update.created_at + EVENT_CODE_LIFETIME
    if not code or now >= deadline:
        logger.info(
            "kf session end %s: %s; no rating menu",
            update.key,
            "no msg_code" if not code else f"{(now - update.created_at).seconds}s old, too late",
        )
        return
    to = address_of(ctx)
    survey = await create_survey(
        ctx.tenant.id,
        template,
        trigger=SurveyTrigger.KF_SESSION_END,
        trigger_ref=str(update.fields.get("msgid") or update.key),
        customer_id=await _customer_id(ctx.tenant.id, to.external_userid),
        employee_id=await _servicer_id(ctx),
        channel=SurveyChannel.KF,
        recipient=str(to),
        now=now,
    )
    if survey is None:
        return
    payload = event_payload(code, deadline, "msgmenu", rating_menu(survey))
    ctx.reply(Reply(kind=ReplyKind.MSGMENU, payload=payload, channel=KF_EVENT_CHANNEL))
    await start_chat(ctx.tenant.id, to.external_userid, survey, now)


async def _customer_id(tenant_id: int, external_userid: str) -> int | None:
    customer = await Customer.get_or_none(tenant_id=tenant_id, external_userid=external_userid)
    return customer.id if customer else None


async def _servicer_id(ctx: Context) -> int | None:
    """The servicer who handled the session: the one the survey's score is about."""
    userid = str(ctx.update.fields.get("old_servicer_userid") or "")
    if not userid:
        return None
    now = ctx.clock.now()
    employee, _ = await Employee.get_or_create(
        tenant_id=ctx.tenant.id,
        userid=userid,
        defaults={"role": Role.MEMBER, "first_seen_at": now, "last_seen_at": now},
    )
    return int(employee.id)


async def _open_survey(ctx: Context) -> Survey | None:
    """The survey this chat is about: the one in the conversation state, else the newest
    one asked in this kf chat (a menu clicked after the state ran out)."""
    state_id = ctx.conversation.data.get("survey_id") if ctx.conversation else None
    if state_id is not None:
        survey = await Survey.get_or_none(id=int(state_id), tenant_id=ctx.tenant.id)
        if survey is not None:
            return survey
    return (
        await Survey.filter(
            tenant_id=ctx.tenant.id, channel=SurveyChannel.KF, recipient=str(address_of(ctx))
        )
        .order_by("-sent_at", "-id")
        .first()
    )


async def answer_menu(ctx: Context) -> str | Reply | None:
    """A click on the rating menu (``menu_id`` ``csat:4``)."""
    match = MENU_ID.match(str(ctx.update.fields.get("menu_id", "")))
    assert match is not None, "the route only takes rating menu clicks"
    return await _score(ctx, int(match.group(2)))


async def answer_score(ctx: Context) -> str | Reply | None:
    """Text while the chat waits for the score: a number, 取消, or something unreadable."""
    text = ctx.update.text.strip()
    if text.lower() in CANCEL_WORDS:
        return await _cancel(ctx)
    match = SCORE.match(text)
    survey = await _open_survey(ctx)
    if match and survey is not None and is_valid_score(survey.kind, int(match.group(1))):
        return await _score(ctx, int(match.group(1)))
    return await _unreadable(ctx, survey)


async def _score(ctx: Context, score: int) -> str | Reply | None:
    survey = await _open_survey(ctx)
    now = ctx.clock.now()
    if survey is None:
        await _clear(ctx)
        return REFUSALS[AnswerOutcome.NOT_FOUND]
    outcome = await record_answer(survey, score, "", now=now)
    if outcome is AnswerOutcome.INVALID_SCORE:
        return await _unreadable(ctx, survey)
    if outcome is not AnswerOutcome.RECORDED:
        await _clear(ctx)
        return REFUSALS[outcome]
    # The comment question and its thanks take two sends; ask only when both fit.
    if not (await budget_for(ctx.tenant.id, address_of(ctx), now)).allows(2):
        await _clear(ctx)
        return THANKS
    await _set_state(ctx, ASK_COMMENT, {"survey_id": survey.id}, COMMENT_TTL)
    return ASK_FOR_COMMENT


async def _unreadable(ctx: Context, survey: Survey | None) -> str | Reply | None:
    retries = int(ctx.conversation.data.get("retries", 0)) if ctx.conversation else 0
    if survey is None or survey.status is not SurveyStatus.SENT or retries >= 1:
        if survey is not None:
            await _stop(survey, ctx.clock.now())
        await _clear(ctx)
        return STOPPED
    await _set_state(ctx, ASK_SCORE, {"survey_id": survey.id, "retries": retries + 1})
    head = REPROMPT_HEAD.format(question=survey.question or "请为本次服务打分：")
    return rating_reply(survey, str(address_of(ctx)), head)


async def answer_comment(ctx: Context) -> str | None:
    """Text after the score: the comment, 跳过, or 取消."""
    text = ctx.update.text.strip()
    survey = await _open_survey(ctx)
    await _clear(ctx)
    if text.lower() in CANCEL_WORDS:
        return ENDED
    if text.lower() in SKIP_WORDS or survey is None:
        return THANKS
    await add_comment(survey, text, now=ctx.clock.now())
    return THANKS_FOR_COMMENT


async def _cancel(ctx: Context) -> str:
    survey = await _open_survey(ctx)
    if survey is not None:
        await _stop(survey, ctx.clock.now())
    await _clear(ctx)
    return CANCELLED


async def _stop(survey: Survey, now: datetime) -> None:
    """The customer would rather not answer: no reminder will chase them."""
    await Survey.filter(id=survey.id, status=SurveyStatus.SENT).update(
        status=SurveyStatus.CANCELLED, cancelled_at=now
    )


async def _set_state(
    ctx: Context, state: str, data: dict[str, int], ttl: timedelta | None = None
) -> None:
    assert ctx.conversation is not None, "kf text messages carry the customer's conversation"
    if ttl is None:
        await ctx.conversation.set(state, data)
    else:
        await ctx.conversation.set(state, data, ttl=ttl)


async def _clear(ctx: Context) -> None:
    if ctx.conversation is not None:
        await ctx.conversation.clear()
        return
    external_userid = address_of(ctx).external_userid
    await ConversationState.filter(
        tenant_id=ctx.tenant.id, user_id=customer_key(external_userid)
    ).delete()
