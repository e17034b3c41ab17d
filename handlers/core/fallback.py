"""Text nothing understood for sure: say what was understood, and offer the closest actions.

Never a flat "没听懂": the reply names what it recognised (a customer, a phone number, a
time), then offers up to three commands the sentence is closest to (``bot.nlu.similarity``)
among those this person may run on this plan, as a numbered choice; answering with the
number shows how to say that command. With nothing close, it offers three things to try.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.dispatch.context import Context, RouteInfo
from bot.dispatch.filters import MsgTypeIs, Regex, StateIs
from bot.dispatch.router import Router
from bot.dispatch.tiers import Tier
from bot.nlu.names import find_reference
from bot.nlu.segment import Segmenter
from bot.nlu.similarity import ExampleIndex
from bot.nlu.timeparse import parse_time
from handlers.core.offers import canonical_example, natural_example, offered_routes, starters

# The last word: it takes whatever no other route took.
router = Router(__name__, title="通用", tier=Tier.FALLBACK)
# Answering the numbered choice is a step of its own (it only claims a number).
choice_router = Router(f"{__name__}.choice", title="通用")


class FallbackStep(StrEnum):
    PICK_SUGGESTION = "core_pick_suggestion"


NOT_UNDERSTOOD = "没听懂「{text}」。"
UNDERSTOOD = "我听出了：{parts}。"
SUGGEST_HEAD = "你是想："
SUGGEST_FOOT = "回复序号，我告诉你怎么说；或者换个说法。"
TRY_HEAD = "可以这样跟我说："
HELP_FOOT = "发送「帮助」查看我能做什么。"
HOW_TO = "{label}\n这样发：{canonical}"
ALSO = "也可以说：{natural}"
NO_SUCH_CHOICE = "没有第 {number} 项，请回复 1–{count} 之间的序号，或者换个说法。"
TEXT_ONLY = "我目前只看得懂文字消息。发送「帮助」查看我能做什么。"
ECHO_LIMIT = 20
SUGGEST_MIN = 0.3  # below this a "closest" command is a guess nobody should see
SUGGEST_LIMIT = 3
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@router.message()
async def not_understood(ctx: Context) -> str:
    said = (ctx.said or ctx.update.text).strip()  # what they typed, not a tidied version
    echo = said if len(said) <= ECHO_LIMIT else said[:ECHO_LIMIT] + "…"
    lines = [NOT_UNDERSTOOD.format(text=echo)]
    parts = _understood_parts(ctx, ctx.update.text)
    if parts:
        lines.append(UNDERSTOOD.format(parts="、".join(parts)))
    routes = await offered_routes(ctx)
    suggestions = _closest(ctx, routes)
    if suggestions:
        lines.append(SUGGEST_HEAD)
        lines += [f"{n}. {label(route)}" for n, route in enumerate(suggestions, 1)]
        lines.append(SUGGEST_FOOT)
        if ctx.conversation is not None:
            chosen = [route.intent for route in suggestions]
            await ctx.conversation.set(FallbackStep.PICK_SUGGESTION, {"intents": chosen})
        return "\n".join(lines)
    lines.append(TRY_HEAD)
    lines += [f"· {example}" for example in starters(routes)]
    lines.append(HELP_FOOT)
    return "\n".join(lines)


@choice_router.message(StateIs(FallbackStep.PICK_SUGGESTION, quiet=True), Regex(r"^\s*([1-9])\s*$"))
async def pick_suggestion(ctx: Context) -> str:
    assert ctx.conversation is not None and ctx.match is not None
    intents = list(ctx.conversation.data.get("intents", []))
    number = int(ctx.match.group(1))
    if number > len(intents):
        return NO_SUCH_CHOICE.format(number=number, count=len(intents))
    await ctx.conversation.clear()
    route = next((r for r in ctx.routes if r.intent == intents[number - 1]), None)
    if route is None:
        return HELP_FOOT
    answer = HOW_TO.format(label=label(route), canonical=canonical_example(route))
    natural = natural_example(route)
    if natural != canonical_example(route):
        answer += "\n" + ALSO.format(natural=natural)
    return answer


@router.on(MsgTypeIs("image", "voice", "video", "file", "location", "link"))
async def not_text(ctx: Context) -> str:
    return TEXT_ONLY


def label(route: RouteInfo) -> str:
    """A command as one line: its help without the example, else how people say it."""
    if route.help:
        return route.help.split("，例如")[0].split("：")[0] if "例如" in route.help else route.help
    return natural_example(route)


def _closest(ctx: Context, routes: list[RouteInfo]) -> list[RouteInfo]:
    index: ExampleIndex | None = ctx.deps.get("examples")
    if index is None or not routes:
        return []
    by_intent = {route.intent: route for route in routes if route.commands}
    matches = index.closest(ctx.update.text, by_intent, SUGGEST_LIMIT)
    return [by_intent[m.intent] for m in matches if m.score >= SUGGEST_MIN]


def _understood_parts(ctx: Context, text: str) -> list[str]:
    names: list[str] = []
    segmenter: Segmenter | None = ctx.deps.get("segmenter")
    if segmenter is not None:
        names += segmenter.names_in(text)
    reference = find_reference(text)  # 张总, 李经理: people named the way sales people talk
    if reference is not None:
        names.append(reference.text)
    parts = [f"「{name}」" for name in dict.fromkeys(names)]
    parts += [f"电话 {phone}" for phone in _PHONE.findall(text)]
    now = ctx.clock.now().astimezone(ctx.tenant.timezone)
    when = parse_time(text, now)
    if when is not None:
        local = when.start.astimezone(ctx.tenant.timezone)
        clock = f" {local:%H:%M}" if when.grain in ("hour", "minute", "second") else ""
        parts.append(f"时间 {local.month}月{local.day}日{clock}")
    return parts
