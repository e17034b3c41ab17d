"""The survey sweep: one reminder for surveys still unanswered after ``reminder_after_hours``,
and expiry after ``expire_after_days``.

Both are conditional UPDATEs, so two replicas running the sweep never remind anyone twice:
a reminder is claimed by setting ``reminded_at`` where it is still null, in the same
transaction as the message it writes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from tortoise.transactions import in_transaction

from bot.kf.budget import budget_for
from bot.surveys.delivery import remind
from bot.wecom.kf import KfAddress
from models.surveys import Survey, SurveyChannel, SurveyStatus

logger = logging.getLogger(__name__)

BATCH = 100


async def expire_due(now: datetime) -> int:
    return await Survey.filter(status=SurveyStatus.SENT, expires_at__lte=now).update(
        status=SurveyStatus.EXPIRED
    )


async def remind_due(now: datetime, base_url: str, limit: int = BATCH) -> int:
    """Send the reminders that are due; returns how many went out."""
    due = (
        await Survey.filter(
            status=SurveyStatus.SENT,
            remind_at__lte=now,
            reminded_at__isnull=True,
            expires_at__gt=now,
        )
        .order_by("remind_at")
        .limit(limit)
    )
    sent = 0
    for survey in due:
        async with in_transaction():
            won = await Survey.filter(
                id=survey.id, status=SurveyStatus.SENT, reminded_at__isnull=True
            ).update(reminded_at=now)
            if won != 1:
                continue
            if not await _reachable(survey, now):
                # The one reminder is used up either way: a later one would come too late.
                logger.info("survey %s: no 微信客服 budget left for its reminder", survey.id)
                continue
            await remind(survey, base_url, now=now)
            sent += 1
    return sent


async def _reachable(survey: Survey, now: datetime) -> bool:
    if survey.channel is not SurveyChannel.KF:
        return True
    budget = await budget_for(survey.tenant_id, KfAddress.parse(survey.recipient), now)
    return budget.allows()


async def sweep_surveys(now: datetime, base_url: str) -> int:
    expired = await expire_due(now)
    return expired + await remind_due(now, base_url)
