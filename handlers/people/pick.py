"""The answer to "有 2 位同事叫「王伟」" ("2"): the command that asked runs again, naming
the chosen colleague by userid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from bot.dispatch.types import Reply
from bot.people.resolve import PICK_STATE

router = Router(__name__, title="同事")

CANCELLED = "好的，已取消。"
BAD_NUMBER = "请回复 1 到 {count} 之间的序号，或回复「取消」放弃。"
GONE = "刚才的选择已经失效了，请把命令重新发一遍。"
DISPATCHER = "people_dispatcher"  # ctx.deps: () -> the Dispatcher


def with_userid(text: str, name: str, userid: str) -> str:
    """The command as first understood, the ambiguous name (its last mention) replaced."""
    head, found, tail = text.rpartition(name)
    return f"{head}{userid}{tail}" if found else text


@router.message(StateIs(PICK_STATE, quiet=True), Command("取消", "cancel"))
async def cancel_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


@router.message(StateIs(PICK_STATE), Regex(r"^\s*([0-9]{1,2})\s*$"))
async def pick_colleague(ctx: Context) -> Sequence[Reply]:
    assert ctx.conversation is not None and ctx.match is not None
    data = ctx.conversation.data
    userids = [str(u) for u in data.get("userids", [])]
    number = int(ctx.match.group(1))
    if not 1 <= number <= len(userids):
        raise UserFacingError(BAD_NUMBER.format(count=len(userids)))
    await ctx.conversation.clear()
    dispatcher = ctx.deps[DISPATCHER]()
    if dispatcher is None:
        raise UserFacingError(GONE)
    text = with_userid(str(data.get("text", "")), str(data.get("name", "")), userids[number - 1])
    prepared = await dispatcher.prepare(replace(ctx.update, text=text), ctx.tenant)
    return list(await prepared.run())
