"""The console's two charts as PNG bytes: MRR by month, and a client's commands and active
members by day (``bot.charting``: Chinese labels when a CJK font is found, Latin ones
otherwise)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot import charting
from bot.charting import BLUE, GREEN, png, style
from bot.provider.console.data import MonthPoint, UsageDay


def mrr_chart(points: Sequence[MonthPoint], font: Path | None) -> bytes:
    drawn, props = charting.figure(font, 3.2)
    axes = drawn.subplots()
    xs = list(range(len(points)))
    yuan = [p.mrr_fen / 100 for p in points]
    axes.plot(xs, yuan, color=BLUE, marker="o", linewidth=2.2)
    axes.set_xticks(xs, [p.label[2:] for p in points])
    axes.set_ylim(bottom=0, top=max([*yuan, 1.0]) * 1.15)
    style(axes, props, "MRR（元）" if font else "MRR (CNY)")
    return png(drawn)


def usage_chart(days: Sequence[UsageDay], font: Path | None) -> bytes:
    drawn, props = charting.figure(font, 4.4)
    commands, members = drawn.subplots(2, 1, sharex=True)
    xs = list(range(len(days)))
    commands.bar(xs, [d.commands for d in days], color=BLUE, width=0.7)
    style(commands, props, "每日指令数" if font else "Commands per day")
    members.plot(xs, [d.active_members for d in days], color=GREEN, marker=".", linewidth=2)
    members.set_ylim(bottom=0, top=max([*(d.active_members for d in days), 1]) * 1.2)
    style(members, props, "每日活跃成员" if font else "Active members per day")
    step = max(1, len(days) // 8)
    ticks = xs[::step]
    members.set_xticks(ticks, [days[x].day.strftime("%m-%d") for x in ticks])
    return png(drawn)
