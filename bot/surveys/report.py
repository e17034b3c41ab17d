"""Satisfaction reports in chat: a period's CSAT, NPS and response rate, per employee, and the
lowest-scoring comments.

A survey belongs to the period it was sent in, so the response rate compares like with like
(of the surveys sent last week, how many were answered). The admin 日报 section is the
exception: it counts the answers that came in that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.crm.book import employee_label
from bot.surveys.stats import Summary, SurveyFact, lowness, percent_text, rounded, summarize
from bot.tenants import TenantInfo
from models.surveys import Survey, SurveyKind, SurveyStatus, SurveyTrigger
from models.tenants import Employee

LOWEST_SHOWN = 3
COMMENT_SHOWN = 60  # characters of a comment quoted in chat

HEAD = "【满意度】{who}{label}（{dates}）"
NOTHING = "{who}{label}（{dates}）没有发出满意度调查。"
CSAT_LINE = "CSAT {percent}（4–5 分 {good}/{n} 份）· 回复率 {rate}（{answered}/{sent}）"
CSAT_NONE = "还没有收到 CSAT 评分 · 回复率 {rate}（{answered}/{sent}）"
NPS_LINE = "NPS {nps}（{n} 份；推荐者 9–10 分减贬损者 0–6 分）"
BY_EMPLOYEE = "按员工："
EMPLOYEE_LINE = "· {name} CSAT {percent}（{n} 份）· 回复率 {rate}"
LOWEST = "最低分留言："
LOWEST_LINE = "· {score} 分 {customer}（{employee}，{when}）：{comment}"
DAILY = "· 满意度：收到 {n} 份评价，{score}{low}"
DAILY_LOW = "，其中 {count} 份低分（已提醒跟进）"


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # 上周, 本月, ...
    start: datetime
    end: datetime  # exclusive

    def dates(self, tz: ZoneInfo, now: datetime) -> str:
        last = min(self.end, now) - timedelta(microseconds=1)
        first_local, last_local = self.start.astimezone(tz), last.astimezone(tz)
        first = f"{first_local.month}月{first_local.day}日"
        if first_local.date() >= last_local.date():
            return first
        return f"{first}—{last_local.month}月{last_local.day}日"


async def surveys_sent(
    tenant_id: int, start: datetime, end: datetime, employee_id: int | None = None
) -> list[Survey]:
    # In UTC: SQLite compares the stored text, which is UTC.
    query = Survey.filter(
        tenant_id=tenant_id, sent_at__gte=start.astimezone(UTC), sent_at__lt=end.astimezone(UTC)
    ).exclude(trigger=SurveyTrigger.PROVIDER_NPS)
    if employee_id is not None:
        query = query.filter(employee_id=employee_id)
    return await query.prefetch_related("customer", "employee")


def facts(surveys: list[Survey]) -> list[SurveyFact]:
    return [SurveyFact(s.kind, s.status, s.score) for s in surveys]


def summary_lines(summary: Summary) -> list[str]:
    rate = percent_text(summary.response_rate)
    counts = {"answered": summary.answered, "sent": summary.sent, "rate": rate}
    if summary.csat_scores:
        good = sum(1 for s in summary.csat_scores if s >= 4)
        n = len(summary.csat_scores)
        lines = [CSAT_LINE.format(percent=percent_text(summary.csat), good=good, n=n, **counts)]
    else:
        lines = [CSAT_NONE.format(**counts)]
    if summary.nps is not None:
        lines.append(NPS_LINE.format(nps=rounded(summary.nps), n=len(summary.nps_scores)))
    return lines


def _by_employee(surveys: list[Survey]) -> list[str]:
    groups: dict[int, list[Survey]] = {}
    for survey in surveys:
        if survey.employee_id is not None:
            groups.setdefault(survey.employee_id, []).append(survey)
    rows = []
    for members in groups.values():
        summary = summarize(facts(members))
        if summary.sent:
            rows.append((summary, employee_label(members[0].employee)))
    # Best first; employees with no CSAT answers yet at the end.
    rows.sort(key=lambda r: (r[0].csat is None, -(r[0].csat or 0), -r[0].answered, r[1]))
    return [
        EMPLOYEE_LINE.format(
            name=name,
            percent=percent_text(summary.csat),
            n=len(summary.csat_scores),
            rate=percent_text(summary.response_rate),
        )
        for summary, name in rows
    ]


def lowest_comments(surveys: list[Survey], tz: ZoneInfo, limit: int = LOWEST_SHOWN) -> list[str]:
    answered = [
        s
        for s in surveys
        if s.status is SurveyStatus.ANSWERED and s.score is not None and s.comment.strip()
    ]
    answered.sort(key=lambda s: (lowness(s.kind, s.score or 0), -_stamp(s.answered_at)))
    lines = []
    for survey in answered[:limit]:
        when = survey.answered_at.astimezone(tz) if survey.answered_at else None
        comment = survey.comment.strip().replace("\n", " ")
        if len(comment) > COMMENT_SHOWN:
            comment = comment[:COMMENT_SHOWN] + "…"
        lines.append(
            LOWEST_LINE.format(
                score=f"{survey.score}/10" if survey.kind is SurveyKind.NPS else survey.score,
                customer=survey.customer.display_name if survey.customer else "客户",
                employee=employee_label(survey.employee),
                when=f"{when.month}月{when.day}日" if when else "",
                comment=comment,
            )
        )
    return lines


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


async def satisfaction_report(
    tenant: TenantInfo, period: Period, now: datetime, *, employee: Employee | None = None
) -> str:
    """The team's report, or one employee's when ``employee`` is given."""
    surveys = await surveys_sent(
        tenant.id, period.start, period.end, employee.id if employee else None
    )
    who = f"{employee_label(employee)} " if employee else ""
    dates = period.dates(tenant.timezone, now)
    if not any(s.status is not SurveyStatus.CANCELLED for s in surveys):
        return NOTHING.format(who=who, label=period.label, dates=dates)
    lines = [HEAD.format(who=who, label=period.label, dates=dates)]
    lines += summary_lines(summarize(facts(surveys)))
    if employee is None:
        by_employee = _by_employee(surveys)
        if by_employee:
            lines += [BY_EMPLOYEE, *by_employee]
    lowest = lowest_comments(surveys, tenant.timezone)
    if lowest:
        lines += [LOWEST, *lowest]
    return "\n".join(lines)


async def daily_section(tenant: TenantInfo, start: datetime, end: datetime) -> str | None:
    """The admin 日报's line: the answers that came in between ``start`` and ``end``; None
    when there were none."""
    # In UTC: SQLite compares the stored text, which is UTC.
    answered = await Survey.filter(
        tenant_id=tenant.id,
        status=SurveyStatus.ANSWERED,
        answered_at__gte=start.astimezone(UTC),
        answered_at__lt=end.astimezone(UTC),
    ).exclude(trigger=SurveyTrigger.PROVIDER_NPS)
    if not answered:
        return None
    summary = summarize(facts(answered))
    low = sum(1 for s in answered if s.is_low)
    scores = []
    if summary.csat is not None:
        scores.append(f"CSAT {percent_text(summary.csat)}")
    if summary.nps is not None:
        scores.append(f"NPS {rounded(summary.nps)}")
    return DAILY.format(
        n=len(answered),
        score="，".join(scores),
        low=DAILY_LOW.format(count=low) if low else "",
    )
