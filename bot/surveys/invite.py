"""Putting the survey page in front of a customer through their employee.

An app cannot message a WeChat customer; their employee can. For a customer with an
``external_userid`` the bot creates a mass-send task (``add_msg_template``: the link as a
card) that the employee confirms with one tap, and tells the employee so, with the link to
forward by hand should the task not reach them. A customer WeCom does not know (added by
hand) gets the forwarding text alone.

``send_page_survey`` runs inside the caller's transaction: the task is an outbox row on the
``msg_template`` channel, sent after the commit by ``MsgTemplateTransport`` with the outbox's
retries, so a rolled-back survey never reaches anyone.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.dispatch.types import Channel, Reply, ReplyKind
from bot.outbox import Transport, enqueue
from bot.surveys.service import question_text
from bot.tenants import TenantInfo
from bot.wecom.client import WeComClient
from bot.wecom.msg_templates import add_msg_template, link_attachment
from models.crm.customers import Customer
from models.outbox import OutboxMessage
from models.surveys import Survey

logger = logging.getLogger(__name__)

MSG_TEMPLATE_CHANNEL = ReplyKind.MSG_TEMPLATE.value
FOR_ANY_SENDER = timedelta(0)  # the outbox sweep sends rows written outside a handler

CUSTOMER_TEXT = "您好，耽误您半分钟，请为{organisation}的服务打个分，您的意见对我们很重要："
LINK_TITLE = "满意度调查"
TASK_CREATED = (
    "已为客户{customer}生成满意度调查的群发，请在企业微信「客户联系 → 群发助手」"
    "（或手机上的群发提醒）里确认发送。\n"
    "如果没有看到提醒，也可以把这个链接直接转发给客户：\n{url}\n"
    "链接 {days} 天内有效，只能填写一次。"
)
FORWARD = (
    "请把下面的满意度调查转发给客户{customer}：\n{question}\n{url}\n"
    "链接 {days} 天内有效，只能填写一次。"
)


def survey_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"


async def send_page_survey(
    survey: Survey,
    *,
    tenant: TenantInfo,
    customer: Customer | None,
    base_url: str,
    now: datetime,
) -> list[OutboxMessage]:
    """Send a page survey through ``survey.recipient`` (the employee's userid); call inside
    the transaction that created the survey. Returns the outbox rows written."""
    sender = survey.recipient
    url = survey_url(base_url, survey.token)
    days = max(1, (survey.expires_at - survey.sent_at).days)
    name = f" {customer.display_name} " if customer else ""
    replies: list[Reply] = []
    if customer is not None and customer.external_userid:
        replies.append(_task(survey, tenant, customer.external_userid, url))
        text = TASK_CREATED.format(customer=name, url=url, days=days)
    else:
        text = FORWARD.format(customer=name, question=question_text(survey), url=url, days=days)
    replies.append(Reply(text, to_user=sender, channel=Channel.APP.value))
    return await enqueue(
        survey.tenant_id,
        replies,
        default_user=None,
        key_prefix=f"survey:{survey.id}:page",
        channel=Channel.APP.value,
        now=now,
        lease=FOR_ANY_SENDER,
    )


def _task(survey: Survey, tenant: TenantInfo, external_userid: str, url: str) -> Reply:
    payload = {
        "external_userid": [external_userid],
        "text": {"content": CUSTOMER_TEXT.format(organisation=tenant.name)},
        "attachments": [link_attachment(LINK_TITLE, question_text(survey), url)],
    }
    return Reply(
        kind=ReplyKind.MSG_TEMPLATE,
        to_user=survey.recipient,
        payload=payload,
        channel=MSG_TEMPLATE_CHANNEL,
    )


class MsgTemplateTransport:
    """Sends ``msg_template`` rows: the row's recipient is the member who confirms."""

    def __init__(self, client: WeComClient) -> None:
        self._client = client

    async def send(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        payload = row.payload
        text = payload.get("text", {}).get("content", "")
        task = await add_msg_template(
            self._client,
            tenant.credentials,
            sender=row.recipient,
            external_userids=list(payload.get("external_userid", [])),
            text=text,
            attachments=list(payload.get("attachments", [])),
        )
        if task.fail_list:
            # Not a contact of the sender (any more): the employee's note carries the link.
            logger.warning(
                "mass-send task %s from %s missed %s",
                row.idempotency_key,
                row.recipient,
                ", ".join(task.fail_list),
            )
        return task


def msg_template_transports(client: WeComClient) -> dict[str, Transport]:
    return {MSG_TEMPLATE_CHANNEL: Transport(MsgTemplateTransport(client).send)}
