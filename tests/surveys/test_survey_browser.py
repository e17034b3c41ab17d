"""The survey page in a real headless Chromium on a phone-sized screen: open the link, tap 4,
write a comment, submit, see the thanks, and find the answer stored."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser
from support.surveys import customer, employee, survey

from bot.embedded import Embedded
from models.surveys import Survey, SurveyStatus

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


async def test_a_customer_answers_on_a_phone(
    embedded: Embedded, chromium: Browser, tmp_path: Path
) -> None:
    now = embedded.runtime.options.clock.now()
    lisi = await employee("lisi", "李四", now)
    asked = await survey(now - timedelta(minutes=5), who=lisi, about=await customer("张三", now))
    context = await chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = await context.new_page()
    response = await page.goto(f"{embedded.bot_url}/s/{asked.token}")
    assert response is not None and response.status == 200
    assert await page.locator("h1").inner_text() == "您对本次服务满意吗？"
    four = page.locator("label[for=score-4]")
    box = await four.bounding_box()
    assert box is not None and box["height"] >= 44  # a comfortable tap target
    await four.tap()
    assert await page.locator("#score-4").is_checked()
    await page.locator("#comment").fill("回复很快，谢谢李四")
    if os.environ.get("SCRM_TEST_SCREENSHOTS"):
        await page.screenshot(path=str(tmp_path / "survey.png"), full_page=True)
    await page.get_by_role("button", name="提交评价").tap()
    await page.wait_for_selector("text=感谢您的评价！")
    stored = await Survey.get(id=asked.id)
    assert (stored.status, stored.score, stored.comment) == (
        SurveyStatus.ANSWERED,
        4,
        "回复很快，谢谢李四",
    )
    await page.reload()  # resubmitting the form is refused politely
    assert "评价过了" in await page.locator("h1").inner_text()
    await context.close()
