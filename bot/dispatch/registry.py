"""Which route gets an update: by rule, not by the order routers happen to be listed in.

Every route has a tier, inferred from what it matches (or declared by its router):

1. ``CHANNEL``: a channel's own routes (微信客服 customers), which nothing else may answer.
2. ``EVENT``: WeCom events (a customer added, a card clicked).
3. ``ANSWER``: an answer to a conversation step's own question, in that step's state only
   (a number picking from the list just shown, 确认 on a quote, a picture for a ticket).
4. ``COMMAND``: command words. The longest word that starts the text wins ("取消管理员 …"
   before "取消 …", "工单统计" before "工单 …"); a command scoped to a conversation step
   wins over the same word outside it; two routes claiming the same word declare a
   ``priority`` (a test fails when they do not).
5. ``STEP``: a conversation step that takes any text in its state (to re-prompt): only
   after every command had its chance, so a step never traps anyone.
6. ``RECOGNISED``: free text a route is sure of without guessing: small talk said exactly
   (你好, 谢谢, 你能干啥), a question the knowledge base answers confidently.
7. ``TEXT``: free text a route recognises (a pattern, an intent). Just before this tier, once,
   the similarity stage (``bot.dispatch.guess``) may take the text as the command it is
   clearly like; a sentence more like a free-text route's examples (a new reminder) is left
   to that route.
8. ``HINT``: text nothing took that still names something (a module the plan lacks, a
   question for the knowledge base).
9. ``FALLBACK``: what to say when nothing else did.

Within a tier other than ``COMMAND``, routes are tried in the order their capabilities are
listed and, inside a router, in the order they are declared.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from bot.dispatch.phrasing_index import PhrasingIndex
from bot.dispatch.router import Route
from bot.dispatch.tiers import Tier

_AROUND_LATIN = re.compile(
    r"(?<=[\u4e00-\u9fff])[ \t]+(?=[A-Za-z0-9@])|(?<=[A-Za-z0-9])[ \t]+(?=[\u4e00-\u9fff])"
)


class RouteTable:
    """The routes in the order the rules above try them for one text."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = tuple(routes)
        # Which capability's question a step is ("跟进"), to say what was given up.
        self.step_titles = {
            state: route.title for route in self.routes for state in route.states if route.title
        }
        self.quiet_steps = frozenset(s for route in self.routes for s in route.quiet_states)
        self._phrasings = tuple(
            (tuple(w.lower() for w in route.words), phrasing, route)
            for route in self.routes
            for phrasing in route.phrasings
        )
        self._phrasing_index = PhrasingIndex([p.pattern for _, p, _ in self._phrasings])
        self._tiers = {
            tier: tuple(r for r in self.routes if r.tier is tier)
            for tier in Tier
            if tier is not Tier.COMMAND
        }
        # first character → (word, routes claiming it), longest words first
        by_word: dict[str, list[Route]] = {}
        for route in self.routes:
            if route.tier is Tier.COMMAND:
                for word in route.words:
                    by_word.setdefault(word.lower(), []).append(route)
        order = {id(route): index for index, route in enumerate(self.routes)}
        self._by_first: dict[str, list[tuple[str, tuple[Route, ...]]]] = {}
        for word in sorted(by_word, key=len, reverse=True):
            claimants = sorted(
                by_word[word], key=lambda r: (not r.scoped, -r.priority, order[id(r)])
            )
            self._by_first.setdefault(word[:1], []).append((word, tuple(claimants)))

    def rephrase(self, text: str, closed: Collection[Route] = ()) -> str | None:
        """The canonical command a natural phrasing of ``text`` stands for, if any (the
        first fitting phrasing, in the capabilities' order). Text already written in a
        command's own syntax is never rewritten by that command's phrasings; the phrasings
        of ``closed`` routes (not for this speaker) are skipped."""
        canonical = self._rephrase_as_typed(text, closed)
        if canonical is not None:
            return canonical
        # "让 lisi 当管理员": a space typed around a Latin name inside a Chinese sentence is
        # typing style, not a separator; tried only when nothing fitted as typed.
        squeezed = _AROUND_LATIN.sub("", text)
        if squeezed == text or self._starts_with_command(text.lower()):
            return None
        return self.rephrase(squeezed, closed)

    def _rephrase_as_typed(self, text: str, closed: Collection[Route]) -> str | None:
        lowered = text.lower()
        for position in self._phrasing_index.candidates(lowered):
            words, phrasing, route = self._phrasings[position]
            if words and lowered.startswith(words):
                continue
            if closed and route in closed:
                continue
            canonical = phrasing.rewrite(text, lowered)
            if canonical is not None:
                return canonical
        return None

    def _starts_with_command(self, lowered: str) -> bool:
        return any(lowered.startswith(word) for word, _ in self._by_first.get(lowered[:1], ()))

    def candidates(self, text: str) -> Iterator[Route]:
        for tier in Tier:
            if tier is Tier.COMMAND:
                if text:
                    yield from self._commands_for(text.strip().lstrip("/").lower())
            else:
                yield from self._tiers[tier]

    def _commands_for(self, lowered: str) -> Iterator[Route]:
        seen: set[int] = set()
        for word, claimants in self._by_first.get(lowered[:1], ()):
            if not lowered.startswith(word):
                continue
            for route in claimants:
                if id(route) not in seen:
                    seen.add(id(route))
                    yield route

    def overlaps(self) -> list[tuple[str, tuple[Route, ...]]]:
        """Words two or more unscoped commands claim at the same priority: the rules cannot
        say which one means it, so one of them must declare a ``priority``."""
        clashes = []
        for entries in self._by_first.values():
            for word, claimants in entries:
                unscoped = [r for r in claimants if not r.scoped]
                priorities = [r.priority for r in unscoped]
                if len(priorities) != len(set(priorities)):
                    clashes.append((word, tuple(unscoped)))
        return clashes
