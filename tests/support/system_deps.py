"""Tests that need a program from the system rather than from the virtualenv.

A test marked ``browser`` drives a real headless Chromium; one marked ``cjk_font`` checks that
charts draw Chinese glyphs; one marked ``redis`` needs a Redis server. Where one is missing (a
laptop), those tests are deselected with a note, so the default test command still passes. CI
has all three (``.ci/run``) and sets ``SCRM_TEST_REQUIRE_SYSTEM=1``: then a missing one is an
error, never a quiet deselection.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from bot.surveys.chart_font import find_cjk_font

REQUIRE = os.environ.get("SCRM_TEST_REQUIRE_SYSTEM", "") == "1"


def chromium_path() -> str | None:
    """``SCRM_TEST_CHROMIUM``, else Debian's chromium (or another Chromium on the PATH)."""
    configured = os.environ.get("SCRM_TEST_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _has_playwright_and_chromium() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


def _redis_answers() -> bool:
    """Something listens where ``SCRM_TEST_REDIS_URL`` (default 127.0.0.1:6379) points."""
    url = urlsplit(os.environ.get("SCRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), 1):
            return True
    except OSError:
        return False


AVAILABLE: dict[str, tuple[Callable[[], bool], str]] = {
    "redis": (_redis_answers, "a Redis server (SCRM_TEST_REDIS_URL)"),
    "browser": (_has_playwright_and_chromium, "playwright and Chromium (apt-get install chromium)"),
    "cjk_font": (
        lambda: find_cjk_font() is not None,
        "a CJK font (apt-get install fonts-wqy-microhei)",
    ),
}


def deselect_unavailable(config: pytest.Config, items: list[pytest.Item]) -> None:
    for marker, (available, what) in AVAILABLE.items():
        marked = [item for item in items if item.get_closest_marker(marker)]
        if not marked or available():
            continue
        if REQUIRE:
            raise pytest.UsageError(f"{len(marked)} tests marked {marker} need {what}")
        config.hook.pytest_deselected(items=marked)
        items[:] = [item for item in items if item not in marked]
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"note: {len(marked)} {marker} tests deselected: no {what}")
