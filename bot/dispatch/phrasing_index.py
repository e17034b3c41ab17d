"""Which phrasings a text could possibly fit, found without trying the other hundreds.

Every message is offered to the phrasings of every command (about 700) before anything else
understands it, and trying each one, even with its required literals checked first, was the
largest single cost of handling a message. Here each phrasing is filed under a few characters
of which every match must contain at least one: ``(?:给|帮)(?P<who>.+)打个?标签`` under 标
(or 给 and 帮, whichever are rarer among all phrasings). A text is tried only against the
phrasings filed under one of its own characters, plus those no character can be told of, in
the original order, so the first fitting phrasing is the same one a full scan would find.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any

Anchor = frozenset[str]  # every match contains at least one of these (lowered) characters

_REPEATS = {_constants.MAX_REPEAT, _constants.MIN_REPEAT}
_REPEATS |= {getattr(_constants, "POSSESSIVE_REPEAT", _constants.MAX_REPEAT)}


def anchors(regex: re.Pattern[str]) -> list[Anchor]:
    """The anchors the pattern's top level guarantees (one per required piece)."""
    return _sequence(_parser.parse(regex.pattern, regex.flags))


def _sequence(items: Iterable[tuple[Any, Any]]) -> list[Anchor]:
    found = []
    for opcode, argument in items:
        anchor = _item(opcode, argument)
        if anchor:
            found.append(anchor)
    return found


def _best(candidates: Sequence[Anchor]) -> Anchor | None:
    return min(candidates, key=len, default=None)


def _item(opcode: Any, argument: Any) -> Anchor | None:
    if opcode is _constants.LITERAL:
        return frozenset(chr(argument).lower())
    if opcode is _constants.SUBPATTERN:  # a group: (group, add_flags, del_flags, pattern)
        return _best(_sequence(argument[-1]))
    if opcode in _REPEATS:  # (min, max, pattern): required only when it must occur
        low, _, pattern = argument
        return _best(_sequence(pattern)) if low >= 1 else None
    if opcode is _constants.BRANCH:  # (None, [alternatives]): one of them occurs
        union: set[str] = set()
        for alternative in argument[1]:
            anchor = _best(_sequence(alternative))
            if anchor is None:
                return None
            union |= anchor
        return frozenset(union)
    if opcode is _constants.IN and all(op is _constants.LITERAL for op, _ in argument):
        # [给帮]: one of the listed characters
        return frozenset(chr(value).lower() for _, value in argument)
    return None


class PhrasingIndex:
    """Positions (in the table's order) of the phrasings worth trying on a text."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        found = [anchors(pattern) for pattern in patterns]
        # Rarer characters narrow more: count how often each is offered across phrasings.
        common = Counter(char for options in found for anchor in options for char in anchor)
        self._always: list[int] = []
        by_char: dict[str, list[int]] = {}
        for position, options in enumerate(found):
            if not options:
                self._always.append(position)
                continue
            chosen = min(options, key=lambda anchor: sum(common[c] for c in anchor))
            for char in chosen:
                by_char.setdefault(char, []).append(position)
        self._by_char = {char: tuple(positions) for char, positions in by_char.items()}

    def candidates(self, lowered: str) -> list[int]:
        picked = set(self._always)
        for char in set(lowered):
            picked.update(self._by_char.get(char, ()))
        return sorted(picked)
