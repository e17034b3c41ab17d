"""Which commands a sentence is closest to, when nothing understood it for sure.

The second, forgiving stage of understanding (the first is the commands' words and
phrasings): every command's examples, help line and words are indexed as character
unigrams and bigrams weighted by TF-IDF, and a sentence is compared with each command by
cosine similarity. It only ever suggests ("你是想：1. … 2. …"); it never runs anything, so a
wrong guess costs a line of text, not a wrong action. Deterministic, in-process, and small
enough to build in a few milliseconds at start-up.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.nlu.names import ADDRESSED

_NOISE = re.compile(r"[\s，,。.！!？?：:；;、“”\"'（）()【】\[\]0-9]+")
# Who and which number a sentence names say nothing about what it asks; that it names someone
# does. 张总 and 刘工 become one mark, so 给张总加个备注 and 给刘工加个备注 look the same.
PERSON = "Ⓟ"


def masked(text: str) -> str:
    return ADDRESSED.sub(PERSON, text)


def features(text: str) -> Counter[str]:
    """Characters and adjacent pairs; digits and punctuation say nothing about intent."""
    cleaned = _NOISE.sub(" ", masked(text).lower())
    grams: Counter[str] = Counter()
    for chunk in cleaned.split():
        grams.update(chunk)
        grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return grams


@dataclass(frozen=True, slots=True)
class Match:
    intent: str
    score: float


def index_of(texts_by_intent: Mapping[str, Sequence[str]]) -> ExampleIndex:
    """The index of these texts, built once per process: every app the process starts (one
    per test, one per restart of the embedded bot) declares the same commands."""
    key = tuple((intent, tuple(texts)) for intent, texts in texts_by_intent.items())
    return _index_of(key)


@functools.lru_cache(maxsize=8)
def _index_of(key: tuple[tuple[str, tuple[str, ...]], ...]) -> ExampleIndex:
    return ExampleIndex(dict(key))


class ExampleIndex:
    """Immutable once built (``closest`` only reads), so one index serves every app."""

    def __init__(self, texts_by_intent: Mapping[str, Sequence[str]]) -> None:
        bags = {intent: features(" ".join(texts)) for intent, texts in texts_by_intent.items()}
        documents = Counter(gram for bag in bags.values() for gram in bag)
        total = len(bags) or 1
        self._idf = {
            gram: math.log((1 + total) / (1 + seen)) + 1 for gram, seen in documents.items()
        }
        self._vectors = {intent: self._weigh(bag) for intent, bag in bags.items()}

    def _weigh(self, bag: Counter[str]) -> dict[str, float]:
        vector = {gram: (1 + math.log(n)) * self._idf.get(gram, 0.0) for gram, n in bag.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {gram: w / norm for gram, w in vector.items() if w}

    def closest(self, text: str, among: Iterable[str], limit: int = 3) -> list[Match]:
        """The ``limit`` intents of ``among`` most like ``text``, best first (ties by name,
        so the answer never depends on the order of anything)."""
        query = self._weigh(features(text))
        matches = []
        for intent in among:
            vector = self._vectors.get(intent)
            if vector:
                score = sum(w * vector.get(gram, 0.0) for gram, w in query.items())
                matches.append(Match(intent, score))
        matches.sort(key=lambda m: (-m.score, m.intent))
        return matches[:limit]
