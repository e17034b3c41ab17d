"""After a card button is clicked, the card says so: the button greys out with a new label.

A template_card_event carries a ResponseCode that WeCom takes once, within 72 hours, in
``message/update_template_card``. The update is an outbox row (channel ``card_update``)
written in the click handler's transaction, so it goes out exactly when the click's effect
is stored, and is retried like any message.
"""

from __future__ import annotations

from typing import Any

from bot.dispatch.context import Context
from bot.dispatch.types import Reply, ReplyKind
from bot.outbox import OutboxSender, Transport
from bot.tenants import TenantInfo
from bot.wecom.client import WeComClient
from models.outbox import OutboxMessage

CHANNEL = "card_update"


def mark_clicked(ctx: Context, label: str) -> None:
    """Replace the clicked card's buttons with ``label`` (e.g. 已完成) for the clicker.
    Nothing happens for a click WeCom gave no ResponseCode."""
    code = str(ctx.update.fields.get("ResponseCode") or "")
    if code and ctx.update.user_id:
        payload = {"response_code": code, "replace_name": label}
        ctx.replies.append(
            Reply(
                kind=ReplyKind.CARD_UPDATE,
                to_user=ctx.update.user_id,
                payload=payload,
                channel=CHANNEL,
            )
        )


def add_card_update_transport(sender: OutboxSender, client: WeComClient) -> None:
    async def send(tenant: TenantInfo, row: OutboxMessage) -> dict[str, Any]:
        creds = tenant.credentials
        body = {
            "userids": [row.recipient],
            "agentid": creds.agent_id,
            "response_code": row.payload["response_code"],
            "button": {"replace_name": row.payload["replace_name"]},
        }
        return await client.call(creds, "message/update_template_card", json=body)

    sender.add_transport(CHANNEL, Transport(send))
