"""One-time login links and the sessions they open.

A link's token is ``secrets.token_urlsafe(32)``; only its SHA-256 is stored, with the operator
it is for. It works once, within ``LINK_TTL``: the first use claims it with a conditional
UPDATE, so two clicks (or two replicas) cannot both log in. The session it opens is another
random value in an HttpOnly, SameSite=Strict cookie, likewise stored as a digest, valid for
``SESSION_TTL``. Whether the person is still an operator is checked at login and on every
request, against the config of the moment.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.subscription.settings import SubscriptionSettings
from models.console import ConsoleLink, ConsoleSession

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=8)
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Operator:
    tenant_key: str
    userid: str


class LoginOutcome(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # malformed, or no such link
    USED = "used"
    EXPIRED = "expired"
    NOT_OPERATOR = "not_operator"  # the config no longer lists them


async def issue_link(operator: Operator, now: datetime) -> str:
    """A new token for ``operator``; the caller puts it in the link."""
    token = secrets.token_urlsafe(32)
    await ConsoleLink.create(
        digest=digest(token),
        tenant_key=operator.tenant_key,
        userid=operator.userid,
        created_at=now,
        expires_at=now + LINK_TTL,
    )
    return token


async def check_link(
    token: str, settings: SubscriptionSettings, now: datetime
) -> tuple[LoginOutcome, ConsoleLink | None]:
    """What the link is worth now, without using it: opening the link only shows the
    button that logs in, so a link preview fetched by a chat app spends nothing."""
    if not SECRET_PATTERN.match(token):
        return LoginOutcome.UNKNOWN, None
    link = await ConsoleLink.get_or_none(digest=digest(token))
    if link is None:
        return LoginOutcome.UNKNOWN, None
    if link.used_at is not None:
        return LoginOutcome.USED, None
    if now >= link.expires_at:
        return LoginOutcome.EXPIRED, None
    if not settings.is_operator(link.tenant_key, link.userid):
        return LoginOutcome.NOT_OPERATOR, None
    return LoginOutcome.OK, link


async def redeem(
    token: str, settings: SubscriptionSettings, now: datetime
) -> tuple[LoginOutcome, str]:
    """Uses the link once; on success returns the new session's secret for the cookie."""
    outcome, link = await check_link(token, settings, now)
    if link is None:
        return outcome, ""
    claimed = await ConsoleLink.filter(id=link.id, used_at__isnull=True).update(used_at=now)
    if not claimed:
        return LoginOutcome.USED, ""
    secret = secrets.token_urlsafe(32)
    await ConsoleSession.create(
        digest=digest(secret),
        tenant_key=link.tenant_key,
        userid=link.userid,
        created_at=now,
        expires_at=now + SESSION_TTL,
    )
    return LoginOutcome.OK, secret


async def session_operator(
    secret: str, settings: SubscriptionSettings, now: datetime
) -> Operator | None:
    """The operator a session cookie belongs to, while it lasts and they are an operator."""
    if not SECRET_PATTERN.match(secret):
        return None
    session = await ConsoleSession.get_or_none(digest=digest(secret))
    if session is None or now >= session.expires_at:
        return None
    if not settings.is_operator(session.tenant_key, session.userid):
        return None
    return Operator(session.tenant_key, session.userid)


async def end_session(secret: str) -> bool:
    """Logging out: the session is deleted, so its cookie, kept or copied, opens nothing."""
    if not SECRET_PATTERN.match(secret):
        return False
    return bool(await ConsoleSession.filter(digest=digest(secret)).delete())


async def forget_expired(now: datetime) -> int:
    """Links and sessions past their time; the login keeps the tables small."""
    links = await ConsoleLink.filter(expires_at__lt=now - SESSION_TTL).delete()
    sessions = await ConsoleSession.filter(expires_at__lt=now).delete()
    return links + sessions
