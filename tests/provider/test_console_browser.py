"""The operator console in a real headless Chromium: the operator opens the link the bot
sent, lands on the dashboard with its chart drawn, opens a client's page; a link made for
someone who is not an operator is refused (tests/support/console.py has the fixture)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page
from support.console import OTHER_NAME, console_chat, login_token
from support.crm import Chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.provider.console.auth import Operator, issue_link

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with console_chat(settings, clock) as opened:
        yield opened


async def drawn(page: Page, selector: str) -> bool:
    """The image decoded: the page's CSP let its data: URI through."""
    width = await page.eval_on_selector(selector, "img => img.complete && img.naturalWidth")
    return bool(width)


async def test_an_operator_logs_in_and_reads_the_console(
    chat: Chat, chromium: Browser, tmp_path: Path
) -> None:
    token = await login_token(chat)
    context = await chromium.new_context(viewport=LAPTOP, locale="zh-CN")
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    response = await page.goto(f"{chat.embedded.bot_url}/console/login/{token}")
    assert response is not None and response.status == 200
    assert await page.locator("h1").inner_text() == "登录运营控制台"
    await page.get_by_role("button", name="进入控制台").click()
    await page.wait_for_url(f"{chat.embedded.bot_url}/console")
    assert await page.locator("h1").inner_text() == "总览"
    assert await page.locator("#mrr").inner_text() == "¥600.00"
    assert await drawn(page, "img[alt='MRR 按月走势']")
    assert await page.get_by_role("link", name=OTHER_NAME).count() == 1  # shown, not run
    if os.environ.get("SCRM_TEST_SCREENSHOTS"):
        await page.screenshot(path=str(tmp_path / "console.png"), full_page=True)
    await page.get_by_role("link", name="艾克米科技").click()
    await page.wait_for_url("**/console/tenants/acme")
    assert "艾克米科技（acme）" in await page.locator("h1").inner_text()
    assert await page.locator("#commands").inner_text() == "180"
    assert await drawn(page, "img[alt='每日指令数和活跃成员']")
    await page.get_by_role("link", name="公告").click()
    await page.wait_for_url("**/console/announcements")
    assert "4.2 版上线 <b>" in await page.locator("table").inner_text()
    assert not errors  # no CSP violation, nothing refused
    again = await context.new_page()
    reused = await again.goto(f"{chat.embedded.bot_url}/console/login/{token}")
    assert reused is not None and reused.status == 410
    await context.close()


async def test_a_non_operators_link_is_refused(
    chat: Chat, chromium: Browser, clock: FrozenClock
) -> None:
    token = await issue_link(Operator("acme", "lisi"), clock.now())
    context = await chromium.new_context(viewport=LAPTOP, locale="zh-CN")
    page = await context.new_page()
    response = await page.goto(f"{chat.embedded.bot_url}/console/login/{token}")
    assert response is not None and response.status == 403
    assert await page.locator("h1").inner_text() == "没有权限"
    assert await context.cookies() == []
    refused = await page.goto(f"{chat.embedded.bot_url}/console")
    assert refused is not None and refused.status == 401
    assert await page.locator("h1").inner_text() == "请先登录"
    await context.close()
