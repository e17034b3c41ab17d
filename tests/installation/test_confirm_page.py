"""The customer's confirmation page over HTTP on loopback: confirming a finished installation
once (then the survey goes out, once), asking for another visit or another time (the booker
and the dispatchers are told), and what a careless or hostile request gets."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from support.install_page import NUMBER, job_with_link

from bot.embedded import Embedded
from models.installation import InstallJob, InstallLink, JobState, LinkAnswer, LinkPurpose
from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyTrigger

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def browser(embedded: Embedded) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(
        embedded.bot_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as session:
        yield session


async def form_token(session: aiohttp.ClientSession, token: str) -> str:
    async with session.get(f"/i/{token}") as response:
        assert response.status == 200
        match = CSRF.search(await response.text())
    assert match is not None
    return match.group(1)


async def post(
    session: aiohttp.ClientSession, token: str, data: dict[str, str], **headers: str
) -> tuple[int, str]:
    async with session.post(f"/i/{token}", data=data, headers=headers) as response:
        return response.status, await response.text()


def now_of(embedded: Embedded):  # type: ignore[no-untyped-def]
    return embedded.runtime.options.clock.now()


async def texts_to(userid: str) -> list[str]:
    rows = await OutboxMessage.filter(recipient=userid).order_by("id")
    return [str(r.payload.get("content", "")) for r in rows if r.msg_type == "text"]


async def test_the_page_is_a_safe_mobile_form_with_the_job(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    _, link = await job_with_link(now_of(embedded), customer_name="<b>星辰</b>")
    async with browser.get(f"/i/{link.token}") as response:
        assert response.status == 200
        page = await response.text()
        headers = response.headers
        cookie = response.cookies["install_csrf"]
    assert "请确认安装已完成" in page and NUMBER in page and "已装好测试正常" in page
    assert "&lt;b&gt;星辰&lt;/b&gt;" in page and "<b>星辰</b>" not in page  # escaped
    assert 'value="confirm"' in page and 'value="reschedule"' in page and "<script" not in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert (
        cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == f"/i/{link.token}"
    )


async def test_confirming_moves_the_job_once_and_sends_the_survey_once(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    job, link = await job_with_link(now_of(embedded))
    csrf = await form_token(browser, link.token)
    status, page = await post(browser, link.token, {"csrf": csrf, "answer": "confirm"})
    assert status == 200 and "感谢确认！" in page
    stored = await InstallJob.get(id=job.id)
    assert stored.state is JobState.CONFIRMED and stored.confirmed_at is not None
    [survey] = await Survey.all()
    assert (survey.trigger, survey.trigger_ref) == (SurveyTrigger.INSTALL_COMPLETED, NUMBER)
    status, page = await post(browser, link.token, {"csrf": csrf, "answer": "confirm"})
    assert status == 410 and "您已经回复过了" in page
    async with browser.get(f"/i/{link.token}") as response:
        assert response.status == 410
    assert await Survey.all().count() == 1


async def test_two_confirmations_racing_confirm_once(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    job, link = await job_with_link(now_of(embedded))
    csrf = await form_token(browser, link.token)
    answers = await asyncio.gather(
        *(post(browser, link.token, {"csrf": csrf, "answer": "confirm"}) for _ in range(4))
    )
    assert sorted(status for status, _ in answers) == [200, 410, 410, 410]
    assert (await InstallJob.get(id=job.id)).state is JobState.CONFIRMED
    assert await Survey.all().count() == 1


async def test_asking_to_come_again_tells_the_booker_and_the_dispatchers(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    job, link = await job_with_link(now_of(embedded))
    csrf = await form_token(browser, link.token)
    data = {"csrf": csrf, "answer": "reschedule", "note": "打印机还是<卡纸>"}
    status, page = await post(browser, link.token, data)
    assert status == 200 and "已收到您的反馈" in page
    assert (await InstallJob.get(id=job.id)).state is JobState.COMPLETED  # not confirmed
    stored = await InstallLink.get(id=link.id)
    assert (stored.answer, stored.note) == (LinkAnswer.RESCHEDULE, "打印机还是<卡纸>")
    revisit = await InstallJob.get(revisit_of_id=job.id)
    assert (revisit.state, revisit.address, revisit.items, revisit.creator_id) == (
        JobState.PENDING,
        "朝阳区xx路",
        "打印机2台",
        job.creator_id,
    )
    told = (
        f"客户 星辰科技 没有确认安装单 {NUMBER} 的完工，希望再次上门：打印机还是<卡纸>\n"
        f"已新建再次上门的安装单 {revisit.number}（地址、内容、联系人同前），"
        "约好时间后发送「改约 AZ0002 时间」，再「安排 AZ0002 给 师傅」。"
    )
    assert await texts_to("lisi") == [told]
    assert await texts_to("zhaoliu") == [told]
    assert await Survey.all().count() == 0
    status, _ = await post(browser, link.token, {"csrf": csrf, "answer": "confirm"})
    assert status == 410  # single use
    assert await InstallJob.filter(revisit_of_id=job.id).count() == 1


async def test_the_appointment_link_asks_for_another_time(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    job, link = await job_with_link(now_of(embedded), LinkPurpose.APPOINTMENT)
    csrf = await form_token(browser, link.token)
    status, page = await post(
        browser, link.token, {"csrf": csrf, "answer": "reschedule", "note": "周六上午家里有人"}
    )
    assert status == 200 and "已收到改约申请" in page
    [told] = await texts_to("lisi")
    assert told.startswith(f"客户 星辰科技 申请改约安装单 {NUMBER}（")
    assert told.endswith("：周六上午家里有人\n改时间发送「改约 AZ0001 新时间」。")
    assert (await InstallJob.get(id=job.id)).state is JobState.DISPATCHED


async def test_a_moved_appointment_makes_the_old_link_stale(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    job, link = await job_with_link(now_of(embedded), LinkPurpose.APPOINTMENT)
    csrf = await form_token(browser, link.token)
    await InstallJob.filter(id=job.id).update(version=2)
    status, page = await post(browser, link.token, {"csrf": csrf, "answer": "confirm"})
    assert status == 410 and "安装安排已有变化" in page
    assert (await InstallLink.get(id=link.id)).answered_at is None


async def test_hostile_and_careless_requests_are_refused(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    job, link = await job_with_link(now_of(embedded))
    async with browser.get("/i/not-a-token") as response:
        assert response.status == 404
    async with browser.get(f"/i/{'x' * 32}") as response:
        assert response.status == 404
    status, page = await post(browser, link.token, {"csrf": "forged.1.mac", "answer": "confirm"})
    assert status == 403 and "页面已失效" in page
    csrf = await form_token(browser, link.token)
    status, _ = await post(
        browser, link.token, {"csrf": csrf, "answer": "confirm"}, Origin="https://evil.example"
    )
    assert status == 403
    status, page = await post(browser, link.token, {"csrf": csrf, "answer": "maybe"})
    assert status == 400 and "请点「确认」或「改约」按钮提交" in page
    status, _ = await post(
        browser, link.token, {"csrf": csrf, "answer": "reschedule", "note": "长" * 301}
    )
    assert status == 400
    async with browser.post(f"/i/{link.token}", json={"answer": "confirm"}) as response:
        assert response.status == 415
    assert (await InstallJob.get(id=job.id)).state is JobState.COMPLETED
    embedded.runtime.options.clock.set(now_of(embedded) + timedelta(days=8))  # type: ignore[attr-defined]
    async with browser.get(f"/i/{link.token}") as response:
        assert response.status == 410 and "已过期" in await response.text()
