"""发满意度 张三: a survey now, on the best channel there is.

The customer's 微信客服 chat when it is open and has budget left (the rating menu goes
straight to them); otherwise the survey page through the employee (``bot.surveys.invite``).
"""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch.context import Context
from bot.surveys.delivery import rating_reply, start_chat
from bot.surveys.invite import send_page_survey
from bot.surveys.lifecycle import create_survey, route_for
from bot.wecom.kf import KfAddress
from models.crm.customers import Customer
from models.surveys import SurveyChannel, SurveyTrigger

SENT_KF = "已通过微信客服向 {name} 发出满意度调查，客户评价后会通知低分情况。"
SENT_PAGE = "{name} 目前不在微信客服会话中：满意度调查的群发确认和链接马上发给你。"
NOBODY = "没法给 {name} 发满意度调查：客户不在微信客服会话中，也没有可以转发链接的员工。"


async def send_survey_now(ctx: Context, customer: Customer) -> str:
    settings: Settings = ctx.deps["settings"]
    template = settings.surveys.for_tenant(ctx.tenant.key)
    now = ctx.clock.now()
    route = await route_for(ctx.tenant.id, customer, ctx.employee, now)
    if route is None:
        return NOBODY.format(name=customer.display_name)
    channel, recipient = route
    survey = await create_survey(
        ctx.tenant.id,
        template,
        trigger=SurveyTrigger.MANUAL,
        trigger_ref=f"manual:{ctx.update.key}",
        customer_id=customer.id,
        employee_id=ctx.employee.id if ctx.employee else None,
        channel=channel,
        recipient=recipient,
        now=now,
    )
    assert survey is not None, "each command is its own trigger"
    if channel is SurveyChannel.KF:
        # Through the handler's replies, so the menu goes out with the commit, not a sweep.
        ctx.reply(rating_reply(survey, recipient))
        await start_chat(ctx.tenant.id, KfAddress.parse(recipient).external_userid, survey, now)
        return SENT_KF.format(name=customer.display_name)
    base_url = settings.server.public_base_url
    await send_page_survey(survey, tenant=ctx.tenant, customer=customer, base_url=base_url, now=now)
    return SENT_PAGE.format(name=customer.display_name)
