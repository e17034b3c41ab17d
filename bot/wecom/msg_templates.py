"""``externalcontact/add_msg_template``: an app cannot message a customer directly; it asks
the customer's member to send, as a mass-send task the member confirms in the WeCom client
(客户联系 → 群发助手, or the reminder on the phone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.wecom.client import AppCredentials, WeComClient

API = "externalcontact/add_msg_template"


@dataclass(frozen=True, slots=True)
class MsgTemplateTask:
    msgid: str  # empty when no customer could be reached
    fail_list: tuple[str, ...]  # customers the sender cannot message


def link_attachment(title: str, desc: str, url: str) -> dict[str, Any]:
    return {"msgtype": "link", "link": {"title": title, "desc": desc, "url": url}}


async def add_msg_template(
    client: WeComClient,
    creds: AppCredentials,
    *,
    sender: str,
    external_userids: Sequence[str],
    text: str,
    attachments: Sequence[Mapping[str, Any]] = (),
) -> MsgTemplateTask:
    body: dict[str, Any] = {
        "chat_type": "single",
        "sender": sender,
        "external_userid": list(external_userids),
        "text": {"content": text},
    }
    if attachments:
        body["attachments"] = [dict(a) for a in attachments]
    result = await client.call(creds, API, json=body)
    failed = result.get("fail_list") or []
    return MsgTemplateTask(str(result.get("msgid") or ""), tuple(str(f) for f in failed))
