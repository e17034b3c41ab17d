"""A client admin's low NPS score (0–6) reaching the provider's operators at once.

Called by the survey capability's answer path (``bot.surveys.alerts``) in the transaction
that records the answer; keyed by the survey, so a retried answer never alerts twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.subscription import notify
from models.surveys import Survey
from models.tenants import Employee, Tenant
from models.vendor_support import ProviderSurvey

LOW_SCORE = (
    "【客户满意度低分】{tenant} · {who} 给出 {score} 分（满分 10）。留言：{comment}\n请尽快回访。"
)
NO_COMMENT = "（暂无）"


async def alert_operators(survey: Survey, *, now: datetime) -> None:
    asked = await ProviderSurvey.get_or_none(survey_id=survey.id)
    if asked is None or not asked.operators:
        return
    tenant = await Tenant.get_or_none(id=survey.tenant_id)
    admin = await Employee.get_or_none(id=survey.employee_id) if survey.employee_id else None
    text = LOW_SCORE.format(
        tenant=tenant.name if tenant else "",
        who=(admin.name or admin.userid) if admin else survey.recipient,
        score=survey.score,
        comment=survey.comment or NO_COMMENT,
    )
    await notify.write(
        asked.desk_tenant_id,
        f"nps:{survey.id}:low",
        asked.operators,
        text,
        now=now,
        lease=notify.FOR_ANY_SENDER,
    )
