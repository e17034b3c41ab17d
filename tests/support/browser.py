"""Debian's Chromium driven by playwright, for the page tests (survey page, operator console):
the ``chromium`` fixture, which tests/conftest.py makes available to every test module marked
``browser``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright
from support.system_deps import chromium_path

# Without these, Chromium keeps reaching for Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    path = chromium_path()
    assert path is not None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()
