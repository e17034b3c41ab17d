"""How a client enterprise is served, for its profile: its own customers' satisfaction, what
its admins told the provider, and the support requests it is waiting on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.surveys.stats import csat_percent, nps, percent_text, rounded
from bot.vendor_support.numbers import format_number
from models.surveys import Survey, SurveyKind, SurveyStatus, SurveyTrigger
from models.vendor_support import ProviderSurvey, RequestStatus, SupportRequest

WINDOW = timedelta(days=30)

CSAT_LINE = "客户满意度（近30天）：{csat}，{count} 份回答"
NO_CSAT = "客户满意度（近30天）：没有回答"
NPS_LINE = "对服务商的评价：{quarter} NPS {score}，{count} 人回答"
NO_NPS = "对服务商的评价：还没有回答"
SUPPORT_LINE = "客服请求：未结 {count} 条（{numbers}）"
NO_SUPPORT = "客服请求：没有未结的"


@dataclass(frozen=True, slots=True)
class Care:
    csat_scores: tuple[int, ...]  # the tenant's customers', last 30 days
    nps_quarter: str  # the latest quarter its admins answered the provider in, or ""
    nps_scores: tuple[int, ...]
    open_requests: tuple[int, ...]  # support request ids not closed, oldest first

    def lines(self) -> list[str]:
        csat = csat_percent(self.csat_scores)
        lines = [
            CSAT_LINE.format(csat=percent_text(csat), count=len(self.csat_scores))
            if self.csat_scores
            else NO_CSAT
        ]
        score = nps(self.nps_scores)
        lines.append(
            NPS_LINE.format(
                quarter=self.nps_quarter, score=rounded(score), count=len(self.nps_scores)
            )
            if score is not None
            else NO_NPS
        )
        numbers = "、".join(format_number(n) for n in self.open_requests)
        lines.append(
            SUPPORT_LINE.format(count=len(self.open_requests), numbers=numbers)
            if self.open_requests
            else NO_SUPPORT
        )
        return lines


async def care_of(tenant_id: int, now: datetime) -> Care:
    csat = (
        await Survey.filter(
            tenant_id=tenant_id,
            kind=SurveyKind.CSAT,
            status=SurveyStatus.ANSWERED,
            answered_at__gte=now - WINDOW,
        )
        .exclude(trigger=SurveyTrigger.PROVIDER_NPS)
        .only("id", "score")
    )
    quarter, nps_scores = await _latest_nps(tenant_id)
    open_requests = (
        await SupportRequest.filter(tenant_id=tenant_id)
        .exclude(status=RequestStatus.CLOSED)
        .order_by("id")
    )
    return Care(
        csat_scores=tuple(int(s.score) for s in csat if s.score is not None),
        nps_quarter=quarter,
        nps_scores=nps_scores,
        open_requests=tuple(r.id for r in open_requests),
    )


async def _latest_nps(tenant_id: int) -> tuple[str, tuple[int, ...]]:
    asked = await ProviderSurvey.filter(tenant_id=tenant_id).values_list("quarter", "survey_id")
    answered = dict(
        await Survey.filter(
            id__in=[survey for _, survey in asked], status=SurveyStatus.ANSWERED
        ).values_list("id", "score")
    )
    by_quarter: dict[str, list[int]] = {}
    for quarter, survey in asked:
        if answered.get(survey) is not None:
            by_quarter.setdefault(quarter, []).append(int(answered[survey]))
    if not by_quarter:
        return "", ()
    latest = max(by_quarter)
    return latest, tuple(by_quarter[latest])
