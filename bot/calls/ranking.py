"""通话排行 and the admins' daily call report, both read from the daily table.

The ranking orders employees by connected calls (ties: effective talk time, then calls) or,
asked with 有效/时长, by effective talk time. The daily report goes once a day per tenant, at
the time its admins set (``通话设置 日报 18:00``, the default; or off) in tenant time (or at
the first tick after), wherever the tenant's admin
notices go: the outbox key carries the day, and the outbox's unique key makes a second
replica's enqueue a no-op, so it goes once across replicas.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.calls.days import figures_from_days
from bot.calls.report import NOBODY, period_words
from bot.calls.stats import Figures, Period
from bot.calls.store import settings_of
from bot.calls.talk import length_words
from bot.notices import notice_replies, queue_once
from bot.tenants import TenantInfo
from models.outbox import OutboxMessage
from models.tenants import Employee

BY_CONNECTED, BY_EFFECTIVE = "connected", "effective"
SHOWN = 10
RANK_HEAD = "通话排行 {period}，按{by}："
RANK_LINE = (
    "{place}. {who}：接通 {connected} 通，有效通话 {effective} 通 {effective_talk}，共 {calls} 通"
)
BY_WORDS = {BY_CONNECTED: "接通数", BY_EFFECTIVE: "有效通话时长"}
REPORT_HEAD = "【通话日报】{day}"
REPORT_TOTAL = (
    "全员：拨打/接听 {calls} 通，接通 {connected} 通（{rate}%），通话 {talk}，"
    "有效通话 {effective} 通（≥{threshold}秒）"
)
REPORT_FOOT = "明细发送「通话统计 今天」，排行发送「通话排行 本周」。"


def ranked(found: dict[int | None, Figures], by: str) -> list[tuple[int | None, Figures]]:
    def key(item: tuple[int | None, Figures]) -> tuple[int, ...]:
        who, f = item
        if by == BY_EFFECTIVE:
            return (-f.effective_secs, -f.connected, -f.calls, who or 0)
        return (-f.connected, -f.effective_secs, -f.calls, who or 0)

    return sorted(found.items(), key=key)


async def _names(found: dict[int | None, Figures]) -> dict[int, str]:
    ids = [i for i in found if i is not None]
    return dict(await Employee.filter(id__in=ids).values_list("id", "name"))


async def ranking_lines(tenant_id: int, period: Period, by: str) -> list[str]:
    found = await figures_from_days(tenant_id, period)
    names = await _names(found)
    lines = [RANK_HEAD.format(period=period_words(period), by=BY_WORDS[by])]
    for place, (who, f) in enumerate(ranked(found, by)[:SHOWN], start=1):
        lines.append(
            RANK_LINE.format(
                place=place,
                who=names.get(who, NOBODY) if who is not None else NOBODY,
                connected=f.connected,
                effective=f.effective,
                effective_talk=length_words(f.effective_secs),
                calls=f.calls,
            )
        )
    return lines if found else []


def _total(found: dict[int | None, Figures]) -> Figures:
    total = Figures()
    for f in found.values():
        total.calls += f.calls
        total.connected += f.connected
        total.talk_secs += f.talk_secs
        total.effective += f.effective
        total.effective_secs += f.effective_secs
    return total


async def daily_call_report(
    tenant: TenantInfo, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """Today's call report as outbox rows: none before the report time, when the admins
    turned it off, when today's is queued already, or on a day without calls."""
    local = now.astimezone(tenant.timezone)
    today = local.date()
    settings = await settings_of(tenant.id)
    at = time(settings.report_minute // 60, settings.report_minute % 60)
    if not settings.report_on or local < datetime.combine(today, at, tenant.timezone):
        return []
    key = f"notice:call-daily:{today.isoformat()}"
    if await OutboxMessage.exists(tenant_id=tenant.id, idempotency_key__startswith=f"{key}:"):
        return []
    period = Period("今天", today, today + timedelta(days=1))
    found = await figures_from_days(tenant.id, period)
    if not found:
        return []
    threshold = settings.effective_secs
    total = _total(found)
    lines = [
        REPORT_HEAD.format(day=f"{today.month}月{today.day}日"),
        REPORT_TOTAL.format(
            calls=total.calls,
            connected=total.connected,
            rate=total.rate,
            talk=length_words(total.talk_secs),
            effective=total.effective,
            threshold=threshold,
        ),
        *(await ranking_lines(tenant.id, period, BY_CONNECTED))[1:],
        REPORT_FOOT,
    ]
    texts = await notice_replies(tenant, "\n".join(lines))
    if not texts:
        return []
    return await queue_once(tenant, texts, key, now, lease)
