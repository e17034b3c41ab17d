"""Reading articles from CSV or Markdown files and upserting them by question.

CSV: a header row naming the columns question, answer, keywords, category (or 问题, 答案,
关键词, 分类; keywords and category may be left out). UTF-8 (with or without the BOM Excel
writes) or GB18030.

Markdown: each article is a ``## question`` heading with its answer below it. A ``# name``
heading sets the category of the articles after it; a ``关键词：…`` or ``分类：…`` line in an
answer sets that article's keywords or category instead of being part of the answer::

    # 打印机
    ## 打印机卡纸怎么办
    先关闭电源，打开前盖取出卡纸。
    关键词：卡纸、夹纸

A row that cannot be used is reported with its line number; the others are still imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.knowledge.store import ArticleError, ArticleFields, bump_revision, checked
from bot.knowledge.text import normalize_question
from bot.text_files import decode_text
from models.knowledge import Article, UnansweredQuestion

COLUMNS = {
    "question": "question",
    "问题": "question",
    "answer": "answer",
    "答案": "answer",
    "keywords": "keywords",
    "关键词": "keywords",
    "category": "category",
    "分类": "category",
}
_META = re.compile(r"^(关键词|分类)\s*[：:]\s*(.*)$")
IMPORTED_BY = "import"
BATCH = 500


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    fields: ArticleFields


@dataclass(slots=True)
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (no header, unknown type, undecodable)."""


def read_text(path: Path) -> str:
    text = decode_text(path.read_bytes())
    if text is None:
        raise ImportFileError(f"{path}: not UTF-8 or GB18030 text")
    return text


def parse_file(path: Path) -> Parsed:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(read_text(path))
    if suffix in (".md", ".markdown"):
        return parse_markdown(read_text(path))
    raise ImportFileError(f"{path}: expected a .csv or .md file")


def parse_csv(text: str) -> Parsed:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    names = [COLUMNS.get(h.strip().lower()) for h in header or []]
    if "question" not in names or "answer" not in names:
        raise ImportFileError(
            "the first row must name the columns question and answer "
            "(or 问题 and 答案), optionally keywords and category (关键词, 分类)"
        )
    parsed = Parsed()
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        cells = {n: v for n, v in zip(names, values, strict=False) if n is not None}
        if not cells.get("question", "").strip() or not cells.get("answer", "").strip():
            parsed.errors.append(f"line {reader.line_num}: the question or the answer is empty")
            continue
        parsed.rows.append(Row(reader.line_num, ArticleFields(**cells)))
    return parsed


def parse_markdown(text: str) -> Parsed:
    parsed = Parsed()
    category = ""
    current: dict[str, str] | None = None
    body: list[str] = []
    start = 0

    def finish() -> None:
        if current is None:
            return
        current["answer"] = "\n".join(body).strip()
        if not current["answer"]:
            parsed.errors.append(f"line {start}: 「{current['question']}」 has no answer")
        else:
            parsed.rows.append(Row(start, ArticleFields(**current)))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("## "):
            finish()
            current, body, start = {"question": line[3:], "category": category}, [], number
        elif line.startswith("# "):
            finish()
            current, category = None, line[2:].strip()
        elif current is None:
            if line.strip():
                parsed.errors.append(f"line {number}: text outside an article (start one with ## )")
        elif meta := _META.match(line.strip()):
            current["keywords" if meta.group(1) == "关键词" else "category"] = meta.group(2)
        else:
            body.append(line)
    finish()
    return parsed


async def upsert_articles(tenant_id: int, rows: list[Row], now: datetime) -> ImportReport:
    """Add new questions, update changed ones; one revision bump for the whole file."""
    report = ImportReport()
    existing = {a.question: a for a in await Article.filter(tenant_id=tenant_id)}
    numbers = max((a.number for a in existing.values()), default=0)
    fresh: list[Article] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            fields = checked(row.fields)
        except ArticleError as exc:
            report.errors.append(f"line {row.line}: {exc}")
            continue
        assert fields.question is not None and fields.answer is not None
        if fields.question in seen:
            report.errors.append(
                f"line {row.line}: the same question as line {seen[fields.question]}"
            )
            continue
        seen[fields.question] = row.line
        article = existing.get(fields.question)
        if article is None:
            numbers += 1
            article = _new_article(tenant_id, numbers, fields, now)
            existing[fields.question] = article
            fresh.append(article)
            report.added += 1
        elif _apply(article, fields, now):
            await article.save()
            report.updated += 1
        else:
            report.unchanged += 1
    await Article.bulk_create(fresh, batch_size=BATCH)
    await _forget_unanswered(tenant_id, [a.question for a in fresh])
    if report.added or report.updated:
        await bump_revision(tenant_id, now)
    return report


def _new_article(tenant_id: int, number: int, fields: ArticleFields, now: datetime) -> Article:
    return Article(
        tenant_id=tenant_id,
        number=number,
        question=fields.question,
        answer=fields.answer,
        keywords=fields.keywords or "",
        category=fields.category or "",
        created_by=IMPORTED_BY,
        updated_by=IMPORTED_BY,
        created_at=now,
        updated_at=now,
    )


def _apply(article: Article, fields: ArticleFields, now: datetime) -> bool:
    wanted = (fields.answer or article.answer, fields.keywords or "", fields.category or "")
    if (article.answer, article.keywords, article.category) == wanted:
        return False
    article.answer, article.keywords, article.category = wanted
    article.updated_by, article.updated_at = IMPORTED_BY, now
    return True


async def _forget_unanswered(tenant_id: int, questions: list[str]) -> None:
    normalized = list({normalize_question(q) for q in questions})
    for i in range(0, len(normalized), BATCH):
        chunk = normalized[i : i + BATCH]
        await UnansweredQuestion.filter(tenant_id=tenant_id, normalized__in=chunk).delete()
