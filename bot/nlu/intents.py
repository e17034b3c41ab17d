"""Intents from a small readable table: each names its trigger words and examples.

The dispatcher asks ``resolve_intent`` before matching routes; routes that take free text
(``Intent("followup.create")``) act only on a recognised intent, so text nobody recognises
falls through to the help hint instead of a wrong action.
"""

from __future__ import annotations

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


def classify(text: str) -> str | None:
    """The first intent whose trigger occurs in ``text`` (case-insensitive), else None."""
    lowered = text.lower()
    for spec in INTENTS:
        if any(trigger in lowered for trigger in spec.triggers):
            return spec.name
    return None


async def resolve_intent(update: Update) -> str | None:
    return classify(update.text)
