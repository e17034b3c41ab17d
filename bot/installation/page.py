"""The customer's confirmation page, ``GET`` and ``POST /i/{token}``: confirm the appointment
or the finished installation, or ask for another time with a note.

The token in the link is the customer's key; the page guards the rest as the survey page
does, with the same helpers (``bot.page_forms``: the CSRF form token bound to this link and an
HttpOnly, SameSite cookie; no cross-site POST; a small form body), every value escaped, a
strict Content-Security-Policy and no caching. The link is single-use
(``bot.installation.customer``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web
from tortoise.transactions import in_transaction

from bot.capability import Basics
from bot.dispatch.types import Channel
from bot.installation import customer as side
from bot.installation import page_html
from bot.installation.hooks import InstallHooks, hooks_in
from bot.installation.wording import window_words
from bot.outbox import enqueue
from bot.page_forms import FormError, cross_site, form_key, form_token_ok, new_form_token, read_form
from bot.tenants import TenantInfo
from models.crm.customers import Customer
from models.installation import InstallJob, InstallLink, LinkAnswer, LinkPurpose

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
BODY_LIMIT = 8 * 1024
FORM_TTL = timedelta(hours=12)
COOKIE = "install_csrf"
FOR_ANY_SENDER = timedelta(0)

HEADERS = {
    "Content-Security-Policy": page_html.CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
CLOSED = {
    side.Outcome.NOT_FOUND: (
        404,
        "没有找到这张安装单",
        "链接可能不完整，请联系为您服务的同事。",
        "?",
    ),
    side.Outcome.ANSWERED: (410, "您已经回复过了", "每个链接只能提交一次，感谢您的回复。", "✓"),
    side.Outcome.EXPIRED: (410, "这个链接已过期", "如有问题，请直接联系为您服务的同事。", "⌛"),
    side.Outcome.STALE: (
        410,
        "安装安排已有变化",
        "这个链接已不再适用，我们会把最新的安排发给您。",
        "↻",
    ),
}
TITLES = {
    LinkPurpose.APPOINTMENT: ("请确认上门安装时间", "时间没问题", "申请改约"),
    LinkPurpose.COMPLETION: ("请确认安装已完成", "确认安装完成", "还有问题，需要再次上门"),
}
THANKS = {
    (LinkPurpose.APPOINTMENT, LinkAnswer.CONFIRMED): ("感谢确认！", "安装师傅会按约定时间上门。"),
    (LinkPurpose.APPOINTMENT, LinkAnswer.RESCHEDULE): (
        "已收到改约申请",
        "负责的同事会尽快联系您约新的时间。",
    ),
    (LinkPurpose.COMPLETION, LinkAnswer.CONFIRMED): ("感谢确认！", "安装已完成，祝您使用愉快。"),
    (LinkPurpose.COMPLETION, LinkAnswer.RESCHEDULE): (
        "已收到您的反馈",
        "负责的同事会尽快联系您安排再次上门。",
    ),
}
TOO_LARGE = (413, "提交的内容太长了", "请把说明控制在 300 字以内，返回上一页后重新提交。")
NOT_A_FORM = (415, "无法识别提交的内容", "请返回上一页重新提交。")
BAD_FORM = (400, "无法识别提交的内容", "请返回上一页重新提交。")
CROSS_SITE = (403, "提交被拒绝", "请直接在确认页面里提交。")
STALE_FORM = "页面已失效（停留太久或在别处打开过），请重新提交。"
CHOOSE = "请点「确认」或「改约」按钮提交。"
NOTE_TOO_LONG = f"说明最多 {page_html.NOTE_MAX} 字，请删减后再提交。"
ANSWERS = {"confirm": LinkAnswer.CONFIRMED, "reschedule": LinkAnswer.RESCHEDULE}


def _page(status: int, html: str) -> web.Response:
    return web.Response(status=status, text=html, content_type="text/html", headers=HEADERS)


def _message(status: int, title: str, text: str, mark: str = "") -> web.Response:
    return _page(status, page_html.message_page(title, text, mark))


def _closed(outcome: side.Outcome) -> web.Response:
    return _message(*CLOSED[outcome])


def _form_key(tenant: TenantInfo) -> bytes:
    return form_key(tenant.credentials.secret, b"install-page-form")


FORM_ERRORS = {
    FormError.TOO_LARGE: TOO_LARGE,
    FormError.NOT_A_FORM: NOT_A_FORM,
    FormError.BAD_FORM: BAD_FORM,
}


@dataclass(frozen=True, slots=True)
class _Form:
    answer: str
    note: str
    csrf: str


@dataclass(frozen=True, slots=True)
class _Found:
    link: InstallLink
    job: InstallJob
    tenant: TenantInfo


class ConfirmPage:
    def __init__(self, basics: Basics, hooks: Callable[[], InstallHooks]) -> None:
        self._basics = basics
        self._clock = basics.clock
        self._hooks = hooks
        parts = urlsplit(basics.settings.server.public_base_url)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._secure = parts.scheme == "https"

    async def show(self, request: web.Request) -> web.Response:
        found = await self._find(request)
        if isinstance(found, web.Response):
            return found
        closed = side.closed_reason(found.link, found.job, self._clock.now())
        if closed is not None:
            return _closed(closed)
        return await self._form(request, found, 200)

    async def submit(self, request: web.Request) -> web.Response:
        if cross_site(request, self._origin):
            origin, site = request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site")
            logger.info("install page POST refused: origin %r, fetch site %r", origin, site)
            return _message(*CROSS_SITE)
        form = await self._read_form(request)
        if isinstance(form, web.Response):
            return form
        found = await self._find(request)
        if isinstance(found, web.Response):
            return found
        closed = side.closed_reason(found.link, found.job, self._clock.now())
        if closed is not None:
            return _closed(closed)
        if not self._form_token_ok(request, found, form.csrf):
            return await self._form(request, found, 403, form, STALE_FORM)
        answer = ANSWERS.get(form.answer)
        if answer is None:
            return await self._form(request, found, 400, form, CHOOSE)
        if len(form.note) > page_html.NOTE_MAX:
            return await self._form(request, found, 400, form, NOTE_TOO_LONG)
        outcome = await self._answer(found, answer, form.note.strip())
        if outcome is not side.Outcome.RECORDED:
            return _closed(outcome)
        response = _message(200, *THANKS[(found.link.purpose, answer)], "✓")
        response.del_cookie(COOKIE, path=request.path)
        return response

    async def _answer(self, found: _Found, answer: LinkAnswer, note: str) -> side.Outcome:
        now = self._clock.now()
        services = self._basics.services()
        async with in_transaction():
            link = await InstallLink.get(id=found.link.id)
            outcome, replies = await side.record_answer(
                found.tenant, link, answer, note, now, self._basics.settings, self._hooks()
            )
            if outcome is not side.Outcome.RECORDED:
                return side.Outcome.ANSWERED
            lease = services.sender.policy.lease if services is not None else FOR_ANY_SENDER
            rows = await enqueue(
                found.tenant.id,
                replies,
                default_user=None,
                key_prefix=f"install-link:{found.link.id}",
                channel=Channel.APP.value,
                now=now,
                lease=lease,
            )
        logger.info("install link %s answered: %s", found.link.id, answer.value)
        if rows and services is not None:
            await services.sender.send_rows(rows)
        return side.Outcome.RECORDED

    async def _find(self, request: web.Request) -> _Found | web.Response:
        token = request.match_info["token"]
        if not TOKEN_PATTERN.match(token):
            return _closed(side.Outcome.NOT_FOUND)
        link = await InstallLink.get_or_none(token=token)
        job = await InstallJob.get_or_none(id=link.job_id) if link else None
        tenant = await self._basics.tenants.get_by_id(job.tenant_id) if job else None
        if link is None or job is None or tenant is None:
            return _closed(side.Outcome.NOT_FOUND)
        return _Found(link, job, tenant)

    async def _form(
        self,
        request: web.Request,
        found: _Found,
        status: int,
        sent: _Form | None = None,
        error: str = "",
    ) -> web.Response:
        cookie, key = request.cookies.get(COOKIE, ""), _form_key(found.tenant)
        nonce, csrf = new_form_token(cookie, key, found.link.token, self._clock.now())
        job, tz = found.job, found.tenant.timezone
        customer = await Customer.get(id=job.customer_id)
        facts = [("安装单", job.number), ("客户", customer.display_name)]
        facts.append(("时间", window_words(job, tz)))
        facts += [(k, v) for k, v in (("内容", job.items), ("地址", job.address)) if v]
        if found.link.purpose is LinkPurpose.COMPLETION and job.resolution:
            facts.append(("完工说明", job.resolution))
        title, confirm, other = TITLES[found.link.purpose]
        html = page_html.confirm_page(
            page_html.ConfirmForm(
                action=request.path,
                organisation=found.tenant.name,
                title=title,
                facts=facts,
                confirm=confirm,
                other=other,
                csrf=csrf,
                note=sent.note[: page_html.NOTE_MAX] if sent else "",
                error=error,
            )
        )
        response = _page(status, html)
        response.set_cookie(
            COOKIE,
            nonce,
            path=request.path,
            max_age=int(FORM_TTL.total_seconds()),
            httponly=True,
            secure=self._secure,
            samesite="Lax",
        )
        return response

    def _form_token_ok(self, request: web.Request, found: _Found, csrf: str) -> bool:
        cookie, key = request.cookies.get(COOKIE, ""), _form_key(found.tenant)
        return form_token_ok(cookie, csrf, key, found.link.token, self._clock.now(), FORM_TTL)

    async def _read_form(self, request: web.Request) -> _Form | web.Response:
        fields = await read_form(request, BODY_LIMIT)
        if isinstance(fields, FormError):
            return _message(*FORM_ERRORS[fields])

        def first(name: str) -> str:
            return fields.get(name, [""])[0]

        return _Form(first("answer").strip(), first("note").replace("\r\n", "\n"), first("csrf"))


def add_confirm_routes(app: web.Application, basics: Basics) -> None:
    def hooks() -> InstallHooks:
        services = basics.services()
        dispatcher = services.dispatcher() if services is not None else None
        return hooks_in(dispatcher.deps) if dispatcher is not None else InstallHooks()

    page = ConfirmPage(basics, hooks)
    app.router.add_get("/i/{token}", page.show)
    app.router.add_post("/i/{token}", page.submit)
