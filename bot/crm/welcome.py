"""Welcome messages for new customers, inside WeCom's 20-second window.

WeCom hands out a WelcomeCode with the add event and accepts ``send_welcome_msg`` for it once,
within 20 seconds. The text comes from the tenant's template for the contact way the customer
used (the event's State), else the tenant's default, else ``DEFAULT_TEMPLATE``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import WelcomeOutcome, send_welcome
from models.crm.tags import WelcomeTemplate

logger = logging.getLogger(__name__)

WINDOW = timedelta(seconds=20)
# A call started this close to the end of the window may land after it: not worth trying.
MARGIN = timedelta(seconds=2)
CUSTOMER_PLACEHOLDER, EMPLOYEE_PLACEHOLDER = "{客户名}", "{员工名}"
DEFAULT_TEMPLATE = "你好，{客户名}！我是{员工名}，很高兴认识你，有任何需要随时找我。"
UNKNOWN_CUSTOMER = "朋友"


class WelcomeStatus(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    OTHER_APP = "other_app"
    TOO_LATE = "too_late"
    NO_CODE = "no_code"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class WelcomeResult:
    status: WelcomeStatus
    text: str = ""


def render(template: str, customer_name: str, employee_name: str) -> str:
    return template.replace(CUSTOMER_PLACEHOLDER, customer_name or UNKNOWN_CUSTOMER).replace(
        EMPLOYEE_PLACEHOLDER, employee_name
    )


async def save_template(tenant_id: int, state: str, text: str, by: str, now: datetime) -> None:
    """The tenant's welcome text for contact way ``state`` ("" for its default)."""
    await WelcomeTemplate.update_or_create(
        defaults={"text": text, "updated_by": by, "updated_at": now},
        tenant_id=tenant_id,
        state=state,
    )


async def template_for(tenant_id: int, state: str) -> str:
    for candidate in dict.fromkeys((state, "")):
        row = await WelcomeTemplate.get_or_none(tenant_id=tenant_id, state=candidate)
        if row is not None:
            return row.text
    return DEFAULT_TEMPLATE


def too_late(event_at: datetime, now: datetime) -> bool:
    return now - event_at >= WINDOW - MARGIN


_OUTCOMES = {
    WelcomeOutcome.SENT: WelcomeStatus.SENT,
    WelcomeOutcome.ALREADY_SENT: WelcomeStatus.ALREADY_SENT,
    WelcomeOutcome.OTHER_APP: WelcomeStatus.OTHER_APP,
}


@dataclass(frozen=True, slots=True)
class WelcomeRequest:
    tenant: TenantInfo
    welcome_code: str
    state: str
    event_at: datetime
    customer_name: str
    employee_name: str
    external_userid: str


async def greet(client: WeComClient, request: WelcomeRequest, now: datetime) -> WelcomeResult:
    """Send the welcome message if WeCom still allows it; never raises for WeCom's answers."""
    if not request.welcome_code:
        # No code: a welcome message is configured in the admin console, which WeCom sends.
        return WelcomeResult(WelcomeStatus.NO_CODE)
    if too_late(request.event_at, now):
        age = (now - request.event_at).total_seconds()
        logger.warning(
            "welcome to %s skipped: the add event is %.1fs old and WeCom's window is %ss",
            request.external_userid,
            age,
            int(WINDOW.total_seconds()),
        )
        return WelcomeResult(WelcomeStatus.TOO_LATE)
    template = await template_for(request.tenant.id, request.state)
    text = render(template, request.customer_name, request.employee_name)
    try:
        outcome = await send_welcome(client, request.tenant.credentials, request.welcome_code, text)
    except WeComAPIError as exc:
        logger.error("welcome to %s failed: %s", request.external_userid, exc)
        return WelcomeResult(WelcomeStatus.FAILED, text)
    if outcome is not WelcomeOutcome.SENT:
        logger.info("welcome to %s not sent by us: %s", request.external_userid, outcome.value)
    return WelcomeResult(_OUTCOMES[outcome], text)
