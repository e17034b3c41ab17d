"""A 微信客服 customer's question: the knowledge base's best answer, else a person."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.types import Channel
from bot.knowledge.retrieval import best_answer
from bot.nlu.segment import Segmenter

NO_ANSWER = "抱歉，暂时没有找到相关答案。回复“人工”转人工客服。"
MORE_HELP = "\n\n没有解决您的问题？回复“人工”转人工客服。"


async def answer_question(ctx: Context) -> str:
    segmenter: Segmenter | None = ctx.deps.get("segmenter")
    question = ctx.update.text.strip()
    if segmenter is None or not question:
        return NO_ANSWER
    hit = await best_answer(
        ctx.tenant.id, question, segmenter, channel=Channel.KF.value, now=ctx.clock.now()
    )
    if hit is None:
        return NO_ANSWER
    return hit.answer + MORE_HELP
