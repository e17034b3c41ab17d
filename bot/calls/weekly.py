"""The admins' weekly call chart: every Monday from 09:00 tenant time, last week's calls in
one line of totals and a chart of each employee's connected calls and effective talk time, to
wherever the tenant's admin notices go.

Once per tenant per week, as the satisfaction weekly report (``bot.surveys.weekly``): the
outbox key carries the week's Monday, and a week already queued is skipped before anything is
drawn or uploaded. A bot down on Monday morning sends it at its first chance that week; a week
without calls sends nothing. Read from the daily table (``call_day``), so it costs the same
whatever the number of calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot import charting
from bot.calls.days import figures_from_days
from bot.calls.stats import Figures, Period
from bot.calls.talk import length_words
from bot.notices import notice_replies, queue_once, with_chart
from bot.surveys.chart_font import find_cjk_font
from bot.surveys.weekly import week_start
from bot.tenants import TenantInfo
from bot.wecom.client import WeComClient
from models.outbox import OutboxMessage
from models.tenants import Employee

REPORT_HOUR = 9
CHART_NAME = "calls-weekly.png"
SHOWN = 15  # employees on the chart, the busiest first
NOBODY = "未分配坐席"
HEAD = (
    "【通话周报】上周（{dates}）：拨打/接听 {calls} 通，接通 {connected} 通，"
    "通话 {talk}，有效通话 {effective} 通。各人对比见下图；明细发送「通话统计 上周」。"
)
TITLE = "{tenant} 通话周报（{dates}）"


@dataclass(frozen=True, slots=True)
class Bar:
    name: str
    connected: int
    effective_minutes: float


def _dates(start: datetime) -> str:
    last = start + timedelta(days=6)
    return f"{start.month}月{start.day}日—{last.month}月{last.day}日"


async def _bars(found: dict[int | None, Figures]) -> list[Bar]:
    ids = [key for key in found if key is not None]
    names = {e.id: e.name or e.userid for e in await Employee.filter(id__in=ids)}
    bars = [
        Bar(names.get(key, NOBODY) if key else NOBODY, f.connected, f.effective_secs / 60)
        for key, f in found.items()
    ]
    bars.sort(key=lambda b: (-b.connected, -b.effective_minutes, b.name))
    return bars[:SHOWN]


def draw(title: str, bars: Sequence[Bar], font: Path | None) -> bytes:
    """Two panels, one row per employee (the busiest on top); blocking, for a thread."""
    drawn, props = charting.figure(font, 1.6 + 0.34 * len(bars) * 2)
    connected, effective = drawn.subplots(2, 1)
    names = [b.name if font else f"#{n + 1}" for n, b in enumerate(bars)]
    rows = list(range(len(bars)))[::-1]
    connected.barh(rows, [b.connected for b in bars], color=charting.BLUE, height=0.6)
    effective.barh(rows, [b.effective_minutes for b in bars], color=charting.GREEN, height=0.6)
    for axes, label in ((connected, "接通通话（通）"), (effective, "有效通话（分钟）")):
        axes.set_yticks(rows, names)
        for tick in axes.get_yticklabels():
            tick.set_fontproperties(props)
        charting.style(axes, props, label if font else "", grid="x")
    drawn.suptitle(title if font else "Calls last week", fontproperties=props, fontsize=15)
    return charting.png(drawn)


def _head(found: dict[int | None, Figures], dates: str) -> str:
    return HEAD.format(
        dates=dates,
        calls=sum(f.calls for f in found.values()),
        connected=sum(f.connected for f in found.values()),
        talk=length_words(sum(f.talk_secs for f in found.values())),
        effective=sum(f.effective for f in found.values()),
    )


async def weekly_call_report(
    tenant: TenantInfo, client: WeComClient, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """Last week's chart for one tenant as outbox rows: none before Monday 09:00, when this
    week's is queued already, or for a week without calls."""
    this_week = week_start(now, tenant)
    key = f"notice:call-weekly:{this_week.date().isoformat()}"
    if now < this_week + timedelta(hours=REPORT_HOUR):
        return []
    if await OutboxMessage.exists(tenant_id=tenant.id, idempotency_key__startswith=f"{key}:"):
        return []
    last_week = this_week - timedelta(weeks=1)
    found = await figures_from_days(tenant.id, Period("上周", last_week.date(), this_week.date()))
    if not any(f.calls for f in found.values()):
        return []
    dates = _dates(last_week)
    title = TITLE.format(tenant=tenant.name, dates=dates)
    png = await asyncio.to_thread(draw, title, await _bars(found), find_cjk_font())
    texts = await notice_replies(tenant, _head(found, dates))
    replies = await with_chart(tenant, client, texts, png, CHART_NAME) if texts else None
    if not replies:
        return []
    return await queue_once(tenant, replies, key, now, lease)
