"""Words that end whichever conversation step is in progress: 取消, 算了, 不用了.

A step's own 取消 (with its own message) comes first; this one answers for every step,
including those that only know 取消."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.filters import Command, InAnyStep
from bot.dispatch.router import Router

router = Router(__name__, title="通用", keeps_steps=True)

STOPPED = "好的，已取消。"


@router.message(
    InAnyStep(),
    Command("取消", "算了", "不用了", "不要了", "不弄了", "cancel"),
    priority=-1,
    intent="core.leave_step",
)
async def leave_step(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return STOPPED
