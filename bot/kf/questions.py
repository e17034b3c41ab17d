"""A 微信客服 customer's question: the knowledge base's best answer (when the tenant has the
knowledge module), else a person."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch.context import Context
from bot.dispatch.types import Channel
from bot.kf.tickets import may_report
from bot.knowledge.retrieval import best_answer
from bot.nlu.segment import Segmenter
from bot.subscription.service import Billing

KNOWLEDGE = "knowledge"  # the module whose articles answer customers
NO_ANSWER = "抱歉，暂时没有找到相关答案。回复“人工”转人工客服。"
NO_ANSWER_OR_REPORT = (
    "抱歉，暂时没有找到相关答案。回复“报修 问题描述”登记工单，或回复“人工”转人工客服。"
)
MORE_HELP = "\n\n没有解决您的问题？回复“人工”转人工客服。"


async def answer_question(ctx: Context) -> str:
    segmenter: Segmenter | None = ctx.deps.get("segmenter")
    question = ctx.update.text.strip()
    if segmenter is None or not question or not await _has_knowledge(ctx):
        return await _no_answer(ctx)
    settings: Settings = ctx.deps["settings"]
    hit = await best_answer(
        ctx.tenant.id,
        question,
        segmenter,
        channel=Channel.KF.value,
        now=ctx.clock.now(),
        min_score=settings.knowledge.customer_min_score,
    )
    if hit is None:
        return await _no_answer(ctx)
    return hit.answer + MORE_HELP


async def _no_answer(ctx: Context) -> str:
    """Where the customer can go next: a work order when the tenant takes them, a person."""
    return NO_ANSWER_OR_REPORT if await may_report(ctx) else NO_ANSWER


async def _has_knowledge(ctx: Context) -> bool:
    billing: Billing = ctx.deps["billing"]
    return await billing.grants(ctx.tenant.id, ctx.tenant.timezone, KNOWLEDGE)
