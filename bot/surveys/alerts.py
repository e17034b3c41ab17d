"""Low-score alerts: the employee and the admins hear at once, so someone calls back.

The employee is told through the app, the admins through ``notify_admins``; both are keyed
by the survey, so a retried update never alerts twice. A comment that arrives after the score
(the 微信客服 flow asks for it second) follows in a notice of its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.crm.book import admin_userids
from bot.dispatch.types import Channel, Reply
from bot.notices import notify_admins, tenant_for_notices
from bot.outbox import enqueue
from bot.surveys.templates import score_text
from bot.vendor_support.nps_alert import alert_operators
from models.crm.customers import Customer
from models.surveys import Survey, SurveyTrigger
from models.tenants import Employee

TRIGGER_NAMES = {
    SurveyTrigger.TICKET_RESOLVED: "工单 {ref} 已解决",
    SurveyTrigger.FOLLOWUP_DONE: "跟进完成",
    SurveyTrigger.KF_SESSION_END: "微信客服会话结束",
    SurveyTrigger.MANUAL: "手动发送的调查",
}
# Rows written here belong to no handler's send-after-commit list: the outbox sweep takes them.
FOR_ANY_SENDER = timedelta(0)


def trigger_name(survey: Survey) -> str:
    return TRIGGER_NAMES[survey.trigger].format(ref=survey.trigger_ref)


def _score_text(survey: Survey) -> str:
    assert survey.score is not None, "only answered surveys raise alerts"
    return score_text(survey.kind, survey.score)


async def _names(survey: Survey) -> tuple[str, Employee | None]:
    customer = await Customer.get_or_none(id=survey.customer_id) if survey.customer_id else None
    employee = await Employee.get_or_none(id=survey.employee_id) if survey.employee_id else None
    return (customer.display_name if customer else "一位客户"), employee


async def alert_low_score(survey: Survey, *, now: datetime) -> None:
    if survey.trigger is SurveyTrigger.PROVIDER_NPS:
        # The provider asked a client's admin: the provider's operators must hear, not the
        # client's own admins.
        await alert_operators(survey, now=now)
        return
    customer, employee = await _names(survey)
    lines = [
        f"⚠️ 低分提醒：{customer} 给出了 {_score_text(survey)}",
        f"来源：{trigger_name(survey)}",
    ]
    if employee is not None:
        lines.append(f"负责员工：{employee.name or employee.userid}")
    lines.append(f"留言：{survey.comment}" if survey.comment else "留言：（暂无）")
    lines.append("请尽快联系客户回访。")
    await _tell(survey, employee, "\n".join(lines), key="low", now=now)


async def alert_comment(survey: Survey, *, now: datetime) -> None:
    if survey.trigger is SurveyTrigger.PROVIDER_NPS:
        return  # answered on the page, with its comment, so the score's alert carried it
    customer, employee = await _names(survey)
    text = f"低分调查补充留言：{customer}（{_score_text(survey)}）说：{survey.comment}"
    await _tell(survey, employee, text, key="comment", now=now)


async def _tell(
    survey: Survey, employee: Employee | None, text: str, *, key: str, now: datetime
) -> None:
    # With its group bot row: the admins' group (webhook or app chat) is where notices go.
    tenant = await tenant_for_notices(survey.tenant_id)
    if tenant is None:
        return  # the tenant was deleted under the survey: nobody is left to tell
    admins = await admin_userids(tenant)
    # An employee who is also an admin hears it once, as an admin.
    if employee is not None and employee.userid not in admins:
        await enqueue(
            tenant.id,
            [Reply(text, to_user=employee.userid)],
            default_user=None,
            key_prefix=f"survey:{survey.id}:{key}",
            channel=Channel.APP.value,
            now=now,
            lease=FOR_ANY_SENDER,
        )
    await notify_admins(tenant, text, key=f"survey:{survey.id}:{key}", now=now)
