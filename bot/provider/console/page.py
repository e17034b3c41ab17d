"""The console over HTTP: ``/console/login/{token}`` (GET shows a button, its POST logs in),
``/console``, ``/console/tenants/{key}`` and ``/console/announcements``.

Read-only and server-rendered (jinja2 with autoescape on, no JavaScript). Every page carries a
strict Content-Security-Policy: no script, the one stylesheet by its hash, images only as
``data:`` URIs (the charts are inlined). Without a valid session a page answers 401 and says
to ask the bot for a link; anything malformed gets a 4xx page without internals.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.clock import Clock
from bot.config import TENANT_KEY_RE, Settings
from bot.provider.console import charts, data
from bot.provider.console.auth import (
    SESSION_TTL,
    LoginOutcome,
    Operator,
    check_link,
    end_session,
    forget_expired,
    redeem,
    session_operator,
)
from bot.subscription.money import format_fen
from bot.subscription.service import Billing
from bot.surveys.chart_font import find_cjk_font
from models.tenants import Tenant

logger = logging.getLogger(__name__)

COOKIE = "console_session"

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2329;font:15px/1.55 -apple-system,"PingFang SC",
"Noto Sans CJK SC","Microsoft YaHei",sans-serif}
header{display:flex;gap:18px;align-items:center;background:#1f2329;color:#fff;padding:10px 20px}
header nav a{color:#cfe0ff;margin-right:14px;text-decoration:none}
header .who{margin-left:auto;color:#bbbfc4;font-size:13px}
header form button{min-height:32px;padding:0 14px;background:#3a3f45;font-size:13px}
main{max-width:1100px;margin:0 auto;padding:18px 16px 40px}
h1{font-size:22px;margin:6px 0 16px}
h2{font-size:17px;margin:0 0 12px}
.card{background:#fff;border-radius:12px;padding:16px 18px;margin-bottom:16px;
box-shadow:0 1px 3px rgba(0,0,0,.06)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px}
.stat .label{color:#646a73;margin:0}
.stat .big{font-size:26px;font-weight:600;margin:4px 0 0}
img{max-width:100%;height:auto;display:block;margin-bottom:12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:7px 8px;border-bottom:1px solid #eef0f2;vertical-align:top}
th{color:#646a73;font-weight:600;font-size:13px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.red td:first-child{border-left:4px solid #f54a45}
tr.amber td:first-child{border-left:4px solid #ff9f1a}
tr.green td:first-child{border-left:4px solid #14a06f}
.facts{margin:0;padding-left:20px}
.message{max-width:560px;margin:40px auto;text-align:center}
.note,.back{color:#646a73;font-size:13px}
a{color:#1664ff}
form button{min-height:44px;padding:0 28px;border:0;border-radius:10px;background:#1664ff;
color:#fff;font:inherit;cursor:pointer}
"""
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # the login link is a secret
    "Cache-Control": "no-store",
}

ASK_BOT = "请在企业微信里给机器人发送「控制台」，获取新的登录链接。"
MESSAGES: Mapping[LoginOutcome | str, tuple[int, str, str]] = {
    LoginOutcome.UNKNOWN: (404, "登录链接无效", f"链接不完整或不存在。{ASK_BOT}"),
    LoginOutcome.USED: (410, "登录链接已经用过了", f"每个链接只能登录一次。{ASK_BOT}"),
    LoginOutcome.EXPIRED: (410, "登录链接已过期", f"链接10分钟内有效。{ASK_BOT}"),
    LoginOutcome.NOT_OPERATOR: (403, "没有权限", "只有服务商的运营人员可以登录运营控制台。"),
    "no_session": (401, "请先登录", f"登录已失效或尚未登录。{ASK_BOT}"),
    "logged_out": (200, "已退出", f"已退出运营控制台。再次进入：{ASK_BOT}"),
    "no_tenant": (404, "没有找到这家企业", "企业标识可能有误，请从总览页进入。"),
    "no_page": (404, "没有这个页面", "请从总览页进入。"),
    "starting": (503, "正在启动", "服务正在启动，请稍后刷新。"),
}

