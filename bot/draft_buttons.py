"""The 确认 / 作废 buttons of a draft's card (a sales order, a purchase order): a click is the
same as answering 「确认」 or 「取消」 right after the draft was written, so it also ends the
question the chat asked about that draft."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from bot.card_keys import CONFIRM, DROP, parse_button_key
from bot.card_updates import mark_clicked
from bot.dispatch.context import Context
from bot.dispatch.state import load_conversation

CONFIRMED_BUTTON, DROPPED_BUTTON = "已确认", "已作废"


class Draft(Protocol):
    id: int
    number: str


D = TypeVar("D", bound=Draft)


@dataclass(frozen=True, slots=True)
class DraftButtons(Generic[D]):
    kind: str  # the card keys' kind (bot.card_keys)
    load: Callable[[int, int], Awaitable[D | None]]  # (tenant id, record id) → the draft
    author_of: Callable[[D], int | None]  # the employee who may press, besides admins
    step: str  # the conversation state that asks 「确认」 about it
    data_key: str  # where that state keeps the draft's id
    gone: str
    not_yours: str  # with {number}
    confirm: Callable[[Context, D], Awaitable[str]]
    drop: Callable[[Context, D], Awaitable[str]]

    def pressed(self, ctx: Context) -> tuple[str, int] | None:
        key = str(ctx.update.fields.get("EventKey", ""))
        return parse_button_key(key, self.kind, (CONFIRM, DROP))

    def is_pressed(self, ctx: Context) -> bool:
        return self.pressed(ctx) is not None

    async def press(self, ctx: Context) -> str:
        pressed = self.pressed(ctx)
        assert pressed is not None, "routed here by is_pressed"
        action, record_id = pressed
        draft = await self.load(ctx.tenant.id, record_id)
        if draft is None:
            return self.gone
        mine = ctx.employee is not None and ctx.employee.id == self.author_of(draft)
        if not (mine or ctx.is_admin):
            return self.not_yours.format(number=draft.number)
        await self._end_the_question(ctx, draft)
        if action == CONFIRM:
            answer = await self.confirm(ctx, draft)
            mark_clicked(ctx, CONFIRMED_BUTTON)
            return answer
        answer = await self.drop(ctx, draft)
        mark_clicked(ctx, DROPPED_BUTTON)
        return answer

    async def _end_the_question(self, ctx: Context, draft: D) -> None:
        assert ctx.update.user_id is not None
        conversation = await load_conversation(ctx.tenant.id, ctx.update.user_id, ctx.clock)
        if conversation.state == self.step and conversation.data.get(self.data_key) == draft.id:
            await conversation.clear()
