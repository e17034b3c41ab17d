"""Call figures in words: one line per employee, the busiest first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.calls.stats import Figures, Period
from bot.calls.talk import length_words

LINE = (
    "{who}：拨打/接听 {calls} 通，接通 {connected} 通（{rate}%），通话 {talk}，"
    "有效通话 {effective} 通（≥{threshold}秒），平均 {average}{span}"
)
NOBODY = "未指定员工"


def period_words(period: Period) -> str:
    last = period.end.toordinal() - 1
    if last == period.start.toordinal():
        return f"{period.label}（{period.start.month}月{period.start.day}日）"
    end = period.start.fromordinal(last)
    return (
        f"{period.label}（{period.start.month}月{period.start.day}日 至 {end.month}月{end.day}日）"
    )


def figure_line(who: str, found: Figures, threshold: int, tz: ZoneInfo) -> str:
    span = ""
    if found.first_at is not None and found.last_at is not None:
        first, last = found.first_at.astimezone(tz), found.last_at.astimezone(tz)
        span = f"，首通 {first:%H:%M} 末通 {last:%H:%M}"
    return LINE.format(
        who=who,
        calls=found.calls,
        connected=found.connected,
        rate=found.rate,
        talk=length_words(found.talk_secs),
        effective=found.effective,
        threshold=threshold,
        average=length_words(found.average_secs),
        span=span,
    )
