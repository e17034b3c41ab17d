"""What the customers' form pages share (the survey page ``bot.surveys.page`` and the
installation confirmation page ``bot.installation.page``): the CSRF form token, the
same-origin check and reading a small urlencoded body.

- The form token is ``nonce.issued.mac``: the MAC (HMAC-SHA256 under a key derived from the
  tenant's app secret and the page's purpose, so every replica can check it) binds the nonce
  and the time to the page's own link token; the nonce also sits in an HttpOnly, SameSite
  cookie scoped to the page. A POST needs both to agree and a fresh enough time.
- A POST with a cross-site ``Origin`` / ``Sec-Fetch-Site`` is refused.
- A body is read only up to a limit and within ``BODY_SECONDS``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qs

from aiohttp import web

from bot.http_limits import BODY_SECONDS

NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
FORM_TYPE = "application/x-www-form-urlencoded"
CLOCK_SKEW = timedelta(minutes=5)


class FormError(StrEnum):
    TOO_LARGE = "too_large"
    NOT_A_FORM = "not_a_form"
    BAD_FORM = "bad_form"


def form_key(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, "sha256").digest()


def _mac(key: bytes, token: str, nonce: str, issued: int) -> str:
    digest = hmac.new(key, f"{token}|{nonce}|{issued}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_form_token(cookie: str, key: bytes, token: str, now: datetime) -> tuple[str, str]:
    """(the nonce for the cookie, the form token): the cookie's nonce is kept when valid."""
    nonce = cookie if NONCE_PATTERN.match(cookie) else secrets.token_urlsafe(18)
    issued = int(now.timestamp())
    return nonce, f"{nonce}.{issued}.{_mac(key, token, nonce, issued)}"


def form_token_ok(
    cookie: str, csrf: str, key: bytes, token: str, now: datetime, ttl: timedelta
) -> bool:
    nonce, _, rest = csrf.partition(".")
    issued_text, _, mac = rest.partition(".")
    if not (nonce and issued_text.isascii() and issued_text.isdigit() and mac):
        return False
    if not hmac.compare_digest(cookie.encode(), nonce.encode()):
        return False
    issued = int(issued_text)
    if not hmac.compare_digest(_mac(key, token, nonce, issued).encode(), mac.encode()):
        return False
    age = now - datetime.fromtimestamp(issued, UTC)
    return -CLOCK_SKEW <= age <= ttl


def cross_site(request: web.Request, origin: str) -> bool:
    """True when the POST comes from another site (``origin`` is this site's)."""
    sent = request.headers.get("Origin")
    return (sent is not None and sent != origin) or request.headers.get(
        "Sec-Fetch-Site"
    ) == "cross-site"


async def read_form(
    request: web.Request, limit: int, max_fields: int = 8
) -> dict[str, list[str]] | FormError:
    if request.content_length is not None and request.content_length > limit:
        return FormError.TOO_LARGE
    if request.content_type != FORM_TYPE:
        return FormError.NOT_A_FORM
    body = bytearray()
    try:
        async with asyncio.timeout(BODY_SECONDS):
            async for chunk in request.content.iter_chunked(4096):
                body += chunk
                if len(body) > limit:
                    return FormError.TOO_LARGE
    except TimeoutError:
        return FormError.BAD_FORM
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=max_fields)
    except (UnicodeDecodeError, ValueError):
        return FormError.BAD_FORM
