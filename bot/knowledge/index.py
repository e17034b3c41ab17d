"""BM25 over a tenant's articles, with fields and query-time synonyms. Pure: no database.

Each article has three fields, weighted: the question (what people ask) counts most, then the
keywords, then the answer. A term's weight in an article is BM25's saturated term frequency
per field, summed with the field weights, computed once at build time; a query then only walks
the postings of its own terms.

Scores are divided by what a perfect match would score (every query term once in a question
of average length), so the threshold means the same in a knowledge base of 20 articles and of
10,000: about "the share of the question's meaning an article covers".
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.knowledge.text import is_term

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = (1.0, 0.6, 0.4)  # question, keywords, answer
MAX_PIECE = 4  # the longest known word looked for inside an unknown one

Tokenize = Callable[[str], list[str]]
Phrase = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleDoc:
    id: int
    number: int
    question: str
    keywords: str
    answer: str
    category: str


@dataclass(frozen=True, slots=True)
class Scored:
    doc: ArticleDoc
    score: float  # 1.0 ≈ every query term found in the question


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing the query asks about, and the phrases that may say it (synonyms)."""

    phrases: tuple[Phrase, ...]


class SynonymTable:
    """Groups of phrases that mean the same. Overlapping rows (打印机 = 复印机, 复印机 = 影印机)
    merge into one group, so the table reads the same whichever word a row starts from."""

    def __init__(self, groups: Iterable[Sequence[str]], tokenize: Tokenize) -> None:
        parent: dict[Phrase, Phrase] = {}

        def root(p: Phrase) -> Phrase:
            while parent.setdefault(p, p) != p:
                p = parent[p]
            return p

        for group in groups:
            phrases = [tuple(tokenize(word)) for word in group]
            phrases = [p for p in phrases if p]
            for other in phrases[1:]:
                parent[root(other)] = root(phrases[0])
        members: dict[Phrase, list[Phrase]] = defaultdict(list)
        for phrase in parent:
            members[root(phrase)].append(phrase)
        self._group: dict[Phrase, tuple[Phrase, ...]] = {p: tuple(members[root(p)]) for p in parent}
        self._longest = max((len(p) for p in self._group), default=0)
        self._words = frozenset(p[0] for p in self._group if len(p) == 1)

    def has_word(self, word: str) -> bool:
        return word in self._words

    def concepts(self, words: Sequence[str]) -> list[Concept]:
        """Walk the query's words; the longest phrase with synonyms becomes one concept."""
        found: list[Concept] = []
        i = 0
        while i < len(words):
            for size in range(min(self._longest, len(words) - i), 0, -1):
                group = self._group.get(tuple(words[i : i + size]))
                if group is not None:
                    found.append(Concept(group))
                    i += size
                    break
            else:
                found.append(Concept(((words[i],),)))
                i += 1
        return found


