"""Per-employee call figures over tenant-local days, computed from the call log itself.

A call counts on the local date its ringing started (a 23:58 → 00:05 call belongs to the
first day), and 有效通话 is one rule (answered and talk ≥ the tenant's threshold). The chat
commands read the daily table (``bot.calls.days``), which is kept from this query, one
employee's day at a time, as calls end; a new threshold rebuilds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.functions import Count, Max, Min, Sum

from models.calls import CallRecord, CallStage, Disposition

ALIASES = {"今日": "今天", "这周": "本周", "这个星期": "本周", "本星期": "本周", "上个星期": "上周",
           "上星期": "上周", "这个月": "本月", "上个月": "上月", "昨日": "昨天"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: date
    end: date  # the day after the last

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """In UTC: SQLite compares stored times as text, so both sides must share an offset."""
        start, end = (
            datetime.combine(self.start, time(), tz),
            datetime.combine(self.end, time(), tz),
        )
        return start.astimezone(UTC), end.astimezone(UTC)


def period_named(word: str, today: date) -> Period | None:
    label = ALIASES.get(word, word or "今天")
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    spans = {
        "今天": (today, today + timedelta(days=1)),
        "昨天": (today - timedelta(days=1), today),
        "本周": (monday, monday + timedelta(days=7)),
        "上周": (monday - timedelta(days=7), monday),
        "本月": (first, (first + timedelta(days=32)).replace(day=1)),
        "上月": ((first - timedelta(days=1)).replace(day=1), first),
    }
    found = spans.get(label)
    return Period(label, *found) if found else None


def is_effective(disposition: Disposition, talk_secs: int, threshold: int) -> bool:
    """有效通话: the one definition every figure uses."""
    return disposition is Disposition.ANSWERED and talk_secs > 0 and talk_secs >= threshold


@dataclass(slots=True)
class Figures:
    calls: int = 0
    connected: int = 0
    talk_secs: int = 0
    effective: int = 0
    effective_secs: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None

    def add(self, started: datetime, disposition: Disposition, talk: int, threshold: int) -> None:
        self.calls += 1
        if disposition is Disposition.ANSWERED:
            self.connected += 1
            self.talk_secs += talk
        if is_effective(disposition, talk, threshold):
            self.effective += 1
            self.effective_secs += talk
        self.first_at = min(self.first_at or started, started)
        self.last_at = max(self.last_at or started, started)

    @property
    def rate(self) -> int:
        return round(100 * self.connected / self.calls) if self.calls else 0

    @property
    def average_secs(self) -> int:
        return round(self.talk_secs / self.connected) if self.connected else 0


async def figures_by_employee(
    tenant_id: int,
    start: datetime,
    end: datetime,
    threshold: int,
    employee_id: int | None = None,
    nobody: bool = False,
) -> dict[int | None, Figures]:
    """Ended calls that started in [start, end), per employee (None: nobody's), summed by the
    database in one grouped query (the same sums ``Figures.add`` makes one call at a time).
    ``employee_id`` keeps one employee's calls, ``nobody`` only the calls of no employee."""
    query = CallRecord.filter(
        tenant_id=tenant_id, started_at__gte=start, started_at__lt=end, stage=CallStage.ENDED
    )
    if employee_id is not None:
        query = query.filter(employee_id=employee_id)
    elif nobody:
        query = query.filter(employee_id__isnull=True)
    answered = Q(disposition=Disposition.ANSWERED, talk_secs__gt=0)
    effective = Q(answered, talk_secs__gte=threshold)
    rows = (
        await query.annotate(
            calls=Count("id"),
            connected=Count("id", _filter=answered),
            talk=Sum("talk_secs", _filter=answered),
            effective=Count("id", _filter=effective),
            effective_talk=Sum("talk_secs", _filter=effective),
            first=Min("started_at"),
            last=Max("started_at"),
        )
        .group_by("employee_id")
        .values(
            "employee_id",
            "calls",
            "connected",
            "talk",
            "effective",
            "effective_talk",
            "first",
            "last",
        )
    )
    return {row["employee_id"]: _figures(row) for row in rows}


def moment(value: object) -> datetime | None:
    """SQLite hands aggregated times back as text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value)).astimezone(UTC)


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        calls=int(row["calls"]),
        connected=int(row["connected"] or 0),
        talk_secs=int(row["talk"] or 0),
        effective=int(row["effective"] or 0),
        effective_secs=int(row["effective_talk"] or 0),
        first_at=moment(row["first"]),
        last_at=moment(row["last"]),
    )
