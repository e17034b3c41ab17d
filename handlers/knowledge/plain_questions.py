"""A question typed without 问 (``退款流程是怎样的``, ``打印机卡纸怎么办？``): answered from the
knowledge base, exactly as ``问 …`` would.

It is free text, not a command, so it is taken in two places. A confident answer is given
before anything else reads the text as a command (``ask_question``). Without one, every
command had its chance first, exact and by similarity (``bot.dispatch.guess``); a question
nothing else took is then the knowledge base's (``ask_unanswered``): the tenant hears that
there is no answer yet, the question is logged for the admins to answer (未命中问题), and the
commands it is closest to are offered in case it was meant for one of them. A tenant without
the knowledge module hears nothing from here, not even an offer to buy it: the check is in
the filter, before the route is chosen.
"""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.dispatch.types import Channel
from bot.knowledge.question_shape import describes_a_fault, looks_like_question
from bot.knowledge.retrieval import Answer, answer
from bot.knowledge.wording import render_answer
from bot.nlu.segment import Segmenter
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from handlers.core.fallback import closest_lines
from handlers.knowledge.questions import ASK_LIMIT, NO_ANSWER, min_score
from models.subscriptions import SubscriptionStatus as Status

router = Router(__name__, title="知识库", module="knowledge", tier=Tier.RECOGNISED)
# After every command, exact or guessed, and before the fallback.
unanswered_router = Router(
    f"{__name__}.unanswered", title="知识库", module="knowledge", tier=Tier.HINT
)

MODULE = "knowledge"
FOUND = "knowledge.plain_answer"  # the filter's answer, for the handler (ctx.deps)
SILENT_STATUSES = (Status.SUSPENDED, Status.CANCELLED)


async def knowledge_is_open(ctx: Context) -> bool:
    """The tenant's plan has the module today (read from the billing snapshot, as the
    entitlement check does)."""
    billing: Billing | None = ctx.deps.get("billing")
    if billing is None:
        return False
    snapshot = await billing.snapshot(ctx.tenant.id)
    term = billing.current(snapshot.term, ctx.tenant.timezone)
    if term.status in SILENT_STATUSES:
        return False
    return MODULE in granted_modules(billing.catalog, term.plan)


# A question about the knowledge base itself (打印机分类下的知识有哪些, 知识库有几篇文章) is
# for its commands, not answered by one of its articles.
_ABOUT_THE_BASE = re.compile(r"知识库|知识|文章|分类|同义词")


async def confident_answer(ctx: Context) -> bool:
    text = ctx.update.text.strip()
    if ctx.update.channel is Channel.KF:
        return False
    if not (looks_like_question(text) or describes_a_fault(text)):
        return False
    if _ABOUT_THE_BASE.search(text):
        return False
    segmenter: Segmenter | None = ctx.deps.get("segmenter")
    if segmenter is None or not await knowledge_is_open(ctx):
        return False
    found = await answer(
        ctx.tenant.id,
        text[:ASK_LIMIT],
        segmenter,
        channel=ctx.update.channel.value,
        now=ctx.clock.now(),
        min_score=min_score(ctx),
        log_miss=False,
    )
    if found.hit is None:
        return False
    ctx.deps[FOUND] = found
    return True


@router.message(confident_answer, intent="knowledge.ask_question", slots=("question",))
async def ask_question(ctx: Context) -> str:
    found: Answer = ctx.deps[FOUND]
    return render_answer(found)


async def open_question(ctx: Context) -> bool:
    text = ctx.update.text.strip()
    if ctx.update.channel is Channel.KF or not looks_like_question(text):
        return False
    return ctx.deps.get("segmenter") is not None and await knowledge_is_open(ctx)


@unanswered_router.message(open_question, intent="knowledge.ask_question", slots=("question",))
async def ask_unanswered(ctx: Context) -> str:
    question = ctx.update.text.strip()[:ASK_LIMIT]
    segmenter: Segmenter = ctx.deps["segmenter"]
    found = await answer(
        ctx.tenant.id,
        question,
        segmenter,
        channel=ctx.update.channel.value,
        now=ctx.clock.now(),
        min_score=min_score(ctx),
    )
    if found.hit is not None:  # an article added since the first look
        return render_answer(found)
    lines = [NO_ANSWER.format(question=(ctx.said or question).strip()[:40])]
    lines += await closest_lines(ctx, head="如果你是想让我做这些，回复序号：")
    return "\n".join(lines)
