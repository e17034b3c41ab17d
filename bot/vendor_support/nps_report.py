"""客户满意度: the provider's NPS for a quarter, overall and per client enterprise.

NPS = % promoters (9–10) − % detractors (0–6) among the answers, a whole number from −100
to 100; response rate = answers ÷ questions asked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models.surveys import Survey, SurveyStatus
from models.tenants import Tenant
from models.vendor_support import ProviderSurvey

HEAD = "客户满意度（{quarter}，NPS）："
OVERALL = (
    "全部客户：NPS {nps}，{answered}/{asked} 人回答"
    "（推荐 {promoters}，中立 {passives}，贬损 {detractors}）"
)
TENANT_ROW = "{tenant}：NPS {nps}，{answered}/{asked} 人回答{low}"
LOW_MARK = "，有低分"
NOT_ASKED = "{quarter} 还没有向客户发出满意度调查。"


@dataclass
class Tally:
    asked: int = 0
    scores: list[int] | None = None

    def add(self, survey: Survey) -> None:
        self.asked += 1
        if survey.status is SurveyStatus.ANSWERED and survey.score is not None:
            self.scores = [*(self.scores or []), int(survey.score)]

    @property
    def answered(self) -> int:
        return len(self.scores or [])

    def count(self, low: int, high: int) -> int:
        return sum(1 for s in self.scores or [] if low <= s <= high)

    def nps(self) -> str:
        if not self.answered:
            return "—"
        share = (self.count(9, 10) - self.count(0, 6)) * 100 / self.answered
        return str(round(share))


async def satisfaction_report(quarter: str) -> str:
    asked = await ProviderSurvey.filter(quarter=quarter)
    if not asked:
        return NOT_ASKED.format(quarter=quarter)
    surveys = {s.id: s for s in await Survey.filter(id__in=[a.survey_id for a in asked])}
    overall = Tally()
    by_tenant: defaultdict[int, Tally] = defaultdict(Tally)
    for row in asked:
        survey = surveys.get(row.survey_id)
        if survey is None:
            continue
        overall.add(survey)
        by_tenant[row.tenant_id].add(survey)
    names = {t.id: t.name for t in await Tenant.filter(id__in=list(by_tenant))}
    lines = [
        HEAD.format(quarter=quarter),
        OVERALL.format(
            nps=overall.nps(),
            answered=overall.answered,
            asked=overall.asked,
            promoters=overall.count(9, 10),
            passives=overall.count(7, 8),
            detractors=overall.count(0, 6),
        ),
    ]
    for tenant_id, tally in sorted(by_tenant.items(), key=lambda item: names.get(item[0], "")):
        lines.append(
            TENANT_ROW.format(
                tenant=names.get(tenant_id, ""),
                nps=tally.nps(),
                answered=tally.answered,
                asked=tally.asked,
                low=LOW_MARK if tally.count(0, 6) else "",
            )
        )
    return "\n".join(lines)