class KnowledgeIndex:
    def __init__(
        self, docs: Sequence[ArticleDoc], tokenize: Tokenize, synonyms: SynonymTable
    ) -> None:
        self.docs = tuple(docs)
        self.synonyms = synonyms
        self._tokenize = tokenize
        fields = [
            [tokenize(d.question) for d in self.docs],
            [tokenize(d.keywords) for d in self.docs],
            [tokenize(d.answer) for d in self.docs],
        ]
        size = max(len(self.docs), 1)
        weights = _postings(fields)
        self._idf = {term: _idf(size, len(per_doc)) for term, per_doc in weights.items()}
        # Scaled by IDF once here, so a query only adds numbers up.
        self._postings = {
            term: {doc: w * self._idf[term] for doc, w in per_doc.items()}
            for term, per_doc in weights.items()
        }
        # A word no article has weighs as much as the rarest word the base has: more, and a
        # small base would refuse every question worded a little differently.
        self._unknown_idf = _idf(size, 1)

    def __len__(self) -> int:
        return len(self.docs)

    def search(self, question: str, limit: int = 3) -> list[Scored]:
        words = self._split_unknown(self._tokenize(question))
        concepts = self.synonyms.concepts(words)
        if not concepts or not self.docs:
            return []
        # A dense list, not a dict: at 10,000 articles a common word has thousands of
        # postings, and list indexing is what keeps a query within a few milliseconds.
        totals = [0.0] * len(self.docs)
        for concept in concepts:
            scores = (
                self._phrase_scores(concept.phrases[0])
                if len(concept.phrases) == 1
                else self._concept_scores(concept)
            )
            for doc, score in scores.items():
                totals[doc] += score
        best = heapq.nlargest(limit, range(len(totals)), key=totals.__getitem__)
        perfect = sum(self._perfect(concept) for concept in concepts)
        return [Scored(self.docs[doc], totals[doc] / perfect) for doc in best if totals[doc] > 0]

    def _split_unknown(self, words: list[str]) -> list[str]:
        """jieba's HMM glues unknown runs into words no article has (有脏点, 开发票): such a
        word is read as the known words inside it (脏, 发票), or kept whole if there are none,
        so a question about something the base lacks still counts that against the match."""
        out: list[str] = []
        for word in words:
            pieces = [] if len(word) < 2 or self._known(word) else self._known_pieces(word)
            out.extend(pieces or [word])
        return out

    def _known_pieces(self, word: str) -> list[str]:
        pieces: list[str] = []
        start = 0
        while start < len(word):
            end = start + 1
            for size in range(min(len(word) - start, MAX_PIECE), 0, -1):
                piece = word[start : start + size]
                # A lone character is too vague (天 of 今天天气 is not 7 天内) unless the
                # tenant listed it as a synonym (修 = 维修).
                wanted = size > 1 or self.synonyms.has_word(piece)
                if wanted and self._known(piece) and is_term(piece):
                    pieces.append(piece)
                    end = start + size
                    break
            start = end
        return pieces

    def _known(self, word: str) -> bool:
        return word in self._idf or self.synonyms.has_word(word)

    def _concept_scores(self, concept: Concept) -> Mapping[int, float]:
        """Per article, the best-matching phrase's score."""
        best: dict[int, float] = {}
        for phrase in concept.phrases:
            scores = self._phrase_scores(phrase)
            if not best:
                best = dict(scores)
                continue
            for doc, score in scores.items():
                if score > best.get(doc, 0.0):
                    best[doc] = score
        return best

    def _phrase_scores(self, phrase: Phrase) -> Mapping[int, float]:
        """A phrase of several words scores the mean of its words, so 打印设备 (打印 + 设备)
        weighs like the one word 打印机."""
        if len(phrase) == 1:
            return self._postings.get(phrase[0], {})
        scores: dict[int, float] = defaultdict(float)
        for term in phrase:
            for doc, score in self._postings.get(term, {}).items():
                scores[doc] += score / len(phrase)
        return scores

    def _perfect(self, concept: Concept) -> float:
        """A word no article contains counts fully (the question is about something the
        base does not cover); a synonym no article uses does not."""
        known = [p for p in concept.phrases if all(t in self._idf for t in p)]
        phrases = known if known and len(concept.phrases) > 1 else concept.phrases
        return FIELD_WEIGHTS[0] * max(
            sum(self._idf.get(t, self._unknown_idf) for t in phrase) / len(phrase)
            for phrase in phrases
        )


def _idf(size: int, containing: int) -> float:
    return math.log(1 + (size - containing + 0.5) / (containing + 0.5))


def _postings(fields: list[list[list[str]]]) -> dict[str, dict[int, float]]:
    """term → {article: weight}, the weight summing each field's saturated frequency."""
    weights: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for field_weight, field in zip(FIELD_WEIGHTS, fields, strict=True):
        average = sum(len(words) for words in field) / max(len(field), 1) or 1.0
        for doc, words in enumerate(field):
            norm = K1 * (1 - B + B * len(words) / average)
            for term, tf in Counter(words).items():
                weights[term][doc] += field_weight * tf * (K1 + 1) / (tf + norm)
    return weights
