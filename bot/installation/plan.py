"""排期: each installer's booked jobs on one tenant-local day, for the dispatcher to read."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from tortoise import connections

from bot.installation.asking import MAX_WINDOW
from bot.installation.wording import NOBODY
from models.installation import BOOKED_STATES

NONE_PLANNED = "{day}没有安排安装。"
PLANNED = "{day}的安装排期："


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The tenant-local day in UTC (SQLite compares the stored text)."""
    start = datetime.combine(day, time(), tzinfo=tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


# One read for the whole answer: the jobs with their installer's and customer's names joined,
# raw (a model or tortoise's value conversion parses every datetime with iso8601, which was
# most of the cost at 600 rows). SQLite gives the stored UTC text, PostgreSQL datetimes.
_DAY_SQL = """
SELECT j."number", j."installer_id", j."address", j."window_start", j."window_end",
       e."name" AS "installer_name", e."userid" AS "installer_userid",
       c."name" AS "customer_name"
FROM "install_job" j
JOIN "crm_customer" c ON c."id" = j."customer_id"
LEFT JOIN "employee" e ON e."id" = j."installer_id"
WHERE j."tenant_id" = {0} AND j."state" IN ({1}, {2})
  AND j."window_start" >= {3} AND j."window_start" < {4} AND j."window_end" > {5}
ORDER BY j."window_start", j."id"
"""


def _marks(dialect: str, count: int) -> list[str]:
    if dialect == "postgres":
        return [f"${n}" for n in range(1, count + 1)]
    return ["?"] * count


async def day_plan_text(tenant_id: int, day: date, tz: tzinfo) -> str:
    start, end = day_bounds(day, tz)
    connection = connections.get("default")
    sql = _DAY_SQL.format(*_marks(connection.capabilities.dialect, 6))
    # The index walks the day's starts only: no window is longer than MAX_WINDOW.
    params = [tenant_id, *(s.value for s in BOOKED_STATES), start - MAX_WINDOW, end, start]
    jobs = await connection.execute_query_dict(sql, params)
    words = f"{day.month}月{day.day}日"
    if not jobs:
        return NONE_PLANNED.format(day=words)
    return _plan_text(jobs, PLANNED.format(day=words), tz)


def _plan_text(jobs: list[dict[str, Any]], heading: str, tz: tzinfo) -> str:
    by_installer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    who: dict[int, str] = {}
    for job in jobs:
        installer = job["installer_id"] or 0
        by_installer[installer].append(job)
        who[installer] = job["installer_name"] or job["installer_userid"] or NOBODY
    clock: dict[object, str] = {}  # a day has few distinct times: each is formatted once

    def at(value: object) -> str:
        if value not in clock:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            clock[value] = f"{moment.astimezone(tz):%H:%M}"
        return clock[value]

    lines = [heading]
    for installer_id, own in sorted(by_installer.items(), key=lambda kv: who[kv[0]]):
        lines.append(f"{who[installer_id]}（{len(own)} 单）：")
        lines += [
            f"  {at(j['window_start'])}-{at(j['window_end'])} {j['number']} "
            f"{j['customer_name'] or '未命名客户'}{' ' + j['address'] if j['address'] else ''}"
            for j in own
        ]
    return "\n".join(lines)
