"""The operator console over HTTP on loopback: logging in by the one-time link the bot sends,
what each page shows from the fixture's orders, roll-ups and announcements, and everything a
stranger, a stale link or a careless request gets instead (tests/support/console.py)."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from support.admin import group_update
from support.billing import with_operators
from support.console import OTHER_NAME, browser_session, console_chat, login_token
from support.crm import Chat
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.access import SINGLE_CHAT_ONLY
from bot.provider.console import phrasings
from bot.provider.console.auth import Operator, issue_link
from bot.provider.console.page import add_console_routes
from handlers.provider.console import OPERATORS_ONLY
from models.console import ConsoleLink, ConsoleSession

pytestmark = pytest.mark.db


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with console_chat(settings, clock) as opened:
        yield opened


async def get(session: aiohttp.ClientSession, path: str) -> tuple[int, str]:
    async with session.get(path, allow_redirects=False) as response:
        return response.status, await response.text()


async def logged_in(chat: Chat) -> aiohttp.ClientSession:
    session = browser_session(chat)
    token = await login_token(chat)
    async with session.post(f"/console/login/{token}", allow_redirects=False) as response:
        assert response.status == 303 and response.headers["Location"] == "/console"
    return session


def text_of(page: str) -> str:
    """The page as read: tags dropped, entities decoded, spaces collapsed."""
    shown = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(shown)).strip()


async def test_an_operator_logs_in_once_by_the_link_from_the_bot(chat: Chat) -> None:
    [reply] = await chat.say("wangwu", "控制台")
    assert "运营控制台登录链接（10 分钟内有效，只能用一次" in reply
    assert re.search(r"http://127\.0\.0\.1:\d+/console/login/[A-Za-z0-9_-]{43}$", reply, re.M)
    token = re.findall(r"/console/login/(\S+)", reply)[0]
    stored = await ConsoleLink.get()
    assert token not in stored.digest and (stored.tenant_key, stored.userid) == ("acme", "wangwu")
    async with browser_session(chat) as session:
        # Opening the link (or a chat app fetching its preview) only shows the button.
        for _ in range(2):
            status, page = await get(session, f"/console/login/{token}")
            assert status == 200 and "进入控制台" in page and "console_session" not in page
            assert f'<form method="post" action="/console/login/{token}">' in page
        assert (await ConsoleLink.get()).used_at is None and await ConsoleSession.all().count() == 0
        async with session.post(f"/console/login/{token}", allow_redirects=False) as response:
            assert response.status == 303 and response.headers["Location"] == "/console"
            cookie = response.cookies["console_session"]
        assert (
            cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/console"
        )
        assert not cookie["secure"]  # the test's base URL is http
        assert cookie.value not in (await ConsoleSession.get()).digest
        async with session.get(f"/console/login/{token}") as again:
            assert again.status == 410
            assert "登录链接已经用过了" in await again.text()
        status, page = await get(session, "/console")  # the first login's session still works
        assert status == 200 and "总览" in page


async def test_logging_out_ends_the_session_for_good(chat: Chat) -> None:
    token = await login_token(chat)
    async with browser_session(chat) as session:
        async with session.post(f"/console/login/{token}", allow_redirects=False) as response:
            secret = response.cookies["console_session"].value
        status, page = await get(session, "/console")
        assert status == 200
        assert '<form method="post" action="/console/logout"><button type="submit">退出' in page
        async with session.post("/console/logout") as response:
            assert response.status == 200
            assert "已退出运营控制台" in await response.text()
            assert response.cookies["console_session"].value == ""
        assert await ConsoleSession.all().count() == 0
        status, page = await get(session, "/console")
        assert status == 401 and "请先登录" in page
    # The cookie's value, kept or copied elsewhere, opens nothing either.
    async with browser_session(chat) as copied:
        copied.cookie_jar.update_cookies({"console_session": secret})
        status, _ = await get(copied, "/console")
        assert status == 401


async def test_an_https_console_sets_a_secure_cookie(
    database: str, settings: Settings, clock: FrozenClock
) -> None:
    server = replace(settings.server, public_base_url="https://scrm.example.com")
    https = with_operators(replace(settings, server=server), "acme:wangwu")
    app = web.Application()
    add_console_routes(app, settings=https, clock=clock, billing=lambda: None)
    token = await issue_link(Operator("acme", "wangwu"), clock.now())
    async with (
        TestClient(TestServer(app)) as client,
        client.post(f"/console/login/{token}", allow_redirects=False) as response,
    ):
        assert response.status == 303
        cookie = response.cookies["console_session"]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict"


async def test_natural_ways_to_ask_for_the_console(chat: Chat) -> None:
    for said in phrasings.EXAMPLES:
        [reply] = await chat.say("wangwu", said)
        assert "/console/login/" in reply, said
    assert await ConsoleLink.all().count() == len(phrasings.EXAMPLES)


async def test_asked_in_a_group_no_link_is_posted(chat: Chat) -> None:
    runtime = chat.embedded.runtime
    tenant = await runtime.tenants.get("acme")
    assert runtime.dispatcher is not None and tenant is not None
    async with in_transaction():
        replies = await runtime.dispatcher.feed(group_update("控制台", "wangwu"), tenant)
    assert [r.text for r in replies] == [SINGLE_CHAT_ONLY]
    assert await ConsoleLink.all().count() == 0


async def test_a_non_operator_gets_no_link(chat: Chat) -> None:
    for said in ("控制台", "打开运营控制台", "给我控制台链接"):
        replies = await chat.say("lisi", said)
        assert all("/console/login/" not in r for r in replies)
    assert await chat.say("lisi", "控制台") == [OPERATORS_ONLY]
    assert await ConsoleLink.all().count() == 0


async def test_a_link_expires_after_ten_minutes(chat: Chat, clock: FrozenClock) -> None:
    token = await login_token(chat)
    clock.advance(timedelta(minutes=10))
    async with browser_session(chat) as session:
        status, page = await get(session, f"/console/login/{token}")
        assert status == 410 and "登录链接已过期" in page
        status, _ = await get(session, "/console")
        assert status == 401
    fresh = await login_token(chat)
    clock.advance(timedelta(minutes=9, seconds=59))
    async with (
        browser_session(chat) as session,
        session.post(f"/console/login/{fresh}", allow_redirects=False) as response,
    ):
        assert response.status == 303


async def test_a_session_ends_after_eight_hours(chat: Chat, clock: FrozenClock) -> None:
    async with await logged_in(chat) as session:
        clock.advance(timedelta(hours=7, minutes=59))
        assert (await get(session, "/console"))[0] == 200
        clock.advance(timedelta(minutes=1))
        status, page = await get(session, "/console")
        assert status == 401 and "请在企业微信里给机器人发送「控制台」" in page


async def test_a_link_of_someone_no_longer_an_operator_is_refused(
    chat: Chat, clock: FrozenClock
) -> None:
    token = await issue_link(Operator("acme", "lisi"), clock.now())  # the config changed since
    async with browser_session(chat) as session:
        async with session.post(f"/console/login/{token}", allow_redirects=False) as response:
            assert response.status == 403
            assert "console_session" not in response.cookies
            page = await response.text()
        assert "只有服务商的运营人员可以登录运营控制台" in page and "lisi" not in page
        assert (await get(session, "/console"))[0] == 401
    assert await ConsoleSession.all().count() == 0


async def test_without_a_session_every_page_says_to_ask_the_bot(chat: Chat) -> None:
    async with browser_session(chat) as session:
        for path in (
            "/console",
            "/console/",
            "/console/tenants/acme",
            "/console/announcements",
            "/console/anything/else",
        ):
            status, page = await get(session, path)
            assert status == 401, path
            assert "请先登录" in page and "艾克米科技" not in page and "MRR" not in page
    garbage = {"console_session": "x" * 43}
    async with aiohttp.ClientSession(chat.embedded.bot_url, cookies=garbage) as session:
        assert (await get(session, "/console"))[0] == 401
    for value in ("", "短", "a" * 300, "%00%ff", "'; drop table"):
        async with aiohttp.ClientSession(
            chat.embedded.bot_url, headers={"Cookie": f"console_session={value}"}
        ) as session:
            assert (await get(session, "/console"))[0] == 401


async def test_bad_links_and_keys_get_4xx_pages(chat: Chat) -> None:
    async with browser_session(chat) as session:
        for token in ("x", "a" * 43, "a" * 500, "%2e%2e%2f", "☃" * 40, "a.b"):
            status, page = await get(session, f"/console/login/{token}")
            assert status == 404, token
            assert "登录链接无效" in page and "Traceback" not in page
            async with session.post(f"/console/login/{token}", allow_redirects=False) as posted:
                assert posted.status == 404 and "console_session" not in posted.cookies, token
    async with await logged_in(chat) as session:
        for key in ("nobody", "x" * 200, "%3Cscript%3E", "☃", "acme%00", "ACME", "acme%20"):
            status, page = await get(session, f"/console/tenants/{key}")
            assert status == 404, key
            assert "没有找到这家企业" in page
        status, _ = await get(session, "/console/nothing-here")
        assert status == 404


async def test_the_dashboard_shows_mrr_tiers_and_clients(chat: Chat) -> None:
    async with await logged_in(chat) as session, session.get("/console") as response:
        assert response.status == 200
        page = await response.text()
        headers = response.headers
    read = text_of(page)
    # November: acme's ¥1,200 for 120 days gives ¥300, the other's ¥300 month; October ¥310.
    assert "本月 MRR（已付订单分摊） ¥600.00" in read
    assert "2026-10 ¥310.00" in read and "2026-11 ¥600.00" in read
    assert "2026-09 ¥0.00" in read and "2025-12 ¥0.00" in read and "2025-11" not in read
    assert "🔴 风险 1 家" in read and "🟡 关注 0 家" in read and "🟢 健康 1 家" in read
    assert 'src="data:image/png;base64,' in page
    rows = re.findall(r"<tr class=\"(\w+)\">(.*?)</tr>", page, re.S)
    assert [tier for tier, _ in rows] == ["red", "green"]
    other, acme = (text_of(row) for _, row in rows)
    assert OTHER_NAME in other and "0/5" in other and "2026-11-09" in other
    assert "7 天后到期（2026-11-30）" in other and "近28天没有使用" in other
    # wangwu's 控制台 made them acme's eighth active member.
    assert "艾克米科技" in acme and "2026-10-31" in acme and "30天活跃 8/10 席位（80%）" in acme
    assert 'href="/console/tenants/acme"' in page and 'href="/console/tenants/other"' in page
    assert "数据时间：2026-11-23 10:00（Asia/Shanghai）" in read
    policy = headers["Content-Security-Policy"]
    assert (
        "script-src" not in policy and "default-src 'none'" in policy and "img-src data:" in policy
    )
    assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"


async def test_names_are_escaped_everywhere(chat: Chat) -> None:
    async with await logged_in(chat) as session:
        pages = [
            (await get(session, path))[1]
            for path in ("/console", "/console/tenants/other", "/console/announcements")
        ]
    for page in pages:
        assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;远航贸易" in pages[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;远航贸易" in pages[1]
    assert "4.2 版上线 &lt;b&gt;" in pages[2]


async def test_a_clients_page_has_its_profile_usage_and_refusals(chat: Chat) -> None:
    async with await logged_in(chat) as session:
        status, page = await get(session, "/console/tenants/acme")
    assert status == 200
    read = text_of(page)
    assert "艾克米科技（acme）· 🟢 健康" in read
    assert "席位：已用 0 / 已购 10" in read and "活跃成员：近7天 4 人，近30天 8 人" in read
    assert "模块：已用 1 / 已购 2（呼叫中心），未用：客户管理" in read
    assert "到期日：2027-02-28（还有 97 天）" in read
    assert "近 30 天用量" in read and "指令 180 次，单日最多活跃成员 5 人" in read
    assert 'alt="每日指令数和活跃成员"' in page and 'src="data:image/png;base64,' in page
    assert re.search(r"安装服务\s*</td>\s*<td class=\"num\">3</td>", page)
    async with await logged_in(chat) as session:
        status, page = await get(session, "/console/tenants/other")
    read = text_of(page)
    assert status == 200 and "🔴 风险" in read and "指令 0 次" in read and "没有被拒的请求" in read


async def test_announcements_with_their_delivery_counts(chat: Chat) -> None:
    async with await logged_in(chat) as session:
        status, page = await get(session, "/console/announcements")
    assert status == 200
    rows = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]]
    assert rows == [
        "2 草稿一条 草稿 全部客户 2026-11-20 15:30 0 0",
        "1 4.2 版上线 <b> 已发布 全部客户 2026-11-20 15:30 3 1",
    ]
