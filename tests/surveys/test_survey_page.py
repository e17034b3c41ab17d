"""The survey page over HTTP on loopback, without a browser: the form, answering once, and
everything a careless or hostile request can do."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from support.surveys import customer, employee, survey

from bot.embedded import Embedded
from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyKind, SurveyStatus

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def browser(embedded: Embedded) -> AsyncIterator[aiohttp.ClientSession]:
    """A client that keeps cookies, as a phone's browser would (unsafe: the host is an IP)."""
    async with aiohttp.ClientSession(
        embedded.bot_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as session:
        yield session


async def open_survey(embedded: Embedded, **options: object) -> Survey:
    now = embedded.runtime.options.clock.now()
    lisi = await employee("lisi", "李四", now)
    zhang = await customer("张三", now)
    return await survey(now - timedelta(hours=1), who=lisi, about=zhang, **options)  # type: ignore[arg-type]


async def form_token(session: aiohttp.ClientSession, token: str) -> str:
    async with session.get(f"/s/{token}") as response:
        assert response.status == 200
        match = CSRF.search(await response.text())
    assert match is not None
    return match.group(1)


async def post(
    session: aiohttp.ClientSession, token: str, data: dict[str, str], **headers: str
) -> tuple[int, str]:
    async with session.post(f"/s/{token}", data=data, headers=headers) as response:
        return response.status, await response.text()


async def test_the_form_is_a_safe_mobile_page(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    async with browser.get(f"/s/{asked.token}") as response:
        assert response.status == 200
        page = await response.text()
        headers = response.headers
        cookie = response.cookies["survey_csrf"]
    assert 'name="viewport"' in page and "您对本次服务满意吗？" in page and "艾克米科技" in page
    assert re.findall(r'value="(\d+)" required', page) == ["5", "4", "3", "2", "1"]
    assert "非常满意" in page and "非常不满意" in page and "<script" not in page
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin" and headers["Cache-Control"] == "no-store"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == f"/s/{asked.token}"


async def test_an_answer_is_recorded_once(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    status, page = await post(browser, asked.token, {"csrf": csrf, "score": "4", "comment": "挺好"})
    assert status == 200 and "感谢您的评价！" in page
    stored = await Survey.get(id=asked.id)
    assert (stored.status, stored.score, stored.comment) == (SurveyStatus.ANSWERED, 4, "挺好")
    status, page = await post(browser, asked.token, {"csrf": csrf, "score": "1"})
    assert status == 410 and "您已经评价过了" in page
    assert (await Survey.get(id=asked.id)).score == 4
    async with browser.get(f"/s/{asked.token}") as response:
        assert response.status == 410


async def test_a_low_score_is_thanked_and_someone_will_call(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    status, page = await post(browser, asked.token, {"csrf": csrf, "score": "1", "comment": "慢"})
    assert status == 200 and "负责的同事会尽快联系您" in page
    assert await OutboxMessage.filter(recipient="zhangsan").exists()  # the admin heard


async def test_a_post_without_the_pages_cookie_or_with_a_forged_token_is_refused(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    nonce, issued, mac = csrf.split(".")
    async with aiohttp.ClientSession(embedded.bot_url) as stranger:
        status, page = await post(stranger, asked.token, {"csrf": csrf, "score": "5"})
    assert status == 403 and "页面已失效" in page
    for forged in (f"{nonce}.{issued}.{mac[:-2]}xx", f"{nonce}.{int(issued) + 1}.{mac}", "", "a.b"):
        status, _ = await post(browser, asked.token, {"csrf": forged, "score": "5"})
        assert status == 403
    other = await survey(asked.sent_at, who=None)
    status, _ = await post(browser, other.token, {"csrf": csrf, "score": "5"})
    assert status == 403  # a form token is bound to its own survey
    assert (await Survey.get(id=asked.id)).status is SurveyStatus.SENT


async def test_a_refused_form_comes_back_filled_in_with_a_fresh_token(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    status, page = await post(
        browser, asked.token, {"csrf": "x.1.y", "score": "4", "comment": "好"}
    )
    assert status == 403 and 'value="4" required checked' in page and ">好</textarea>" in page
    match = CSRF.search(page)
    assert match is not None
    status, _ = await post(browser, asked.token, {"csrf": match.group(1), "score": "4"})
    assert status == 200


async def test_cross_site_posts_are_refused(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    data = {"csrf": csrf, "score": "5"}
    assert (await post(browser, asked.token, data, Origin="https://evil.example"))[0] == 403
    assert (await post(browser, asked.token, data, Origin="null"))[0] == 403
    assert (await post(browser, asked.token, data, **{"Sec-Fetch-Site": "cross-site"}))[0] == 403
    assert (await Survey.get(id=asked.id)).status is SurveyStatus.SENT
    status, _ = await post(browser, asked.token, data, Origin=embedded.bot_url)
    assert status == 200


async def test_bad_scores_ask_again(embedded: Embedded, browser: aiohttp.ClientSession) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    for score in ("", "abc", "9", "-1", "0", "100000"):
        status, page = await post(browser, asked.token, {"csrf": csrf, "score": score})
        assert status == 400 and "请先选择一个评分。" in page, score
    status, page = await post(
        browser, asked.token, {"csrf": csrf, "score": "3", "comment": "长" * 501}
    )
    assert status == 400 and "留言最多 500 字" in page
    assert (await Survey.get(id=asked.id)).status is SurveyStatus.SENT


async def test_bodies_that_are_not_small_forms_are_refused(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    status, page = await post(
        browser, asked.token, {"csrf": csrf, "score": "4", "comment": "x" * 20_000}
    )
    assert status == 413 and "太长" in page
    async with browser.post(f"/s/{asked.token}", json={"score": 4}) as response:
        assert response.status == 415
    async with browser.post(
        f"/s/{asked.token}",
        data=b"score=%FF%FE&csrf=\xff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ) as response:
        assert response.status in (400, 403)
        assert "Traceback" not in await response.text()
    assert (await Survey.get(id=asked.id)).status is SurveyStatus.SENT


async def test_unknown_expired_and_cancelled_tokens_get_friendly_pages(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    for token in ("x" * 32, "short", "bad%20token%3Cscript%3E"):
        async with browser.get(f"/s/{token}") as response:
            assert response.status == 404
            assert "没有找到这份调查" in await response.text()
    late = await open_survey(embedded, expires_after=timedelta(minutes=30))
    async with browser.get(f"/s/{late.token}") as response:
        assert response.status == 410 and "已过期" in await response.text()
    marked = await survey(late.sent_at, status=SurveyStatus.EXPIRED)
    async with browser.get(f"/s/{marked.token}") as response:
        assert response.status == 410
    withdrawn = await survey(late.sent_at, status=SurveyStatus.CANCELLED)
    async with browser.get(f"/s/{withdrawn.token}") as response:
        assert response.status == 410 and "已撤回" in await response.text()


async def test_a_survey_that_expires_while_the_page_is_open_is_refused_politely(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded)
    csrf = await form_token(browser, asked.token)
    await Survey.filter(id=asked.id).update(expires_at=asked.sent_at)
    status, page = await post(browser, asked.token, {"csrf": csrf, "score": "5"})
    assert status == 410 and "已过期" in page
    assert (await Survey.get(id=asked.id)).score is None


async def test_nps_pages_and_escaped_questions(
    embedded: Embedded, browser: aiohttp.ClientSession
) -> None:
    asked = await open_survey(embedded, kind=SurveyKind.NPS)
    await Survey.filter(id=asked.id).update(question='<img src=x onerror="alert(1)">推荐吗？')
    async with browser.get(f"/s/{asked.token}") as response:
        page = await response.text()
    assert re.findall(r'value="(\d+)" required', page) == [str(n) for n in range(11)]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;推荐吗？" in page and "<img" not in page
    csrf = CSRF.search(page)
    assert csrf is not None
    status, _ = await post(browser, asked.token, {"csrf": csrf.group(1), "score": "0"})
    assert status == 200 and (await Survey.get(id=asked.id)).score == 0
