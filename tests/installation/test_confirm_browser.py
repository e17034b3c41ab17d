"""The confirmation page in a real headless Chromium on a phone-sized screen: open the link,
tap 确认安装完成, see the thanks, find the job confirmed and the survey sent; and a reschedule
request typed into the note."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser
from support.install_page import job_with_link

from bot.embedded import Embedded
from models.installation import InstallJob, InstallLink, JobState, LinkAnswer
from models.surveys import Survey

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


async def _phone(chromium: Browser):  # type: ignore[no-untyped-def]
    return await chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )


async def test_a_customer_confirms_on_a_phone(embedded: Embedded, chromium: Browser) -> None:
    job, link = await job_with_link(embedded.runtime.options.clock.now())
    context = await _phone(chromium)
    page = await context.new_page()
    response = await page.goto(f"{embedded.bot_url}/i/{link.token}")
    assert response is not None and response.status == 200
    assert await page.locator("h1").inner_text() == "请确认安装已完成"
    button = page.get_by_role("button", name="确认安装完成")
    box = await button.bounding_box()
    assert box is not None and box["height"] >= 44  # a comfortable tap target
    await button.tap()
    await page.wait_for_selector("text=感谢确认！")
    assert (await InstallJob.get(id=job.id)).state is JobState.CONFIRMED
    assert await Survey.all().count() == 1
    await page.reload()  # resubmitting is refused politely
    assert "回复过了" in await page.locator("h1").inner_text()
    await context.close()


async def test_a_customer_asks_to_come_again_on_a_phone(
    embedded: Embedded, chromium: Browser
) -> None:
    job, link = await job_with_link(embedded.runtime.options.clock.now())
    context = await _phone(chromium)
    page = await context.new_page()
    await page.goto(f"{embedded.bot_url}/i/{link.token}")
    await page.locator("#note").fill("还是卡纸，周六上午有人")
    await page.get_by_role("button", name="还有问题，需要再次上门").tap()
    await page.wait_for_selector("text=已收到您的反馈")
    stored = await InstallLink.get(id=link.id)
    assert (stored.answer, stored.note) == (LinkAnswer.RESCHEDULE, "还是卡纸，周六上午有人")
    assert (await InstallJob.get(id=job.id)).state is JobState.COMPLETED
    await context.close()
