"""The answer to a numbered customer list ("2"), for whichever command asked."""

from __future__ import annotations

from bot.crm.picking import CANCELLED, PICK_STATE, CustomerAction, begin_pick, finish_pick
from bot.dispatch.context import Context
from bot.dispatch.filters import Command, Regex, StateIs
from bot.dispatch.router import Router
from handlers.crm.customers import CARD, NOTE, TIMELINE
from handlers.crm.edits import EDIT
from handlers.crm.removal import DELETE
from handlers.crm.tags import TAG, UNTAG
from handlers.crm.transfers import TRANSFER
from handlers.surveys.send import SURVEY

router = Router(__name__, title="客户", module="crm")

ACTIONS: dict[str, CustomerAction] = {
    action.name: action
    for action in (
        CARD,
        TIMELINE,
        NOTE,
        TAG,
        UNTAG,
        TRANSFER,
        SURVEY,
        EDIT,
        DELETE,
    )
}


@router.message(StateIs(PICK_STATE, quiet=True), Command("取消", "cancel"))
async def cancel_pick(ctx: Context) -> str:
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return CANCELLED


async def prepare_pick(ctx: Context) -> None:
    await begin_pick(ctx, ACTIONS)


@router.message(StateIs(PICK_STATE), Regex(r"^\s*([0-9]{1,3})\s*$"), prepare=prepare_pick)
async def pick_customer(ctx: Context) -> str:
    return await finish_pick(ctx, ACTIONS)
