"""A two-step conversation for dispatcher tests: 评分 张三 asks for a score, and the next
message is the answer (张三 打了 5 分). The step lives in the database, so it shows whether a
conversation survives a restart, another replica, or its expiry."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatch.context import Context
from bot.dispatch.filters import StateIs
from bot.dispatch.router import Router

ASK = "请回复 1-5 分"


def add_score_flow(router: Router) -> Router:
    @router.message(StateIs("ask_score"))
    async def score(ctx: Context) -> str:
        assert ctx.conversation is not None
        name = ctx.conversation.data["customer"]
        await ctx.conversation.clear()
        return f"{name} 打了 {ctx.update.text} 分"

    @router.command("评分")
    async def start(ctx: Context) -> str:
        assert ctx.conversation is not None
        await ctx.conversation.set("ask_score", {"customer": ctx.args}, ttl=timedelta(minutes=5))
        return ASK

    return router
