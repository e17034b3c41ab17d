"""排期: each installer's booked jobs on one tenant-local day, for the dispatcher to read."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from bot.installation.asking import MAX_WINDOW
from bot.installation.wording import NOBODY
from models.crm.customers import Customer
from models.installation import BOOKED_STATES, InstallJob
from models.tenants import Employee

NONE_PLANNED = "{day}没有安排安装。"
PLANNED = "{day}的安装排期："


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The tenant-local day in UTC (SQLite compares the stored text)."""
    start = datetime.combine(day, time(), tzinfo=tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


async def day_plan_text(tenant_id: int, day: date, tz: tzinfo) -> str:
    """Read as plain values, not models: a busy day has hundreds of jobs, and building a model
    (every datetime column parsed) is most of the cost."""
    start, end = day_bounds(day, tz)
    jobs = await (
        InstallJob.filter(
            tenant_id=tenant_id,
            state__in=BOOKED_STATES,
            # The index walks the day's starts only: no window is longer than MAX_WINDOW.
            window_start__gte=start - MAX_WINDOW,
            window_start__lt=end,
            window_end__gt=start,
        )
        .order_by("window_start", "id")
        .values("number", "installer_id", "customer_id", "address", "window_start", "window_end")
    )
    words = f"{day.month}月{day.day}日"
    if not jobs:
        return NONE_PLANNED.format(day=words)
    return await _plan_text(jobs, PLANNED.format(day=words), tz)


def _hours(job: dict[str, Any], tz: tzinfo) -> str:
    return f"{job['window_start'].astimezone(tz):%H:%M}-{job['window_end'].astimezone(tz):%H:%M}"


async def _plan_text(jobs: list[dict[str, Any]], heading: str, tz: tzinfo) -> str:
    by_installer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for job in jobs:
        by_installer[job["installer_id"] or 0].append(job)
    names = dict(await Employee.filter(id__in=list(by_installer)).values_list("id", "name"))
    userids = dict(await Employee.filter(id__in=list(by_installer)).values_list("id", "userid"))
    ids = {j["customer_id"] for j in jobs}
    customers = dict(await Customer.filter(id__in=ids).values_list("id", "name"))
    lines = [heading]
    who = {i: names.get(i) or userids.get(i) or NOBODY for i in by_installer}
    for installer_id, own in sorted(by_installer.items(), key=lambda kv: who[kv[0]]):
        lines.append(f"{who[installer_id]}（{len(own)} 单）：")
        lines += [
            f"  {_hours(j, tz)} {j['number']} {customers[j['customer_id']] or '未命名客户'}"
            f"{' ' + j['address'] if j['address'] else ''}"
            for j in own
        ]
    return "\n".join(lines)
