"""日报: today for the team, built from sections.

Each capability contributes a section: an ``async (tenant, start, end) -> str | None`` that
describes its part of the day (``None`` leaves it out). Adding a capability's part to the
report is one line in ``SECTIONS``; a section whose capability the tenant does not use
returns None and the report simply goes without it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, time

from bot.reports import crm_sections
from bot.surveys import report as survey_report
from bot.tenants import TenantInfo
from bot.tickets import daily as tickets_daily

Section = Callable[[TenantInfo, datetime, datetime], Awaitable[str | None]]

# In the order they appear in the report.
SECTIONS: tuple[Section, ...] = (
    crm_sections.new_customers,
    crm_sections.followups_done,
    crm_sections.followups_overdue,
    tickets_daily.daily_section,
    survey_report.daily_section,
)

HEAD = "【日报】{day}（截至 {time}）"
EMPTY = "今天还没有可以汇报的内容。"


def today_so_far(tenant: TenantInfo, now: datetime) -> tuple[datetime, datetime]:
    """From local midnight to ``now``: the day the report is about, in UTC (SQLite compares
    stored times as text, so every bound must carry the same offset)."""
    local = now.astimezone(tenant.timezone)
    midnight = datetime.combine(local.date(), time(0), tzinfo=tenant.timezone)
    return midnight.astimezone(UTC), now.astimezone(UTC)


async def daily_report(
    tenant: TenantInfo, now: datetime, sections: Sequence[Section] = SECTIONS
) -> str:
    start, end = today_so_far(tenant, now)
    local = end.astimezone(tenant.timezone)
    parts = [part for section in sections if (part := await section(tenant, start, end))]
    head = HEAD.format(day=local.strftime("%m月%d日"), time=local.strftime("%H:%M"))
    return "\n".join([head, *(parts or [EMPTY])])
