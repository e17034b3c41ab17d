"""A question typed without 问 (``退款流程是怎样的``, ``打印机卡纸怎么办？``): answered from the
knowledge base when it has a confident answer, exactly as ``问 …`` would.

It is free text, not a command: nothing is said unless the answer is confident. Without one
the text falls through to the fallback, which offers what the other understanding makes of
it; the question is not logged as unanswered (it may never have been meant for the knowledge
base). A tenant without the knowledge module hears nothing from here either, not even an
offer to buy it: the check is in the filter, before the route is chosen.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import Channel
from bot.knowledge.question_shape import looks_like_question
from bot.knowledge.retrieval import Answer, answer
from bot.knowledge.wording import render_answer
from bot.nlu.segment import Segmenter
from bot.subscription.plan import granted_modules
from bot.subscription.service import Billing
from handlers.knowledge.questions import ASK_LIMIT, min_score
from models.subscriptions import SubscriptionStatus as Status

router = Router(__name__, title="知识库", module="knowledge")

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


async def confident_answer(ctx: Context) -> bool:
    text = ctx.update.text.strip()
    if ctx.update.channel is Channel.KF or not looks_like_question(text):
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
