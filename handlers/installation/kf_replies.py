"""A 微信客服 customer answering an installation confirmation in the chat (确认, 改约 周六上午,
还有问题 打印机不出纸): the same answer as on the confirmation page, taken once.

A channel route, tried before the chat's own (this capability is listed before 微信客服), and
only for a customer with a confirmation link sent into this chat: every other customer message
goes on to the chat's usual handling. Not tied to the plan's modules: a customer never hears
about the tenant's subscription.
"""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.installation.kf_answers import (
    address_of,
    answer_in_chat,
    in_another_conversation,
    link_in_chat,
    may_be_an_answer,
)
from bot.kf.questions import answer_question

router = Router(__name__, title="安装", tier=Tier.CHANNEL)


async def answering_a_confirmation(ctx: Context) -> bool:
    to = address_of(ctx)
    if to is None or not may_be_an_answer(ctx):
        return False
    just_answered = not in_another_conversation(ctx)
    found = await link_in_chat(ctx.tenant.id, to, ctx.clock.now(), just_answered=just_answered)
    return found is not None


@router.message(answering_a_confirmation)
async def confirmation_answered(ctx: Context) -> str | None:
    to = address_of(ctx)
    assert to is not None, "the route takes kf customers' messages only"
    just_answered = not in_another_conversation(ctx)
    link = await link_in_chat(ctx.tenant.id, to, ctx.clock.now(), just_answered=just_answered)
    if link is None:
        return await answer_question(ctx)  # its moment ran out while it was routed
    await answer_in_chat(ctx, to, link)
    return None
