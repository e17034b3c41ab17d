"""安装统计 (admins): per installer over a period, jobs booked, completed and confirmed, the
first-time completion and on-time rates, the time on site and the average survey score
(``bot.installation.stats``)."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.installation import phrasings
from bot.installation.access import local_now
from bot.installation.stats import duration_words, install_stats, rate_words, score_words
from bot.surveys.periods import find_period, this_month
from models.tenants import Role

router = Router(__name__, title="安装", module="installation")

HEADER = "安装统计（{label}：{dates}）"
TOTAL = "约了 {booked} 单，完工 {completed} 单，客户确认 {confirmed} 单"
MORE = "一次完工 {first_time}；准时到场 {on_time}；平均用时 {took}；客户评分 {score}"
BY_INSTALLER = "按师傅："
ROW = (
    "· {name}：约 {booked}，完工 {completed}，确认 {confirmed}，一次完工 {first_time}，"
    "准时 {on_time}，用时 {took}，评分 {score}"
)
NOTHING = "{label}（{dates}）没有安装单。"
RULE = (
    "（一次完工：完工后客户没有要求再次上门；准时：签到不晚于约定开始后 15 分钟；"
    "用时：签到到完工；评分：客户确认后的满意度调查）"
)


@router.command(
    "安装统计",
    roles=[Role.ADMIN],
    slots=("period",),
    examples=phrasings.STATS_EXAMPLES,
    phrasings=phrasings.STATS,
)
async def show_install_stats(ctx: Context) -> str:
    """（管理员）安装统计 本月：按师傅的约单、完工、客户确认、一次完工率、准时率、平均用时和评分"""
    now = local_now(ctx)
    period, _ = find_period(ctx.args.strip(), now) if ctx.args.strip() else (None, "")
    period = period or this_month(now)
    dates = period.dates(ctx.tenant.timezone, ctx.clock.now())
    stats = await install_stats(ctx.tenant.id, period.start, period.end)
    if not stats.total.booked:
        return NOTHING.format(label=period.label, dates=dates)
    total = stats.total
    lines = [
        HEADER.format(label=period.label, dates=dates),
        TOTAL.format(booked=total.booked, completed=total.completed, confirmed=total.confirmed),
        MORE.format(
            first_time=rate_words(total.first_time, total.first_visits_done),
            on_time=rate_words(total.on_time, total.checked_in),
            took=duration_words(total.minutes_on_site),
            score=score_words(total.scores),
        ),
        BY_INSTALLER,
    ]
    lines += [
        ROW.format(
            name=name,
            booked=t.booked,
            completed=t.completed,
            confirmed=t.confirmed,
            first_time=rate_words(t.first_time, t.first_visits_done),
            on_time=rate_words(t.on_time, t.checked_in),
            took=duration_words(t.minutes_on_site),
            score=score_words(t.scores),
        )
        for name, t in stats.by_installer
    ]
    lines.append(RULE)
    return "\n".join(lines)
