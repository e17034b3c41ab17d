"""A survey's life: created once per trigger, sent on the best channel, cancelled when its
cause is undone (a reopened work order).

``survey_for_trigger`` is what other capabilities call, inside their own transaction: work
orders when one is resolved, follow-ups when one is marked done (if the tenant turned that
on), and the manual ``发满意度``. 微信客服 sessions ask in the chat itself (``bot.surveys.kf``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from bot.config import Settings
from bot.kf.budget import open_address
from bot.surveys.delivery import deliver
from bot.surveys.settings import SurveyTemplate
from bot.tenants import TenantInfo
from bot.wecom.kf import KfAddress
from models.crm.customers import Customer
from models.surveys import Survey, SurveyChannel, SurveyStatus, SurveyTrigger
from models.tenants import Employee

logger = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 32 url-safe characters


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


async def create_survey(
    tenant_id: int,
    template: SurveyTemplate,
    *,
    trigger: SurveyTrigger,
    trigger_ref: str,
    customer_id: int | None,
    employee_id: int | None,
    channel: SurveyChannel,
    recipient: str,
    now: datetime,
) -> Survey | None:
    """The survey row, or None when this trigger already has one (one survey per trigger).
    Call inside the caller's transaction."""
    if await Survey.exists(tenant_id=tenant_id, trigger=trigger, trigger_ref=trigger_ref):
        return None
    reminder = timedelta(hours=template.reminder_after_hours)
    return await Survey.create(
        tenant_id=tenant_id,
        customer_id=customer_id,
        employee_id=employee_id,
        kind=template.kind,
        question=template.question,
        trigger=trigger,
        trigger_ref=trigger_ref,
        channel=channel,
        recipient=recipient,
        token=new_token(),
        sent_at=now,
        expires_at=now + timedelta(days=template.expire_after_days),
        remind_at=now + reminder if template.reminder_after_hours else None,
    )


async def route_for(
    tenant_id: int, customer: Customer | None, employee: Employee | None, now: datetime
) -> tuple[SurveyChannel, str] | None:
    """Where the survey can go: the customer's open 微信客服 chat, else a page link the
    employee forwards; None when there is nobody to ask through."""
    if customer is not None and customer.external_userid:
        address: KfAddress | None = await open_address(tenant_id, customer.external_userid, now)
        if address is not None:
            return SurveyChannel.KF, str(address)
    if employee is not None:
        return SurveyChannel.PAGE, employee.userid
    return None


async def survey_for_trigger(
    tenant: TenantInfo,
    *,
    trigger: SurveyTrigger,
    trigger_ref: str,
    customer_id: int | None,
    employee_id: int | None,
    now: datetime,
    settings: Settings,
) -> Survey | None:
    """Create and send the survey for a trigger, inside the caller's transaction. None when
    the trigger already has one, the tenant does not survey this trigger, or nobody can be
    asked (no customer reachable in 微信客服 and no employee to forward a link)."""
    template = settings.surveys.for_tenant(tenant.key)
    if trigger is SurveyTrigger.FOLLOWUP_DONE and not template.on_followup_done:
        return None
    customer = (
        await Customer.get_or_none(id=customer_id, tenant_id=tenant.id) if customer_id else None
    )
    employee = (
        await Employee.get_or_none(id=employee_id, tenant_id=tenant.id) if employee_id else None
    )
    route = await route_for(tenant.id, customer, employee, now)
    if route is None:
        logger.info("survey for %s %s not sent: nobody to ask", trigger.value, trigger_ref)
        return None
    channel, recipient = route
    survey = await create_survey(
        tenant.id,
        template,
        trigger=trigger,
        trigger_ref=trigger_ref,
        customer_id=customer.id if customer else None,
        employee_id=employee.id if employee else None,
        channel=channel,
        recipient=recipient,
        now=now,
    )
    if survey is not None:
        await deliver(survey, customer, tenant, settings.server.public_base_url, now=now)
    return survey


async def cancel_for_trigger(
    tenant_id: int, trigger: SurveyTrigger, trigger_ref: str, now: datetime
) -> bool:
    """Cancel the trigger's survey while it is unanswered (a reopened work order); True when
    one was cancelled. An answered survey stays: the customer did say what they thought."""
    cancelled = await Survey.filter(
        tenant_id=tenant_id,
        trigger=trigger,
        trigger_ref=trigger_ref,
        status=SurveyStatus.SENT,
    ).update(status=SurveyStatus.CANCELLED, cancelled_at=now)
    return cancelled > 0
