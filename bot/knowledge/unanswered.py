"""Questions no article answered: counted per normalised question and channel, listed for
admins by how often they were asked, so the next article written is the one most missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F
from tortoise.functions import Max, Sum

from bot.knowledge.text import normalize_question
from models.knowledge import UnansweredQuestion


@dataclass(frozen=True, slots=True)
class Missed:
    question: str
    total: int
    last_asked_at: datetime
    by_channel: dict[str, int]


async def log_unanswered(tenant_id: int, question: str, channel: str, now: datetime) -> None:
    normalized = normalize_question(question)
    if not normalized:
        return
    # One UPDATE first: asking again is the common case, and it is atomic across replicas.
    updated = await UnansweredQuestion.filter(
        tenant_id=tenant_id, normalized=normalized, channel=channel
    ).update(count=F("count") + 1, last_asked_at=now)
    if not updated:
        await UnansweredQuestion.create(
            tenant_id=tenant_id,
            normalized=normalized,
            channel=channel[:16],
            count=1,
            first_asked_at=now,
            last_asked_at=now,
        )


async def most_missed(tenant_id: int, limit: int = 10) -> list[Missed]:
    """The most asked unanswered questions, the most recent first among equals."""
    rows = (
        await UnansweredQuestion.filter(tenant_id=tenant_id)
        .annotate(total=Sum("count"), last=Max("last_asked_at"))
        .group_by("normalized")
        .order_by("-total", "-last", "normalized")
        .limit(limit)
        .values("normalized", "total", "last")
    )
    if not rows:
        return []
    questions = [str(row["normalized"]) for row in rows]
    per_channel: dict[str, dict[str, int]] = {q: {} for q in questions}
    for row in await UnansweredQuestion.filter(tenant_id=tenant_id, normalized__in=questions):
        per_channel[row.normalized][row.channel] = row.count
    return [
        Missed(str(r["normalized"]), int(r["total"]), r["last"], per_channel[str(r["normalized"])])
        for r in rows
    ]
