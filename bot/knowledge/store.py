"""Article and synonym rows. Every write also changes the tenant's revision stamp, in the same
transaction, so each replica's cached index notices the change on its next query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count

from bot.db import storable
from bot.knowledge.text import normalize_question, split_list
from models.knowledge import Article, KnowledgeRevision, Synonym, UnansweredQuestion

MAX_QUESTION = 255
MAX_ANSWER = 2000
MAX_KEYWORDS = 255
MAX_CATEGORY = 32
MAX_SYNONYMS = 500
KEYWORD_JOINER = "、"


class ArticleError(ValueError):
    """Why an article cannot be saved, in words for the user."""


class DuplicateQuestion(ArticleError):
    def __init__(self, number: int) -> None:
        super().__init__(f"已有相同问题的知识 #{number}。")
        self.number = number


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """What people write for an article; ``None`` leaves a field as it is."""

    question: str | None = None
    answer: str | None = None
    keywords: str | None = None
    category: str | None = None


async def current_stamp(tenant_id: int) -> str:
    row = await KnowledgeRevision.get_or_none(tenant_id=tenant_id)
    return row.stamp if row else ""


async def bump_revision(tenant_id: int, now: datetime) -> None:
    stamp = uuid.uuid4().hex
    updated = await KnowledgeRevision.filter(tenant_id=tenant_id).update(
        stamp=stamp, updated_at=now
    )
    if not updated:
        await KnowledgeRevision.create(tenant_id=tenant_id, stamp=stamp, updated_at=now)


def checked(fields: ArticleFields) -> ArticleFields:
    """Trimmed values, or ArticleError naming what is wrong."""
    question = fields.question.strip() if fields.question is not None else None
    answer = fields.answer.strip() if fields.answer is not None else None
    if question is not None and not question:
        raise ArticleError("问题不能为空。")
    if question is not None and len(question) > MAX_QUESTION:
        raise ArticleError(f"问题太长了（最多 {MAX_QUESTION} 个字）。")
    if answer is not None and not answer:
        raise ArticleError("答案不能为空。")
    if answer is not None and len(answer) > MAX_ANSWER:
        raise ArticleError(f"答案太长了（最多 {MAX_ANSWER} 个字）。")
    keywords = None
    if fields.keywords is not None:
        keywords = KEYWORD_JOINER.join(split_list(fields.keywords))
        if len(keywords) > MAX_KEYWORDS:
            raise ArticleError(f"关键词太多了（合计最多 {MAX_KEYWORDS} 个字）。")
    category = fields.category.strip() if fields.category is not None else None
    if category is not None and len(category) > MAX_CATEGORY:
        raise ArticleError(f"分类名太长了（最多 {MAX_CATEGORY} 个字）。")
    return ArticleFields(question, answer, keywords, category)


async def next_number(tenant_id: int) -> int:
    last = await Article.filter(tenant_id=tenant_id).order_by("-number").first()
    return last.number + 1 if last else 1


async def by_number(tenant_id: int, number: int) -> Article | None:
    if not storable(number):
        return None
    return await Article.get_or_none(tenant_id=tenant_id, number=number)


async def by_question(tenant_id: int, question: str) -> Article | None:
    return await Article.get_or_none(tenant_id=tenant_id, question=question.strip())


async def add_article(tenant_id: int, fields: ArticleFields, by: str, now: datetime) -> Article:
    """A new article; the question must be new to the tenant (ArticleError otherwise)."""
    wanted = checked(fields)
    if not wanted.question or not wanted.answer:
        raise ArticleError("问题和答案都要写。")
    same = await by_question(tenant_id, wanted.question)
    if same is not None:
        raise DuplicateQuestion(same.number)
    article = await Article.create(
        tenant_id=tenant_id,
        number=await next_number(tenant_id),
        question=wanted.question,
        answer=wanted.answer,
        keywords=wanted.keywords or "",
        category=wanted.category or "",
        created_by=by[:64],
        updated_by=by[:64],
        created_at=now,
        updated_at=now,
    )
    await _answered(tenant_id, wanted.question)
    await bump_revision(tenant_id, now)
    return article


async def update_article(article: Article, fields: ArticleFields, by: str, now: datetime) -> None:
    wanted = checked(fields)
    if wanted.question is not None and wanted.question != article.question:
        same = await by_question(article.tenant_id, wanted.question)
        if same is not None:
            raise DuplicateQuestion(same.number)
        article.question = wanted.question
        await _answered(article.tenant_id, wanted.question)
    if wanted.answer is not None:
        article.answer = wanted.answer
    if wanted.keywords is not None:
        article.keywords = wanted.keywords
    if wanted.category is not None:
        article.category = wanted.category
    article.updated_by, article.updated_at = by[:64], now
    await article.save()
    await bump_revision(article.tenant_id, now)


async def set_enabled(article: Article, enabled: bool, by: str, now: datetime) -> None:
    article.enabled, article.updated_by, article.updated_at = enabled, by[:64], now
    await article.save(update_fields=["enabled", "updated_by", "updated_at"])
    await bump_revision(article.tenant_id, now)


async def categories(tenant_id: int) -> list[tuple[str, int]]:
    """(category, enabled articles in it), the biggest first; '' is uncategorised."""
    rows = (
        await Article.filter(tenant_id=tenant_id, enabled=True)
        .annotate(total=Count("id"))
        .group_by("category")
        .values("category", "total")
    )
    counted = [(str(r["category"]), int(r["total"])) for r in rows]
    return sorted(counted, key=lambda item: (-item[1], item[0]))


async def set_synonyms(
    tenant_id: int, word: str, synonyms: list[str], by: str, now: datetime
) -> bool:
    """Store ``word``'s synonyms (an empty list removes them). True if anything changed."""
    if not synonyms:
        removed = await Synonym.filter(tenant_id=tenant_id, word=word).delete()
        if removed:
            await bump_revision(tenant_id, now)
        return bool(removed)
    await Synonym.update_or_create(
        defaults={
            "synonyms": KEYWORD_JOINER.join(synonyms),
            "updated_by": by[:64],
            "updated_at": now,
        },
        tenant_id=tenant_id,
        word=word,
    )
    await bump_revision(tenant_id, now)
    return True


async def synonyms_of(tenant_id: int, word: str) -> list[str]:
    row = await Synonym.get_or_none(tenant_id=tenant_id, word=word)
    return row.synonyms.split(KEYWORD_JOINER) if row is not None else []


async def synonym_groups(tenant_id: int) -> list[list[str]]:
    rows = await Synonym.filter(tenant_id=tenant_id).order_by("word")
    return [[row.word, *row.synonyms.split(KEYWORD_JOINER)] for row in rows]


async def _answered(tenant_id: int, question: str) -> None:
    """A question that now has an article leaves the list of unanswered ones."""
    normalized = normalize_question(question)
    await UnansweredQuestion.filter(tenant_id=tenant_id, normalized=normalized).delete()
