"""微信客服 customers: reading their messages, the satisfaction survey in the chat, answers
from the knowledge base, and a person on request.

This router comes first and takes every kf update, so no employee command ever answers a
customer. Its module is core: a customer must never hear about the tenant's plan.
"""

from __future__ import annotations

import logging

from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.filters import Command, EventIs, FilterResult, StateIs
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.dispatch.types import Channel, Reply
from bot.kf.budget import budget_for
from bot.kf.handoff import hand_over
from bot.kf.questions import answer_question
from bot.kf.sync import KfSync
from bot.kf.tickets import may_report, report_problem
from bot.surveys.delivery import ASK_COMMENT, ASK_SCORE
from bot.surveys.kf_chat import (
    MENU_ID,
    address_of,
    answer_comment,
    answer_menu,
    answer_score,
    ask_after_session,
)
from bot.wecom.kf import SESSION_ENDED, KfAPI

logger = logging.getLogger(__name__)

# 微信客服 customers are answered by this router only: no employee command may answer them.
router = Router(__name__, title="微信客服", tier=Tier.CHANNEL)

HANDING_OVER = "正在为您转接人工客服，请稍候…"
NO_SERVICER = "抱歉，人工客服暂时无法接入。您可以直接留言，我们会尽快回复您。"
HANDOVER_DONE = "kf.handed_over"


def from_kf(ctx: Context) -> FilterResult:
    return ctx.update.channel is Channel.KF and bool(ctx.update.fields.get("reply_to"))


def menu_click(ctx: Context) -> FilterResult:
    return bool(MENU_ID.match(str(ctx.update.fields.get("menu_id", ""))))


async def sync_messages(ctx: Context) -> None:
    """Read the kf account's new messages; each becomes an update of its own."""
    sync: KfSync = ctx.deps["kf_sync"]
    token = str(ctx.update.fields.get("Token", ""))
    open_kfid = str(ctx.update.fields.get("OpenKfId", ""))
    if not token or not open_kfid:
        logger.warning("kf_msg_or_event %s without Token or OpenKfId ignored", ctx.update.key)
        return
    await sync.run(ctx.tenant, token=token, open_kfid=open_kfid)


@router.event("kf_msg_or_event", prepare=sync_messages)
async def kf_messages_read(ctx: Context) -> None:
    """The messages were read in the prepare step; there is nothing to say to WeCom."""


@router.on(from_kf, EventIs("session_status_change", SESSION_ENDED))
async def session_ended(ctx: Context) -> None:
    settings: Settings = ctx.deps["settings"]
    await ask_after_session(ctx, settings.surveys.for_tenant(ctx.tenant.key))


@router.message(from_kf, menu_click)
async def rating_clicked(ctx: Context) -> str | Reply | None:
    return await answer_menu(ctx)


@router.message(from_kf, StateIs(ASK_SCORE))
async def score_typed(ctx: Context) -> str | Reply | None:
    return await answer_score(ctx)


@router.message(from_kf, StateIs(ASK_COMMENT))
async def comment_typed(ctx: Context) -> str | None:
    return await answer_comment(ctx)


async def hand_to_person(ctx: Context) -> None:
    api: KfAPI = KfAPI(ctx.deps["client"])
    ctx.deps[HANDOVER_DONE] = await hand_over(api, ctx.tenant, address_of(ctx))


@router.message(from_kf, Command("人工", "转人工", "人工客服"), prepare=hand_to_person)
async def person_asked(ctx: Context) -> str:
    return HANDING_OVER if ctx.deps.get(HANDOVER_DONE) else NO_SERVICER


@router.message(from_kf, Command("报修", "工单"))
async def problem_reported(ctx: Context) -> str | None:
    if not await may_report(ctx):
        return await answer_question(ctx)  # no work orders here: treat it as a question
    return await report_problem(ctx, ctx.args)


@router.message(from_kf)
async def question_asked(ctx: Context) -> str | None:
    if not (await budget_for(ctx.tenant.id, address_of(ctx), ctx.clock.now())).allows():
        logger.info("kf question %s unanswered: no send budget left", ctx.update.key)
        return None
    return await answer_question(ctx)


@router.on(from_kf)
async def other_kf_update(ctx: Context) -> None:
    """Pictures, voice, session events the bot has nothing to say to: taken quietly."""
