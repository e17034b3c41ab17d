"""Survey answers: the templates' scales, recording an answer once, and what a low score sets
off. Every channel (the 微信客服 rating menu, the survey page) records answers through here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from tortoise.transactions import in_transaction

from bot.surveys.alerts import alert_comment, alert_low_score
from bot.surveys.templates import default_question, is_valid_score, score_label, score_labels
from models.surveys import Survey, SurveyStatus

COMMENT_LIMIT = 1000  # longer comments are cut, not refused


__all__ = [
    "AnswerOutcome",
    "add_comment",
    "answer_by_token",
    "question_text",
    "record_answer",
    "score_label",
    "score_labels",
]


class AnswerOutcome(StrEnum):
    RECORDED = "recorded"
    EXPIRED = "expired"
    ALREADY_ANSWERED = "already_answered"
    CANCELLED = "cancelled"
    NOT_FOUND = "not_found"
    INVALID_SCORE = "invalid_score"


def question_text(survey: Survey) -> str:
    return survey.question or default_question(survey.kind)


def closed_outcome(survey: Survey, now: datetime) -> AnswerOutcome | None:
    """Why ``survey`` can no longer take a score, or None while it can."""
    if survey.status is SurveyStatus.ANSWERED:
        return AnswerOutcome.ALREADY_ANSWERED
    if survey.status is SurveyStatus.CANCELLED:
        return AnswerOutcome.CANCELLED
    if survey.status is SurveyStatus.EXPIRED or survey.expires_at <= now:
        return AnswerOutcome.EXPIRED
    return None


async def answer_by_token(
    token: str, score: int, comment: str, *, now: datetime
) -> tuple[AnswerOutcome, Survey | None]:
    """Record the answer given on the survey page, in one transaction."""
    async with in_transaction():
        survey = await Survey.get_or_none(token=token)
        if survey is None:
            return AnswerOutcome.NOT_FOUND, None
        outcome = await record_answer(survey, score, comment, now=now)
        return outcome, survey


async def record_answer(
    survey: Survey, score: int, comment: str, *, now: datetime
) -> AnswerOutcome:
    """Record ``score`` (and ``comment``) once; call inside the caller's transaction. A low
    score alerts the employee and the admins at once."""
    closed = closed_outcome(survey, now)
    if closed is not None:
        return closed
    if not is_valid_score(survey.kind, score):
        return AnswerOutcome.INVALID_SCORE
    comment = comment.strip()[:COMMENT_LIMIT]
    # Conditional on the status, so of two answers racing for one survey exactly one wins.
    won = await Survey.filter(id=survey.id, status=SurveyStatus.SENT).update(
        status=SurveyStatus.ANSWERED, score=score, comment=comment, answered_at=now
    )
    if won != 1:
        return AnswerOutcome.ALREADY_ANSWERED
    survey.status, survey.score, survey.comment, survey.answered_at = (
        SurveyStatus.ANSWERED,
        score,
        comment,
        now,
    )
    if survey.is_low:
        await alert_low_score(survey, now=now)
    return AnswerOutcome.RECORDED


async def add_comment(survey: Survey, comment: str, *, now: datetime) -> bool:
    """A comment that follows the score (the 微信客服 flow asks for it after the click); call
    inside the caller's transaction. False when there is nothing to add it to."""
    comment = comment.strip()[:COMMENT_LIMIT]
    if not comment or survey.status is not SurveyStatus.ANSWERED:
        return False
    await Survey.filter(id=survey.id).update(comment=comment)
    survey.comment = comment
    if survey.is_low:
        await alert_comment(survey, now=now)
    return True
