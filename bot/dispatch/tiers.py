"""The tiers routes are tried in (the rules are in ``bot.dispatch.registry``)."""

from enum import IntEnum


class Tier(IntEnum):
    CHANNEL = 0
    EVENT = 1
    ANSWER = 2
    COMMAND = 3
    STEP = 4
    RECOGNISED = 5
    TEXT = 6
    HINT = 7
    FALLBACK = 8
