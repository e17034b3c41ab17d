"""Finding a font with Chinese glyphs for the charts.

matplotlib's bundled DejaVu Sans has no CJK glyphs, so charts look for a system font by file
name (Debian's ``fonts-wqy-microhei`` or ``fonts-noto-cjk``, or the usual Windows and macOS
ones). The directories are scanned afresh, not through matplotlib's font cache, which does
not notice fonts installed after it was built.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

# Preferred first: Chinese (not Japanese) glyph shapes in the collection's first face.
CJK_FONT_FILES = (
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "notosanscjksc-regular.otf",
    "notosanssc-regular.otf",
    "sourcehansanssc-regular.otf",
    "notosanscjk-regular.ttc",
    "msyh.ttc",
    "simhei.ttf",
    "pingfang.ttc",
)


@functools.cache
def find_cjk_font() -> Path | None:
    """The best CJK font file on this machine, or None (charts then fall back to Latin
    labels)."""
    from matplotlib import font_manager

    found = {Path(path).name.lower(): Path(path) for path in font_manager.findSystemFonts()}
    for name in CJK_FONT_FILES:
        if name in found:
            return found[name]
    logger.warning(
        "no CJK font found: charts will use Latin labels "
        "(install fonts-wqy-microhei or fonts-noto-cjk to fix)"
    )
    return None
