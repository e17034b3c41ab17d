"""The survey page, ``GET`` and ``POST /s/{token}``: the customer's one chance to score us.

The token in the link is the customer's key, so the page guards what a key cannot:

- CSRF (``bot.page_forms``, shared with the installation confirmation page): each render
  carries a form token ``nonce.issued.mac``, the MAC (HMAC-SHA256 under a
  key derived from the tenant's app secret, so every replica can check it) binding the
  nonce and the time to this survey's token; the nonce also sits in an HttpOnly, SameSite
  cookie scoped to this page. A POST needs both to agree, a fresh enough time, and no
  cross-site ``Origin`` / ``Sec-Fetch-Site``.
- Input: a form body of at most ``BODY_LIMIT`` bytes, a score on the survey's scale, a
  comment of at most ``COMMENT_MAX`` characters; anything else gets a short page and a 4xx,
  never internals.
- Output: every value escaped, a strict Content-Security-Policy, no caching, and no referrer
  beyond this site (the link itself is the secret).

Answers are recorded by ``bot.surveys.service.answer_by_token``, which keeps them single-use.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web

from bot.clock import Clock
from bot.page_forms import FormError, cross_site, form_key, form_token_ok, new_form_token, read_form
from bot.surveys import page_html
from bot.surveys.page_html import COMMENT_MAX, SurveyForm
from bot.surveys.service import (
    AnswerOutcome,
    answer_by_token,
    closed_outcome,
    question_text,
    score_labels,
)
from bot.tenants import TenantDirectory, TenantInfo
from models.surveys import Survey, SurveyKind

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
BODY_LIMIT = 16 * 1024  # a 500-character Chinese comment is about 4.5 KiB once form-encoded
FORM_TTL = timedelta(hours=12)
COOKIE = "survey_csrf"

HEADERS = {
    "Content-Security-Policy": page_html.CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # no-referrer would make browsers send "Origin: null"
    "Cache-Control": "no-store",
}

PAGES: Mapping[AnswerOutcome, tuple[int, str, str, str]] = {
    AnswerOutcome.NOT_FOUND: (
        404,
        "没有找到这份调查",
        "链接可能不完整，请向发给您链接的同事再要一次。",
        "?",
    ),
    AnswerOutcome.ALREADY_ANSWERED: (
        410,
        "您已经评价过了",
        "每份调查只能提交一次，感谢您的反馈。",
        "✓",
    ),
    AnswerOutcome.EXPIRED: (
        410,
        "这份调查已过期",
        "感谢您的关注。如有任何问题，欢迎直接联系为您服务的同事。",
        "⌛",
    ),
    AnswerOutcome.CANCELLED: (
        410,
        "这份调查已撤回",
        "无需再填写，感谢您的关注。",
        "✓",
    ),
}
THANKS = ("感谢您的评价！", "您的反馈已经收到，我们会继续努力。", "✓")
THANKS_LOW = (
    "感谢您的评价！",
    "很抱歉这次没有让您满意，负责的同事会尽快联系您。",
    "✓",
)
TOO_LARGE = (413, "提交的内容太长了", "请把留言控制在 500 字以内，返回上一页后重新提交。")
NOT_A_FORM = (415, "无法识别提交的内容", "请返回调查页面，重新选择评分后提交。")
BAD_FORM = (400, "无法识别提交的内容", "请返回调查页面，重新选择评分后提交。")
CROSS_SITE = (403, "提交被拒绝", "请直接在调查页面里提交评价。")
CHOOSE_SCORE = "请先选择一个评分。"
COMMENT_TOO_LONG = f"留言最多 {COMMENT_MAX} 字，请删减后再提交。"
STALE_FORM = "页面已失效（停留太久或在别处打开过），请重新选择评分后提交。"


def _page(status: int, html: str) -> web.Response:
    return web.Response(status=status, text=html, content_type="text/html", headers=HEADERS)


def _message(status: int, title: str, text: str, mark: str = "") -> web.Response:
    return _page(status, page_html.message_page(title, text, mark))


def _closed(outcome: AnswerOutcome) -> web.Response:
    return _message(*PAGES[outcome])


def _form_key(tenant: TenantInfo) -> bytes:
    return form_key(tenant.credentials.secret, b"survey-page-form")


FORM_ERRORS = {
    FormError.TOO_LARGE: TOO_LARGE,
    FormError.NOT_A_FORM: NOT_A_FORM,
    FormError.BAD_FORM: BAD_FORM,
}


@dataclass(frozen=True, slots=True)
class _Form:
    score: str
    comment: str
    csrf: str


class SurveyPage:
    def __init__(self, tenants: TenantDirectory, clock: Clock, base_url: str) -> None:
        self._tenants = tenants
        self._clock = clock
        parts = urlsplit(base_url)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._secure = parts.scheme == "https"

    async def show(self, request: web.Request) -> web.Response:
        found = await self._survey(request)
        if isinstance(found, web.Response):
            return found
        survey, tenant = found
        closed = closed_outcome(survey, self._clock.now())
        if closed is not None:
            return _closed(closed)
        return self._form(request, survey, tenant, 200)

    async def submit(self, request: web.Request) -> web.Response:
        refused = self._cross_site(request)
        if refused is not None:
            return refused
        form = await self._read_form(request)
        if isinstance(form, web.Response):
            return form
        found = await self._survey(request)
        if isinstance(found, web.Response):
            return found
        survey, tenant = found
        # A closed survey cannot change, so it says so whatever the form carried.
        closed = closed_outcome(survey, self._clock.now())
        if closed is not None:
            return _closed(closed)
        if not self._form_token_ok(request, survey, tenant, form.csrf):
            return self._form(request, survey, tenant, 403, form, STALE_FORM)
        if not (form.score.isascii() and form.score.isdigit() and len(form.score) <= 2):
            return self._form(request, survey, tenant, 400, form, CHOOSE_SCORE)
        if len(form.comment) > COMMENT_MAX:
            return self._form(request, survey, tenant, 400, form, COMMENT_TOO_LONG)
        return await self._answer(request, survey, tenant, form)

    async def _answer(
        self, request: web.Request, survey: Survey, tenant: TenantInfo, form: _Form
    ) -> web.Response:
        outcome, answered = await answer_by_token(
            survey.token, int(form.score), form.comment, now=self._clock.now()
        )
        if outcome is AnswerOutcome.INVALID_SCORE:
            return self._form(request, survey, tenant, 400, form, CHOOSE_SCORE)
        if outcome is not AnswerOutcome.RECORDED:
            return _closed(outcome)
        logger.info("survey %s answered on the page", survey.id)
        low = answered is not None and answered.is_low
        response = _message(200, *(THANKS_LOW if low else THANKS))
        response.del_cookie(COOKIE, path=request.path)
        return response

    async def _survey(self, request: web.Request) -> tuple[Survey, TenantInfo] | web.Response:
        token = request.match_info["token"]
        if not TOKEN_PATTERN.match(token):
            return _closed(AnswerOutcome.NOT_FOUND)
        survey = await Survey.get_or_none(token=token)
        tenant = await self._tenants.get_by_id(survey.tenant_id) if survey else None
        if survey is None or tenant is None:
            return _closed(AnswerOutcome.NOT_FOUND)
        return survey, tenant

    def _form(
        self,
        request: web.Request,
        survey: Survey,
        tenant: TenantInfo,
        status: int,
        sent: _Form | None = None,
        error: str = "",
    ) -> web.Response:
        cookie = request.cookies.get(COOKIE, "")
        nonce, csrf = new_form_token(cookie, _form_key(tenant), survey.token, self._clock.now())
        chosen = int(sent.score) if sent and sent.score.isdigit() and len(sent.score) <= 2 else None
        html = page_html.survey_page(
            SurveyForm(
                action=request.path,
                organisation=tenant.name,
                question=question_text(survey),
                scores=score_labels(survey.kind),
                nps=survey.kind is SurveyKind.NPS,
                csrf=csrf,
                comment=sent.comment[:COMMENT_MAX] if sent else "",
                chosen=chosen,
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

    def _form_token_ok(
        self, request: web.Request, survey: Survey, tenant: TenantInfo, csrf: str
    ) -> bool:
        cookie = request.cookies.get(COOKIE, "")
        key, now = _form_key(tenant), self._clock.now()
        return form_token_ok(cookie, csrf, key, survey.token, now, FORM_TTL)

    def _cross_site(self, request: web.Request) -> web.Response | None:
        if cross_site(request, self._origin):
            origin, site = request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site")
            logger.info("survey page POST refused: origin %r, fetch site %r", origin, site)
            return _message(*CROSS_SITE)
        return None

    async def _read_form(self, request: web.Request) -> _Form | web.Response:
        fields = await read_form(request, BODY_LIMIT)
        if isinstance(fields, FormError):
            return _message(*FORM_ERRORS[fields])

        def first(name: str) -> str:
            return fields.get(name, [""])[0]

        return _Form(first("score").strip(), first("comment").replace("\r\n", "\n"), first("csrf"))


def add_survey_routes(
    app: web.Application, *, tenants: TenantDirectory, clock: Clock, base_url: str
) -> None:
    page = SurveyPage(tenants, clock, base_url)
    app.router.add_get("/s/{token}", page.show)
    app.router.add_post("/s/{token}", page.submit)
