"""Answering a question from a tenant's knowledge base, for every channel.

Each tenant's index lives in memory, in a bounded cache (the tenants asked most recently),
tagged with the revision stamp it was built from. Every query reads the stamp (one indexed
row) and rebuilds when it changed, so an edit on one replica is seen by all. Building
tokenises every article with jieba: that runs in a worker thread, once per change, never on
the event loop; a build that takes longer than half a second (thousands of articles) leaves
the previous index answering until it is done.

``best_answer`` is what other channels call (微信客服 answers customers with it).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from bot.knowledge.index import ArticleDoc, KnowledgeIndex, Scored, SynonymTable
from bot.knowledge.store import current_stamp, synonym_groups
from bot.knowledge.text import terms
from bot.knowledge.unanswered import log_unanswered
from bot.nlu.segment import Segmenter
from models.knowledge import Article

logger = logging.getLogger(__name__)

DEFAULT_MIN_SCORE = 0.3
RELATED_SHARE = 0.5  # a runner-up scoring half the top score or more is worth offering
MAX_RELATED = 2
CACHED_TENANTS = 64
STALE_AFTER_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class KnowledgeHit:
    article_id: int
    number: int
    question: str
    answer: str
    category: str
    score: float


@dataclass(frozen=True, slots=True)
class Answer:
    hit: KnowledgeHit | None
    related: tuple[KnowledgeHit, ...] = ()


def _hit(scored: Scored) -> KnowledgeHit:
    doc = scored.doc
    return KnowledgeHit(doc.id, doc.number, doc.question, doc.answer, doc.category, scored.score)


class IndexCache:
    """The last ``size`` tenants' indexes, with at most one build per tenant at a time."""

    def __init__(self, size: int = CACHED_TENANTS) -> None:
        self._size = size
        self._entries: OrderedDict[int, tuple[str, KnowledgeIndex]] = OrderedDict()
        self._building: dict[tuple[int, str], asyncio.Task[KnowledgeIndex]] = {}

    async def get(self, tenant_id: int, segmenter: Segmenter) -> KnowledgeIndex:
        stamp = await current_stamp(tenant_id)
        entry = self._entries.get(tenant_id)
        if entry is not None and entry[0] == stamp:
            self._entries.move_to_end(tenant_id)
            return entry[1]
        key = (tenant_id, stamp)
        task = self._building.get(key)
        if task is None:
            task = asyncio.ensure_future(build_index(tenant_id, segmenter))
            self._building[key] = task
            task.add_done_callback(lambda _: self._building.pop(key, None))
        if entry is not None:
            # A big base takes seconds to rebuild: meanwhile the old index answers.
            try:
                index = await asyncio.wait_for(asyncio.shield(task), STALE_AFTER_SECONDS)
            except TimeoutError:
                task.add_done_callback(lambda done: self._built(tenant_id, stamp, done))
                return entry[1]
        else:
            index = await asyncio.shield(task)
        self._store(tenant_id, stamp, index)
        return index

    def _built(self, tenant_id: int, stamp: str, task: asyncio.Task[KnowledgeIndex]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            logger.error("knowledge index of tenant %s failed to build", tenant_id, exc_info=error)
            return
        self._store(tenant_id, stamp, task.result())

    def _store(self, tenant_id: int, stamp: str, index: KnowledgeIndex) -> None:
        self._entries[tenant_id] = (stamp, index)
        self._entries.move_to_end(tenant_id)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


async def build_index(tenant_id: int, segmenter: Segmenter) -> KnowledgeIndex:
    rows = await Article.filter(tenant_id=tenant_id, enabled=True).order_by("number")
    docs = [ArticleDoc(a.id, a.number, a.question, a.keywords, a.answer, a.category) for a in rows]
    groups = await synonym_groups(tenant_id)

    def tokenize(text: str) -> list[str]:
        return terms(text, segmenter)

    def build() -> KnowledgeIndex:
        return KnowledgeIndex(docs, tokenize, SynonymTable(groups, tokenize))

    index = await asyncio.to_thread(build)
    logger.info("knowledge index of tenant %s built: %d articles", tenant_id, len(docs))
    return index


# One per process, like the segmenter it is built with: the index is derived data, rebuilt
# from the database whenever its stamp is stale, and bounded to CACHED_TENANTS tenants.
_CACHE = IndexCache()


async def answer(
    tenant_id: int,
    question: str,
    segmenter: Segmenter,
    *,
    channel: str,
    now: datetime,
    min_score: float = DEFAULT_MIN_SCORE,
    cache: IndexCache = _CACHE,
    log_miss: bool = True,
) -> Answer:
    """The best article and up to two close runners-up; with nothing above ``min_score`` the
    question is logged as unanswered (inside the caller's transaction, if any) unless
    ``log_miss`` is False (text that only looked like a question)."""
    index = await cache.get(tenant_id, segmenter)
    found = [s for s in index.search(question, limit=1 + MAX_RELATED) if s.score >= min_score]
    if not found:
        if log_miss:
            await log_unanswered(tenant_id, question, channel, now)
        return Answer(None)
    top, rest = found[0], found[1:]
    related = tuple(_hit(s) for s in rest if s.score >= top.score * RELATED_SHARE)
    return Answer(_hit(top), related)


async def best_answer(
    tenant_id: int,
    question: str,
    segmenter: Segmenter,
    *,
    channel: str,
    now: datetime,
    min_score: float = DEFAULT_MIN_SCORE,
) -> KnowledgeHit | None:
    """The article that answers ``question``, or None (and the question is logged as
    unanswered) when nothing clears ``min_score`` (``settings.knowledge.min_score``)."""
    found = await answer(
        tenant_id, question, segmenter, channel=channel, now=now, min_score=min_score
    )
    return found.hit
