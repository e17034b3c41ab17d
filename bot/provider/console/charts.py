"""The console's two charts as PNG bytes: MRR by month, and a client's commands and active
members by day. Drawn as ``bot.surveys.chart`` draws (a ``Figure`` of its own, no pyplot), so
safe in a worker thread; Chinese labels when a CJK font is found, Latin ones otherwise."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.provider.console.data import MonthPoint, UsageDay

BLUE, GREEN = "#1664ff", "#14a06f"
DPI = 100


def _figure(font: Path | None, height: float) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    props = FontProperties(fname=str(font)) if font else FontProperties(family="DejaVu Sans")
    figure = Figure(figsize=(8.0, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, props


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _style(axes: Any, props: Any, title: str) -> None:
    axes.set_title(title, fontproperties=props, fontsize=13, loc="left")
    axes.grid(axis="y", color="#e5e6eb")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)


def mrr_chart(points: Sequence[MonthPoint], font: Path | None) -> bytes:
    figure, props = _figure(font, 3.2)
    axes = figure.subplots()
    xs = list(range(len(points)))
    yuan = [p.mrr_fen / 100 for p in points]
    axes.plot(xs, yuan, color=BLUE, marker="o", linewidth=2.2)
    axes.set_xticks(xs, [p.label[2:] for p in points])
    axes.set_ylim(bottom=0, top=max([*yuan, 1.0]) * 1.15)
    _style(axes, props, "MRR（元）" if font else "MRR (CNY)")
    return _png(figure)


def usage_chart(days: Sequence[UsageDay], font: Path | None) -> bytes:
    figure, props = _figure(font, 4.4)
    commands, members = figure.subplots(2, 1, sharex=True)
    xs = list(range(len(days)))
    commands.bar(xs, [d.commands for d in days], color=BLUE, width=0.7)
    _style(commands, props, "每日指令数" if font else "Commands per day")
    members.plot(xs, [d.active_members for d in days], color=GREEN, marker=".", linewidth=2)
    members.set_ylim(bottom=0, top=max([*(d.active_members for d in days), 1]) * 1.2)
    _style(members, props, "每日活跃成员" if font else "Active members per day")
    step = max(1, len(days) // 8)
    ticks = xs[::step]
    members.set_xticks(ticks, [days[x].day.strftime("%m-%d") for x in ticks])
    return _png(figure)
