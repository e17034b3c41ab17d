"""Natural ways to say a command, rewritten into its canonical form.

A command declares phrasings next to its words: a pattern over the whole (normalised) text
with named slots, and the canonical command those slots fill in. ``给张总打个标签 重点客户``
becomes ``打标签 张总 重点客户``, which then routes exactly as if it had been typed, through
the same access and entitlement checks. This is the deterministic first stage of
understanding (Snips NLU's deterministic intent parser): precise, explainable, and tested
against every example a command gives.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from re import _constants, _parser  # type: ignore[attr-defined]

from bot.nlu.slots import tidy

_EDGES = " \t，,。.：:；;！!？?"
_SPACES = re.compile(r"[ \t]+")


class PhrasingError(ValueError):
    """A phrasing that could never produce its command (a wrong slot name, say)."""


@dataclass(frozen=True, slots=True)
class Phrasing:
    pattern: re.Pattern[str]
    canonical: str
    # Literal text every match contains ("标签" in 给…打个标签…): a text without one of
    # them is skipped without running the pattern, which keeps hundreds of phrasings cheap.
    needs: tuple[str, ...] = ()

    def rewrite(self, text: str, lowered: str | None = None) -> str | None:
        """The canonical command for ``text``, or None when the pattern does not fit all of
        it. Slots are trimmed of spaces and punctuation at their edges. (``lowered`` is
        ``text.lower()``, when the caller has it already.)"""
        lowered = text.lower() if lowered is None else lowered
        if not all(literal in lowered for literal in self.needs):
            return None
        found = self.pattern.fullmatch(text)
        if found is None:
            return None
        slots = {
            name: tidy(name, (value or "").strip(_EDGES))
            for name, value in found.groupdict().items()
        }
        # Runs of spaces become one; line breaks stay (a welcome text or an article keeps them).
        return _SPACES.sub(" ", self.canonical.format(**slots)).strip()


def compile_phrasings(
    pairs: Iterable[tuple[str, str]], words: Sequence[str], slots: Sequence[str] = ()
) -> tuple[Phrasing, ...]:
    """Checks each phrasing once, when its module loads: every slot of the canonical form is
    a group of the pattern, every group is one of the command's declared ``slots`` (when it
    declares them), and the canonical form starts with one of the command's own words."""
    compiled = []
    for pattern, canonical in pairs:
        regex = re.compile(pattern.strip(), re.IGNORECASE)
        wanted = {name for _, name, _, _ in string.Formatter().parse(canonical) if name}
        missing = wanted - set(regex.groupindex)
        if missing:
            raise PhrasingError(f"{pattern!r}: no group for {', '.join(sorted(missing))}")
        undeclared = set(regex.groupindex) - set(slots)
        if slots and undeclared:
            raise PhrasingError(f"{pattern!r}: undeclared slots {', '.join(sorted(undeclared))}")
        if not any(canonical.lower().startswith(word.lower()) for word in words):
            raise PhrasingError(f"{canonical!r} does not start with one of {words}")
        compiled.append(Phrasing(regex, canonical, required_literals(regex)))
    return tuple(compiled)


def required_literals(regex: re.Pattern[str]) -> tuple[str, ...]:
    """The runs of plain characters at the pattern's top level: every match contains each
    of them (anything inside a group, branch or repeat may be absent, so it is left out)."""
    runs, current = [], ""
    for opcode, argument in _parser.parse(regex.pattern, regex.flags):
        if opcode is _constants.LITERAL:
            current += chr(argument).lower()
            continue
        if current:
            runs.append(current)
        current = ""
    if current:
        runs.append(current)
    return tuple(runs)
