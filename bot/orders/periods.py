"""Calendar periods for sales figures: months and quarters, as tenant-local dates
[start, end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Span:
    label: str  # 本月, 上月, 本季, 上季
    start: date
    end: date  # the day after the last

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, time(), tz), datetime.combine(self.end, time(), tz)

    @property
    def words(self) -> str:
        last = self.end - timedelta(days=1)
        return f"{self.start.month}月{self.start.day}日 至 {last.month}月{last.day}日"


def _months_back(day: date, months: int) -> date:
    """The first of the month ``months`` before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def month(day: date, back: int = 0) -> Span:
    start = _months_back(day, back)
    return Span("上月" if back else "本月", start, _months_back(start, -1))


def quarter(day: date, back: int = 0) -> Span:
    first = _months_back(date(day.year, day.month - (day.month - 1) % 3, 1), 3 * back)
    return Span("上季" if back else "本季", first, _months_back(first, -3))


SPANS = {"本月": (month, 0), "上月": (month, 1), "本季": (quarter, 0), "上季": (quarter, 1)}
ALIASES = {
    "这个月": "本月", "这月": "本月", "当月": "本月", "上个月": "上月",
    "本季度": "本季", "这个季度": "本季", "这季度": "本季", "上季度": "上季", "上个季度": "上季",
}  # fmt: skip


def span_named(word: str, today: date) -> Span | None:
    """本月/上月/本季/上季 (or 这个月, 上个季度 …) around ``today``; None for anything else."""
    found = SPANS.get(ALIASES.get(word, word))
    if found is None:
        return None
    make, back = found
    return make(today, back)
