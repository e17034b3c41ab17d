"""What the bot's PNG charts share: a ``Figure`` of its own (no pyplot, so safe in a worker
thread), Chinese labels when a CJK font is found, and one plain style."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

BLUE, GREEN = "#1664ff", "#14a06f"
DPI = 100


def figure(font: Path | None, height: float, width: float = 8.0) -> tuple[Any, Any]:
    """A figure and the font properties for its labels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    props = FontProperties(fname=str(font)) if font else FontProperties(family="DejaVu Sans")
    drawn = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(drawn)
    return drawn, props


def png(drawn: Any) -> bytes:
    buffer = io.BytesIO()
    drawn.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def style(axes: Any, props: Any, title: str, grid: str = "y") -> None:
    axes.set_title(title, fontproperties=props, fontsize=13, loc="left")
    axes.grid(axis=grid, color="#e5e6eb")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
