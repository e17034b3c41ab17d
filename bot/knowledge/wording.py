"""How articles, answers and lists read in chat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.followups.wording import time_words
from bot.knowledge.retrieval import Answer
from bot.knowledge.unanswered import Missed
from models.knowledge import Article

ANSWER = "【知识 #{number}】{question}\n{answer}"
RELATED_HEADER = "\n相关问题："
RELATED_LINE = "· #{number} {question}"
RELATED_FOOTER = "发送「知识 编号」查看。"
CARD = "【知识 #{number}】{question}{disabled}\n答：{answer}\n分类：{category}\n关键词：{keywords}"
CARD_UPDATED = "更新：{when} {by}"
DISABLED_MARK = "（已停用）"
NONE = "无"
UNCATEGORISED = "未分类"
LIST_LINE = "#{number} {question}{category}{disabled}"
MISSED_LINE = "{rank}. {question} — {total} 次（{channels}），最近 {when}"
CHANNEL_NAMES = {"app": "员工", "aibot": "群聊", "kf": "客户", "console": "控制台"}


def render_answer(found: Answer) -> str:
    assert found.hit is not None
    hit = found.hit
    text = ANSWER.format(number=hit.number, question=hit.question, answer=hit.answer)
    if not found.related:
        return text
    lines = [text, RELATED_HEADER]
    lines += [RELATED_LINE.format(number=r.number, question=r.question) for r in found.related]
    lines.append(RELATED_FOOTER)
    return "\n".join(lines)


def render_article(article: Article, tz: tzinfo) -> str:
    card = CARD.format(
        number=article.number,
        question=article.question,
        disabled=DISABLED_MARK if not article.enabled else "",
        answer=article.answer,
        category=article.category or NONE,
        keywords=article.keywords or NONE,
    )
    by = article.updated_by or article.created_by
    return card + "\n" + CARD_UPDATED.format(when=time_words(article.updated_at, tz), by=by)


def list_line(article: Article, show_category: bool) -> str:
    return LIST_LINE.format(
        number=article.number,
        question=article.question,
        category=f"（{article.category}）" if show_category and article.category else "",
        disabled=DISABLED_MARK if not article.enabled else "",
    )


def categories_line(counts: Sequence[tuple[str, int]]) -> str:
    return "、".join(f"{name or UNCATEGORISED} {total}" for name, total in counts)


def missed_lines(missed: Sequence[Missed], tz: tzinfo) -> list[str]:
    return [
        MISSED_LINE.format(
            rank=rank,
            question=m.question,
            total=m.total,
            channels=_channels(m.by_channel),
            when=time_words(m.last_asked_at, tz),
        )
        for rank, m in enumerate(missed, start=1)
    ]


def _channels(counts: dict[str, int]) -> str:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "、".join(f"{CHANNEL_NAMES.get(channel, channel)} {n}" for channel, n in ordered)
