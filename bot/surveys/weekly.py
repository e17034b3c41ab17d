"""The weekly satisfaction report: every Monday from 09:00 tenant time, last week's numbers
in a message and a chart (8 weeks of CSAT, last week per employee) as an image, to wherever
the tenant's admin notices go.

Once per tenant per week: the outbox key carries the week's Monday, and a week whose report
is already queued is skipped before anything is drawn or uploaded. A bot that was down on
Monday morning sends it at its first chance later that week. Tenants that sent no survey in
the eight weeks get nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta

from bot.notices import notice_replies, queue_once, with_chart
from bot.surveys.chart import ChartData, EmployeeBar, WeekPoint, render_chart
from bot.surveys.chart_font import find_cjk_font
from bot.surveys.report import Period, facts, lowest_comments, summary_lines
from bot.surveys.stats import csat_percent, summarize
from bot.tenants import TenantInfo
from bot.wecom.client import WeComClient
from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyKind, SurveyStatus, SurveyTrigger

logger = logging.getLogger(__name__)

REPORT_HOUR = 9
WEEKS = 8
CHART_NAME = "satisfaction-weekly.png"

HEAD = "【满意度周报】上周（{dates}）"
TITLE = "{tenant} 满意度周报（{dates}）"
CHANGE = "比前一周 {sign}{points} 个百分点"
NOTHING_LAST_WEEK = "上周没有发出满意度调查。"
FOOT = "趋势和各员工的对比见下图；明细发送「满意度 上周」。"


def week_start(now: datetime, tenant: TenantInfo) -> datetime:
    """This week's Monday 00:00, tenant time."""
    local = now.astimezone(tenant.timezone).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=tenant.timezone)


async def _eight_weeks(tenant: TenantInfo, this_week: datetime) -> list[Survey]:
    first = this_week - timedelta(weeks=WEEKS)
    return (
        await Survey.filter(
            tenant_id=tenant.id,
            sent_at__gte=first.astimezone(UTC),
            sent_at__lt=this_week.astimezone(UTC),
        )
        .exclude(status=SurveyStatus.CANCELLED)
        .exclude(trigger=SurveyTrigger.PROVIDER_NPS)
        .prefetch_related("customer", "employee")
    )


def _week_of(survey: Survey, this_week: datetime, tenant: TenantInfo) -> int:
    """0 for the oldest of the eight weeks, 7 for last week."""
    local = survey.sent_at.astimezone(tenant.timezone)
    days_before = (this_week.date() - local.date()).days  # 1 to 7 for last week
    return WEEKS - (days_before + 6) // 7


def _csat_scores(surveys: list[Survey]) -> list[int]:
    return [
        s.score
        for s in surveys
        if s.kind is SurveyKind.CSAT and s.status is SurveyStatus.ANSWERED and s.score is not None
    ]


def _employee_bars(last_week: list[Survey]) -> list[EmployeeBar]:
    groups: dict[int, list[Survey]] = {}
    for survey in last_week:
        if survey.employee_id is not None:
            groups.setdefault(survey.employee_id, []).append(survey)
    bars = []
    for members in groups.values():
        scores = _csat_scores(members)
        csat = csat_percent(scores)
        employee = members[0].employee
        if csat is not None and employee is not None:
            bars.append(EmployeeBar(employee.name, employee.userid, csat, len(scores)))
    return sorted(bars, key=lambda b: (-b.csat, -b.answers, b.name or b.userid))


def _change(weeks: list[list[Survey]]) -> str | None:
    last, before = csat_percent(_csat_scores(weeks[-1])), csat_percent(_csat_scores(weeks[-2]))
    if last is None or before is None:
        return None
    points = round(last - before)
    return CHANGE.format(sign="+" if points >= 0 else "−", points=abs(points))


def _text(weeks: list[list[Survey]], tenant: TenantInfo, dates: str) -> str:
    last = weeks[-1]
    lines = [HEAD.format(dates=dates)]
    if last:
        lines += summary_lines(summarize(facts(last)))
        change = _change(weeks)
        if change:
            lines.append(change)
        lowest = lowest_comments(last, tenant.timezone)
        if lowest:
            lines += ["最低分留言：", *lowest]
    else:
        lines.append(NOTHING_LAST_WEEK)
    lines.append(FOOT)
    return "\n".join(lines)


def _chart_data(
    weeks: list[list[Survey]], tenant: TenantInfo, this_week: datetime, dates: str
) -> ChartData:
    points = []
    for index, surveys in enumerate(weeks):
        monday = this_week - timedelta(weeks=WEEKS - index)
        scores = _csat_scores(surveys)
        points.append(WeekPoint(monday.strftime("%m/%d"), csat_percent(scores), len(scores)))
    title = TITLE.format(tenant=tenant.name, dates=dates)
    return ChartData(title, points, _employee_bars(weeks[-1]))


def draw(data: ChartData) -> bytes:
    """Find the font and draw; blocking, for a worker thread."""
    return render_chart(data, find_cjk_font())


async def weekly_report(
    tenant: TenantInfo, client: WeComClient, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """Last week's report for one tenant as outbox rows: none before Monday 09:00, when this
    week's is queued already, or when there is nothing to report."""
    this_week = week_start(now, tenant)
    key = f"notice:survey-weekly:{this_week.date().isoformat()}"
    if now < this_week + timedelta(hours=REPORT_HOUR):
        return []
    if await OutboxMessage.exists(tenant_id=tenant.id, idempotency_key__startswith=f"{key}:"):
        return []
    surveys = await _eight_weeks(tenant, this_week)
    if not surveys:
        return []
    weeks: list[list[Survey]] = [[] for _ in range(WEEKS)]
    for survey in surveys:
        weeks[_week_of(survey, this_week, tenant)].append(survey)
    period = Period("上周", this_week - timedelta(weeks=1), this_week)
    dates = period.dates(tenant.timezone, now)
    png = await asyncio.to_thread(draw, _chart_data(weeks, tenant, this_week, dates))
    texts = await notice_replies(tenant, _text(weeks, tenant, dates))
    if not texts:
        return []
    replies = await with_chart(tenant, client, texts, png, CHART_NAME)
    if replies is None:
        return []
    return await queue_once(tenant, replies, key, now, lease)
