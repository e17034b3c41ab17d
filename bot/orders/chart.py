"""The 销售统计 chart: sales per salesperson and per product for a period, as a PNG.

Drawn like the weekly satisfaction chart: matplotlib's Agg canvas on a ``Figure`` of its own
(no pyplot, no global state), so it is safe in a worker thread (callers use
``asyncio.to_thread``). Without a CJK font the labels fall back to Latin and userids.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.subscription.money import format_fen

WIDTH_INCHES, HEIGHT_INCHES, DPI = 9.0, 10.0, 110  # 990 x 1100 pixels: readable on a phone
BLUE, GREEN = "#1664ff", "#00b42a"
SHOWN = 10  # bars per chart: the ten biggest


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # a name (Chinese font) …
    latin: str  # … or what to show without one (a userid, a product's rank)
    fen: int


@dataclass(frozen=True, slots=True)
class SalesChart:
    title: str
    people: Sequence[Bar]  # biggest first
    products: Sequence[Bar]


def render_sales_chart(data: SalesChart, font: Path | None) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    props = FontProperties(fname=str(font)) if font else FontProperties(family="DejaVu Sans")
    chinese = font is not None
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(data.title if chinese else "Sales", fontproperties=props, fontsize=18)
    people, products = figure.subplots(2, 1)
    _bars(people, data.people, "按人" if chinese else "By salesperson", BLUE, props, chinese)
    _bars(products, data.products, "按产品" if chinese else "By product", GREEN, props, chinese)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _bars(
    axes: Any, bars: Sequence[Bar], title: str, colour: str, props: Any, chinese: bool
) -> None:
    axes.set_title(title, fontproperties=props, fontsize=14, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    shown = list(reversed(bars[:SHOWN]))  # barh draws bottom-up; the biggest goes on top
    if not shown:
        axes.set_yticks([])
        axes.set_xticks([])
        return
    ys = list(range(len(shown)))
    values = [bar.fen for bar in shown]  # drawn in fen; the labels print them as 元
    axes.barh(ys, values, color=colour, height=0.6)
    axes.set_yticks(ys, [bar.label if chinese else bar.latin for bar in shown])
    for label in axes.get_yticklabels():
        label.set_fontproperties(props)
        label.set_fontsize(12)
    top = max(values) or 1
    axes.set_xlim(0, top * 13 // 10)
    axes.set_xticks([])  # the amounts are printed at the bars, exact to the fen
    for y, bar in zip(ys, shown, strict=True):
        axes.text(bar.fen + top // 100, y, format_fen(bar.fen), va="center", fontsize=11)
