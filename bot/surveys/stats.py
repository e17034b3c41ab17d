"""Satisfaction statistics, pure: CSAT, NPS and response rate from plain numbers.

- CSAT% is the share of 4 and 5 among CSAT answers (1 to 5).
- NPS is the percentage of promoters (9, 10) minus the percentage of detractors (0 to 6)
  among NPS answers, from -100 to 100.
- The response rate is answered surveys over surveys sent, cancelled ones left out.

Percentages are rounded half up to whole numbers only when shown (``percent_text``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from models.surveys import SurveyKind, SurveyStatus

CSAT_SATISFIED = 4  # 4 and 5 count as satisfied
NPS_PROMOTER = 9
NPS_DETRACTOR = 6  # 0 to 6


def csat_percent(scores: Sequence[int]) -> float | None:
    """Share of satisfied answers in percent; None without answers."""
    if not scores:
        return None
    return 100 * sum(1 for s in scores if s >= CSAT_SATISFIED) / len(scores)


def nps(scores: Sequence[int]) -> float | None:
    """Net promoter score; None without answers."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= NPS_PROMOTER)
    detractors = sum(1 for s in scores if s <= NPS_DETRACTOR)
    return 100 * (promoters - detractors) / len(scores)


def rounded(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{rounded(value)}%"


@dataclass(frozen=True, slots=True)
class SurveyFact:
    """What the statistics need of one survey."""

    kind: SurveyKind
    status: SurveyStatus
    score: int | None


@dataclass(frozen=True, slots=True)
class Summary:
    sent: int  # cancelled surveys are not counted
    answered: int
    csat_scores: tuple[int, ...]
    nps_scores: tuple[int, ...]

    @property
    def csat(self) -> float | None:
        return csat_percent(self.csat_scores)

    @property
    def nps(self) -> float | None:
        return nps(self.nps_scores)

    @property
    def response_rate(self) -> float | None:
        return 100 * self.answered / self.sent if self.sent else None


def summarize(facts: Iterable[SurveyFact]) -> Summary:
    sent = answered = 0
    csat_scores: list[int] = []
    nps_scores: list[int] = []
    for fact in facts:
        if fact.status is SurveyStatus.CANCELLED:
            continue
        sent += 1
        if fact.status is not SurveyStatus.ANSWERED or fact.score is None:
            continue
        answered += 1
        (csat_scores if fact.kind is SurveyKind.CSAT else nps_scores).append(fact.score)
    return Summary(sent, answered, tuple(csat_scores), tuple(nps_scores))


def lowness(kind: SurveyKind, score: int) -> float:
    """A score on a 0-to-1 scale, so CSAT and NPS answers sort together (worst first)."""
    return (score - 1) / 4 if kind is SurveyKind.CSAT else score / 10
