"""What a time expression says, before it is placed on the calendar.

The scanner turns each piece of an expression (明天 / 下午 / 3点) into a token: a partial
``Spec`` plus a ``Slot`` saying where in the expression the piece may stand. Pieces combine
from coarse to fine (year, month, day, part of day, clock), which is the order Chinese says
them in, so the combiner only has to check that each piece may follow the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import IntEnum
from typing import Any, Literal

Grain = Literal["second", "minute", "hour", "day", "week", "month", "year"]
GRAINS: tuple[Grain, ...] = ("second", "minute", "hour", "day", "week", "month", "year")

OffsetKind = Literal["elapsed", "days", "months"]
EdgeSide = Literal["start", "end"]
EdgeScope = Literal["month", "year"]


class Level(IntEnum):
    YEAR = 0
    MONTH = 1
    DAY = 2
    DAYPART = 3
    CLOCK = 4


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a token may stand: the levels it fills and what it may directly follow."""

    first: Level
    last: Level
    follows: frozenset[Level] = frozenset()
    may_start: bool = True
    # 早/晚 alone mean "earlier/later", and 26年 alone is no year: such tokens only count
    # when something follows them.
    needs_next: bool = False

    def fits_after(self, prev: Slot | None) -> bool:
        return self.may_start if prev is None else prev.last in self.follows


@dataclass(frozen=True, slots=True)
class Offset:
    """A signed distance from now: elapsed seconds, calendar days or calendar months."""

    kind: OffsetKind
    amount: int
    grain: Grain


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything an expression may say; None means "not said"."""

    is_now: bool | None = None
    offset: Offset | None = None
    year: int | None = None
    year_shift: int | None = None
    month: int | None = None
    month_shift: int | None = None
    day: int | None = None
    edge_side: EdgeSide | None = None
    edge_scope: EdgeScope | None = None
    nth_weekday: tuple[int, int] | None = None  # (1..5 or -1 for 最后一个, Monday=0)
    day_shift: int | None = None
    week_shift: int | None = None
    weekday: int | None = None
    weekend: bool | None = None
    daypart: str | None = None
    hour: int | None = None  # as said, 0-24, before 下午 and friends move it
    hour_end: int | None = None  # 七八点 and 3到5点 carry their range in one token
    minute: int | None = None
    second: int | None = None
    clock_grain: Grain | None = None

    def merge(self, other: Spec) -> Spec | None:
        """Both specs together, or None when they both say the same thing (明天今天)."""
        said: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            theirs = getattr(other, name)
            if theirs is not None:
                if getattr(self, name) is not None:
                    return None
                said[name] = theirs
        return replace(self, **said)

    @property
    def has_date(self) -> bool:
        return any(getattr(self, name) is not None for name in _DATE_FIELDS)

    @property
    def has_time(self) -> bool:
        return self.hour is not None or self.daypart is not None


_FIELD_NAMES = tuple(item.name for item in fields(Spec))
_DATE_FIELDS = (
    "offset",
    "year",
    "year_shift",
    "month",
    "month_shift",
    "day",
    "edge_side",
    "nth_weekday",
    "day_shift",
    "week_shift",
    "weekday",
    "weekend",
)


def finer(a: Grain, b: Grain) -> Grain:
    return a if GRAINS.index(a) <= GRAINS.index(b) else b
