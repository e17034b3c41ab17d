"""Intents from a small readable table: each names its trigger words and examples.

The dispatcher asks ``resolve_intent`` before matching routes; routes that take free text
(``Intent("followup.create")``) act only on a recognised intent, so text nobody recognises
falls through to the help hint instead of a wrong action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dispatch.types import Update


@dataclass(frozen=True, slots=True)
class IntentSpec:
    name: str
    triggers: tuple[str, ...]
    examples: tuple[str, ...]


INTENTS: tuple[IntentSpec, ...] = (
    IntentSpec(
        "followup.create",
        ("提醒我", "提醒", "记得", "remind me", "remind"),
        ("明天下午3点提醒我回访张总", "周五提醒我给李经理打电话", "remind me 下午3点 回访张总"),
    ),
)


# Said of a reminder that exists (明天回访张总的提醒不用了, 那个提醒往后推): never a new one.
_ABOUT_AN_EXISTING_ONE = re.compile(
    r"提醒(?:的?那?[个条])?(?:就|先|也)?(?:不用了|不要了|取消|删|作废|撤|去掉|算了"
    r"|往后|推迟|推到|延后|延期|挪到|改到|改成|搞定|完成|做完|办完)"
)


# Told about someone else's reminding (HR提醒我交体检报告, 领导提醒大家注意着装): news, not a
# request to the bot.
_SOMEONE_ELSE_REMINDS = re.compile(
    r"(?:领导|老板|经理|主管|同事|hr|人事|财务|行政|前台|他|她|他们|她们|妈|爸|老婆|老公|朋友|快递员?"
    r"|物业|小[\u4e00-\u9fff]|老[\u4e00-\u9fff])(?:又|也|刚|刚才|一直|总是|特意)?提醒"
    r"|提醒(?:一下)?(?:大家|各位|所有人|全员)"
)


def classify(text: str) -> str | None:
    """The first intent whose trigger occurs in ``text`` (case-insensitive), else None."""
    lowered = text.lower()
    if _ABOUT_AN_EXISTING_ONE.search(lowered) or _SOMEONE_ELSE_REMINDS.search(lowered):
        return None
    for spec in INTENTS:
        if any(trigger in lowered for trigger in spec.triggers):
            return spec.name
    return None


async def resolve_intent(update: Update) -> str | None:
    return classify(update.text)
