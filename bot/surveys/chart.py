"""The weekly satisfaction chart: CSAT by week (the trend) above CSAT by employee (last week's
bars), as a PNG.

Drawn with matplotlib's Agg canvas on a ``Figure`` of its own (no pyplot, no global state), so
``render_chart`` is safe to run in a worker thread: callers use ``asyncio.to_thread``. Labels
are Chinese when a CJK font is found (``chart_font``); without one the chart still renders,
with Latin labels and employees' userids, and the log says what to install.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.surveys.stats import rounded

WIDTH_INCHES, HEIGHT_INCHES, DPI = 9.0, 10.0, 110  # 990 x 1100 pixels: readable on a phone
BLUE, GREY, RED = "#1664ff", "#8f959e", "#f54a45"
LOW_CSAT = 60  # bars below this are drawn red


@dataclass(frozen=True, slots=True)
class WeekPoint:
    label: str  # "11/16", the week's Monday
    csat: float | None
    answers: int


@dataclass(frozen=True, slots=True)
class EmployeeBar:
    name: str
    userid: str
    csat: float
    answers: int


@dataclass(frozen=True, slots=True)
class ChartData:
    title: str
    weeks: Sequence[WeekPoint]
    employees: Sequence[EmployeeBar]  # best first


@dataclass(frozen=True, slots=True)
class _Words:
    trend: str
    bars: str
    no_bars: str
    answers: str  # "{n} 份"

    @classmethod
    def for_font(cls, chinese: bool) -> _Words:
        if chinese:
            return cls("每周 CSAT（4–5 分占比）", "上周各员工 CSAT", "上周没有收到评分", "{n} 份")
        return cls(
            "Weekly CSAT (share of 4-5)", "CSAT by employee, last week", "No answers", "n={n}"
        )


def render_chart(data: ChartData, font: Path | None) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    props = FontProperties(fname=str(font)) if font else FontProperties(family="DejaVu Sans")
    words = _Words.for_font(font is not None)
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    title = data.title if font else "Customer satisfaction"
    figure.suptitle(title, fontproperties=props, fontsize=18)
    trend, bars = figure.subplots(2, 1, height_ratios=[1, 1.1])
    _draw_trend(trend, data.weeks, props, words)
    _draw_bars(bars, data.employees, props, words, chinese=font is not None)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _draw_trend(axes: Any, weeks: Sequence[WeekPoint], props: Any, words: _Words) -> None:
    xs = list(range(len(weeks)))
    ys = [week.csat if week.csat is not None else math.nan for week in weeks]
    axes.plot(xs, ys, color=BLUE, marker="o", linewidth=2.5, markersize=8)
    for x, week in zip(xs, weeks, strict=True):
        if week.csat is not None:
            axes.annotate(
                f"{rounded(week.csat)}%",
                (x, week.csat),
                textcoords="offset points",
                xytext=(0, 10),
                ha="center",
                fontsize=12,
            )
    labels = [f"{w.label}\n{words.answers.format(n=w.answers)}" for w in weeks]
    axes.set_xticks(xs, labels)
    for label in axes.get_xticklabels():
        label.set_fontproperties(props)
        label.set_fontsize(11)
    axes.set_ylim(0, 112)
    axes.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_title(words.trend, fontproperties=props, fontsize=14, loc="left")
    axes.grid(axis="y", color="#e5e6eb")
    axes.spines[["top", "right"]].set_visible(False)


def _draw_bars(
    axes: Any, employees: Sequence[EmployeeBar], props: Any, words: _Words, *, chinese: bool
) -> None:
    axes.set_title(words.bars, fontproperties=props, fontsize=14, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, 118)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    if not employees:
        axes.set_yticks([])
        axes.text(50, 0.5, words.no_bars, ha="center", va="center", fontproperties=props)
        axes.set_ylim(0, 1)
        return
    shown = list(reversed(employees))  # barh draws bottom-up; the best goes on top
    ys = list(range(len(shown)))
    colours = [RED if e.csat < LOW_CSAT else BLUE for e in shown]
    axes.barh(ys, [e.csat for e in shown], color=colours, height=0.6)
    names = [(e.name or e.userid) if chinese else e.userid for e in shown]
    axes.set_yticks(ys, names)
    for label in axes.get_yticklabels():
        label.set_fontproperties(props)
        label.set_fontsize(12)
    for y, employee in zip(ys, shown, strict=True):
        text = f"{rounded(employee.csat)}%  {words.answers.format(n=employee.answers)}"
        axes.text(employee.csat + 1.5, y, text, va="center", fontproperties=props, fontsize=11)
    axes.set_axisbelow(True)
    axes.grid(axis="x", color="#e5e6eb")
