"""A survey when a follow-up about a WeChat customer is marked done.

Off unless the tenant sets ``on_followup_done = true`` under ``[surveys]``: a follow-up is
often an internal step (a quote sent, a call made) that the customer would find odd to rate.
Only WeChat customers are asked, since only they can get the rating menu or the page link.
"""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch.context import Context
from bot.surveys.lifecycle import survey_for_trigger
from models.crm.customers import Customer, CustomerKind
from models.followups import Followup
from models.surveys import Survey, SurveyTrigger


async def survey_followup_done(ctx: Context, followup: Followup) -> Survey | None:
    """Call right after the follow-up is completed, in the same transaction."""
    settings: Settings = ctx.deps["settings"]
    if (
        followup.customer_id is None
        or not settings.surveys.for_tenant(ctx.tenant.key).on_followup_done
    ):
        return None
    customer = await Customer.get_or_none(id=followup.customer_id, tenant_id=ctx.tenant.id)
    if customer is None or customer.kind is not CustomerKind.WECHAT:
        return None
    return await survey_for_trigger(
        ctx.tenant,
        trigger=SurveyTrigger.FOLLOWUP_DONE,
        trigger_ref=str(followup.id),
        customer_id=customer.id,
        employee_id=followup.owner_id,
        now=ctx.clock.now(),
        settings=settings,
    )
