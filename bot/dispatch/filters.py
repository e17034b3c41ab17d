"""Filters decide whether a route takes an update. Each is a small callable on the context:
it returns False to pass, True to take it, or a dict of values to set on the context."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.dispatch.context import Context
from bot.dispatch.types import ChatType
from bot.nlu.normalise import without_softener
from bot.nlu.slots import tidy

FilterResult = bool | Mapping[str, Any]
Filter = Callable[[Context], FilterResult | Awaitable[FilterResult]]

_SEPARATORS = " \t\u3000：:，,"


class Command:
    """Matches messages whose first word is one of ``words`` (Chinese or English, any case,
    an optional leading ``/``); the rest of the text becomes ``ctx.args``.

    With a segmenter in ``ctx.deps`` the word may not end inside a dictionary word of the
    text: "添加知识库文章" is not 添加知识 + 库文章, and 查 does not take "查看…" or "查找…"
    (but "查张总" is 查 张总 even before the segmenter has learned the name).
    A softener after the word goes ("查一下张总" is 查 张总).

    ``slot``: a command taking one thing gets it as its canonical form writes it (取消第3条
    is 取消 3; 加席位 三 is 加席位 3; ``bot.nlu.slots.tidy``).
    ``args_like``: the arguments must start with this shape (a ticket number, say), so
    "工单系统的培训改到周四了" is not 工单 + "系统的培训…" and is left to the rest of the
    understanding instead of answering 没有找到工单. No arguments at all still match: the
    command answers with its usage."""

    def __init__(
        self, *words: str, args_like: re.Pattern[str] | None = None, slot: str = ""
    ) -> None:
        if not words:
            raise ValueError("Command needs at least one word")
        self.words = words
        self.args_like = args_like
        self.slot = slot  # the one slot the arguments are, written as the canonical form does
        self._lowered = tuple(sorted((w.lower() for w in words), key=len, reverse=True))

    def __call__(self, ctx: Context) -> FilterResult:
        text = ctx.update.text.strip().lstrip("/")
        lowered = text.lower()
        for word in self._lowered:
            if lowered.startswith(word):
                rest = text[len(word) :]
                # "帮助" must not match "帮助中心设置" unless a separator follows, but Chinese
                # commands glue arguments on directly ("查客户张三"), so only ASCII words need
                # a boundary.
                if rest and word.isascii() and rest[0] not in _SEPARATORS:
                    continue
                if rest and not word.isascii() and not _ends_a_word(ctx, text, len(word)):
                    continue
                args = without_softener(rest.strip(_SEPARATORS))
                if args and self.args_like is not None and not self.args_like.match(args):
                    continue
                return {"args": tidy(self.slot, args) if self.slot else args}
        return False


def _ends_a_word(ctx: Context, text: str, offset: int) -> bool:
    segmenter = ctx.deps.get("segmenter")
    if segmenter is None:  # dispatchers built without one (unit tests) match on prefixes
        return True
    if ctx.known_words is None or ctx.known_words[0] != text:
        ctx.known_words = (text, segmenter.known_words(text))
    return not any(start < offset < end for start, end in ctx.known_words[1])


class Regex:
    def __init__(self, pattern: str | re.Pattern[str]) -> None:
        self.pattern = re.compile(pattern) if isinstance(pattern, str) else pattern

    def __call__(self, ctx: Context) -> FilterResult:
        match = self.pattern.search(ctx.update.text)
        return {"match": match} if match else False


class Intent:
    """Matches when the intent resolver classified the text as one of ``names``."""

    def __init__(self, *names: str) -> None:
        self.names = frozenset(names)

    def __call__(self, ctx: Context) -> FilterResult:
        return ctx.intent in self.names


class ChatTypeIs:
    def __init__(self, chat_type: ChatType) -> None:
        self.chat_type = chat_type

    def __call__(self, ctx: Context) -> FilterResult:
        return ctx.update.chat_type == self.chat_type


class StateIs:
    """In one of these conversation steps. ``quiet``: the step only offers a choice (a
    numbered list just shown), so leaving it for another request needs no word about it."""

    def __init__(self, *states: str, quiet: bool = False) -> None:
        self.states = frozenset(states)
        self.quiet = quiet

    def __call__(self, ctx: Context) -> FilterResult:
        return ctx.conversation is not None and ctx.conversation.state in self.states


class InAnyStep(StateIs):
    """Any conversation step at all (for words that end whichever step is in progress)."""

    def __init__(self) -> None:
        super().__init__()

    def __call__(self, ctx: Context) -> FilterResult:
        return ctx.conversation is not None and ctx.conversation.state is not None


class MsgTypeIs:
    def __init__(self, *msg_types: str) -> None:
        self.msg_types = frozenset(msg_types)

    def __call__(self, ctx: Context) -> FilterResult:
        return ctx.update.msg_type in self.msg_types


class EventIs:
    def __init__(self, event: str, *change_types: str) -> None:
        self.event = event
        self.change_types = frozenset(change_types)

    def __call__(self, ctx: Context) -> FilterResult:
        if ctx.update.event != self.event:
            return False
        return not self.change_types or ctx.update.change_type in self.change_types