Handler = Callable[[web.Request, Operator], Awaitable[web.Response]]


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("bot.provider.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


class ConsolePage:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        billing: Callable[[], Billing | None],
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._billing = billing
        self._secure = urlsplit(settings.server.public_base_url).scheme == "https"
        self._templates = _environment()

    def _render(
        self, status: int, template: str, operator: Operator | None = None, **values: Any
    ) -> web.Response:
        html = self._templates.get_template(template).render(
            css=Markup(CSS),
            operator=f"{operator.tenant_key}:{operator.userid}" if operator else "",
            **values,
        )
        return web.Response(status=status, text=html, content_type="text/html", headers=HEADERS)

    def _message(self, which: LoginOutcome | str) -> web.Response:
        status, title, text = MESSAGES[which]
        return self._render(status, "message.html", title=title, text=text)

    async def login_form(self, request: web.Request) -> web.Response:
        """GET: the link opened. A button, not yet a login (see ``check_link``)."""
        outcome, _ = await check_link(
            request.match_info["token"], self._settings.subscription, self._clock.now()
        )
        if outcome is not LoginOutcome.OK:
            return self._message(outcome)
        return self._render(200, "login.html", action=request.path)

    async def login(self, request: web.Request) -> web.Response:
        """POST: the button pressed. Uses the link and opens a session."""
        now = self._clock.now()
        outcome, secret = await redeem(
            request.match_info["token"], self._settings.subscription, now
        )
        if outcome is not LoginOutcome.OK:
            logger.info("console login refused: %s", outcome.value)
            return self._message(outcome)
        await forget_expired(now)
        response = web.Response(status=303, headers={**HEADERS, "Location": "/console"})
        response.set_cookie(
            COOKIE,
            secret,
            path="/console",
            max_age=int(SESSION_TTL.total_seconds()),
            httponly=True,
            secure=self._secure,
            samesite="Strict",
        )
        return response

    async def logout(self, request: web.Request) -> web.Response:
        """POST from the header's 退出 button (the cookie is SameSite=Strict, so another site
        cannot log an operator out)."""
        await end_session(request.cookies.get(COOKIE, ""))
        response = self._message("logged_out")
        response.del_cookie(COOKIE, path="/console")
        return response

    def guarded(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def page(request: web.Request) -> web.Response:
            secret = request.cookies.get(COOKIE, "")
            now = self._clock.now()
            operator = await session_operator(secret, self._settings.subscription, now)
            if operator is None:
                return self._message("no_session")
            return await handler(request, operator)

        return page

    async def _timezone(self, operator: Operator) -> tzinfo:
        tenant = await Tenant.get_or_none(key=operator.tenant_key)
        return ZoneInfo(tenant.timezone if tenant else "Asia/Shanghai")

    def _stamp(self, now: datetime, tz: tzinfo) -> dict[str, str]:
        return {"as_of": now.astimezone(tz).strftime("%Y-%m-%d %H:%M"), "timezone": str(tz)}

    async def dashboard(self, request: web.Request, operator: Operator) -> web.Response:
        billing = self._billing()
        if billing is None:
            return self._message("starting")
        now, tz = self._clock.now(), await self._timezone(operator)
        board = await data.dashboard(billing, now, tz)
        png = await asyncio.to_thread(charts.mrr_chart, board.trend, find_cjk_font())
        return self._render(
            200,
            "dashboard.html",
            operator,
            title="总览",
            mrr=format_fen(board.mrr_fen),
            list_mrr=format_fen(board.list_mrr_fen),
            tiers=board.tiers,
            trend=[(p.label, format_fen(p.mrr_fen)) for p in board.trend],
            mrr_chart=_data_uri(png),
            tenants=board.tenants,
            **self._stamp(now, tz),
        )

    async def tenant(self, request: web.Request, operator: Operator) -> web.Response:
        billing = self._billing()
        if billing is None:
            return self._message("starting")
        key = request.match_info["key"]
        found = await Tenant.get_or_none(key=key) if TENANT_KEY_RE.match(key) else None
        if found is None:
            return self._message("no_tenant")
        now, tz = self._clock.now(), await self._timezone(operator)
        shown = await data.tenant_page(billing, found, now)
        png = await asyncio.to_thread(charts.usage_chart, shown.days, find_cjk_font())
        return self._render(
            200,
            "tenant.html",
            operator,
            title=shown.name,
            page=shown,
            commands=sum(d.commands for d in shown.days),
            peak=max((d.active_members for d in shown.days), default=0),
            usage_chart=_data_uri(png),
            **self._stamp(now, tz),
        )

    async def elsewhere(self, request: web.Request, operator: Operator) -> web.Response:
        return self._message("no_page")

    async def announcements(self, request: web.Request, operator: Operator) -> web.Response:
        billing = self._billing()
        if billing is None:
            return self._message("starting")
        now, tz = self._clock.now(), await self._timezone(operator)
        rows = await data.announcements(billing, tz)
        return self._render(
            200, "announcements.html", operator, title="公告", rows=rows, **self._stamp(now, tz)
        )


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def add_console_routes(
    app: web.Application,
    *,
    settings: Settings,
    clock: Clock,
    billing: Callable[[], Billing | None],
) -> None:
    console = ConsolePage(settings, clock, billing)
    app.router.add_get("/console/login/{token}", console.login_form)
    app.router.add_post("/console/login/{token}", console.login)
    app.router.add_post("/console/logout", console.logout)
    app.router.add_get("/console", console.guarded(console.dashboard))
    app.router.add_get("/console/tenants/{key}", console.guarded(console.tenant))
    app.router.add_get("/console/announcements", console.guarded(console.announcements))
    app.router.add_get("/console/{rest:.*}", console.guarded(console.elsewhere))
