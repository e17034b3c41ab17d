"""The lists people ask for: 我的待办, 今天跟进, 团队待办, 逾期."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.crm.book import employee_label
from bot.followups.wording import line
from models.followups import Followup, FollowupStatus

LISTED = 20
MORE = "……共 {count} 条，先列出最早的 {shown} 条。"


def end_of_today(now: datetime, tz: ZoneInfo) -> datetime:
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz)


async def open_followups(
    tenant_id: int, *, owner_id: int | None = None, before: datetime | None = None
) -> tuple[list[Followup], int]:
    """Open follow-ups, earliest first (at most LISTED), and how many there are."""
    query = Followup.filter(tenant_id=tenant_id, status=FollowupStatus.OPEN)
    if owner_id is not None:
        query = query.filter(owner_id=owner_id)
    if before is not None:
        query = query.filter(due_at__lt=before)
    total = await query.count()
    rows = await query.order_by("due_at", "id").limit(LISTED).prefetch_related("customer", "owner")
    return rows, total


def render(
    header: str, rows: list[Followup], total: int, tz: ZoneInfo, now: datetime, team: bool
) -> str:
    lines = [header.format(count=total)]
    for row in rows:
        customer = row.customer.display_name if row.customer else ""
        text = line(row, tz, now, customer)
        lines.append(f"{text} — {employee_label(row.owner)}" if team else text)
    if total > len(rows):
        lines.append(MORE.format(count=total, shown=len(rows)))
    return "\n".join(lines)
