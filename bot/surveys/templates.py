"""The survey templates' scales and questions: CSAT 1 to 5, NPS 0 to 10."""

from __future__ import annotations

from models.surveys import SurveyKind

CSAT_LABELS = ("非常不满意", "不满意", "一般", "满意", "非常满意")
DEFAULT_QUESTIONS = {
    SurveyKind.CSAT: "您对本次服务满意吗？",
    SurveyKind.NPS: "您有多大可能把我们推荐给朋友或同事？",
}


def score_labels(kind: SurveyKind) -> list[tuple[int, str]]:
    """Every score of ``kind``'s scale with what it is called, lowest first."""
    if kind is SurveyKind.CSAT:
        return [(index + 1, label) for index, label in enumerate(CSAT_LABELS)]
    return [(score, str(score)) for score in range(11)]


def score_label(kind: SurveyKind, score: int) -> str:
    return dict(score_labels(kind)).get(score, str(score))


def is_valid_score(kind: SurveyKind, score: int) -> bool:
    return any(value == score for value, _ in score_labels(kind))


def default_question(kind: SurveyKind) -> str:
    return DEFAULT_QUESTIONS[kind]


def score_text(kind: SurveyKind, score: int) -> str:
    """How a score reads in notices: "2 分（不满意）", "6 分（满分 10）"."""
    if kind is SurveyKind.CSAT:
        return f"{score} 分（{score_label(kind, score)}）"
    return f"{score} 分（满分 10）"
