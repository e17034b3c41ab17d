"""Satisfaction statistics on small fixtures."""

from __future__ import annotations

import pytest

from bot.surveys.stats import (
    SurveyFact,
    csat_percent,
    lowness,
    nps,
    percent_text,
    rounded,
    summarize,
)
from models.surveys import SurveyKind, SurveyStatus


def test_csat_is_the_share_of_fours_and_fives() -> None:
    assert csat_percent([5, 4, 3, 1]) == 50
    assert csat_percent([5, 5, 5]) == 100
    assert csat_percent([3, 2, 1]) == 0
    assert csat_percent([]) is None


def test_nps_is_promoters_minus_detractors() -> None:
    assert nps([10, 9, 8, 6, 0]) == 0
    assert nps([10, 10, 9, 7]) == 75
    assert nps([0, 6, 8]) == pytest.approx(-200 / 3)
    assert nps([7, 8]) == 0
    assert nps([]) is None


def test_percentages_round_half_up_when_shown() -> None:
    assert rounded(62.5) == 63
    assert rounded(-66.666) == -67
    assert percent_text(200 / 3) == "67%"
    assert percent_text(None) == "—"


def test_summary_counts_sent_answered_and_leaves_cancelled_out() -> None:
    csat, nps_kind = SurveyKind.CSAT, SurveyKind.NPS
    answered, sent = SurveyStatus.ANSWERED, SurveyStatus.SENT
    summary = summarize(
        [
            SurveyFact(csat, answered, 5),
            SurveyFact(csat, answered, 2),
            SurveyFact(nps_kind, answered, 10),
            SurveyFact(csat, sent, None),
            SurveyFact(csat, SurveyStatus.EXPIRED, None),
            SurveyFact(csat, SurveyStatus.CANCELLED, None),
        ]
    )
    assert (summary.sent, summary.answered) == (5, 3)
    assert summary.csat_scores == (5, 2) and summary.nps_scores == (10,)
    assert (summary.csat, summary.nps, summary.response_rate) == (50, 100, 60)


def test_an_empty_period_has_no_rates() -> None:
    summary = summarize([])
    assert (summary.csat, summary.nps, summary.response_rate) == (None, None, None)


def test_csat_and_nps_scores_sort_together_worst_first() -> None:
    ordered = sorted(
        [(SurveyKind.CSAT, 3), (SurveyKind.NPS, 2), (SurveyKind.CSAT, 1), (SurveyKind.NPS, 9)],
        key=lambda pair: lowness(*pair),
    )
    assert ordered == [
        (SurveyKind.CSAT, 1),
        (SurveyKind.NPS, 2),
        (SurveyKind.CSAT, 3),
        (SurveyKind.NPS, 9),
    ]
