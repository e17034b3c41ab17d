"""微信客服 (kf) over the WeCom API: reading messages with ``kf/sync_msg`` and turning them
into ``Update`` values, and the calls that answer customers (docs 94670, 94677, 95122, 94669).

A kf customer is not an employee: updates carry ``user_id=None`` and name the customer in
``fields`` (``external_userid``, ``open_kfid``), with ``fields["reply_to"]`` set to the kf
address ``"<open_kfid>|<external_userid>"`` that the kf outbox transport understands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.dispatch.types import Channel, Update
from bot.wecom.client import AppCredentials, WeComClient

# sync_msg "origin": 3 a message from the customer, 4 a system event, 5 a servicer's reply
# from the WeCom client (not ours to handle).
ORIGIN_CUSTOMER = 3
ORIGIN_EVENT = 4
SYNC_PAGE_SIZE = 1000
# session_status_change change_type (doc 94670): 1 taken from the queue, 2 transferred,
# 3 ended, 4 an ended session picked up again.
SESSION_ENDED = "3"
SERVICE_STATE_SERVICER = 3  # kf/service_state: "由人工接待"
# send_msg's budget errors (doc 94677 / the global error codes): too many messages since the
# customer last wrote, and more than 48 hours since then. Retrying cannot help either.
ERR_SEND_LIMIT = 95001
ERR_SEND_EXPIRED = 95002
# send_msg_on_event with a code that is used up or past its 20 seconds.
ERR_EVENT_CODE = 95018


@dataclass(frozen=True, slots=True)
class KfAddress:
    """Where a kf message goes: one customer on one kf account."""

    open_kfid: str
    external_userid: str

    def __str__(self) -> str:
        return f"{self.open_kfid}|{self.external_userid}"

    @classmethod
    def parse(cls, text: str) -> KfAddress:
        open_kfid, sep, external_userid = text.partition("|")
        if not sep or not open_kfid or not external_userid or "|" in external_userid:
            raise ValueError(f"not a kf address: {text!r}")
        return cls(open_kfid, external_userid)


@dataclass(frozen=True, slots=True)
class SyncPage:
    updates: tuple[Update, ...]
    next_cursor: str
    has_more: bool


def _sent_at(item: Mapping[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(item.get("send_time", 0)), UTC)


def _customer_message(tenant_key: str, item: Mapping[str, Any]) -> Update:
    msgtype = str(item.get("msgtype", ""))
    found = item.get(msgtype)
    body: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    address = KfAddress(str(item["open_kfid"]), str(item["external_userid"]))
    fields: dict[str, Any] = {
        "msgid": str(item["msgid"]),
        "open_kfid": address.open_kfid,
        "external_userid": address.external_userid,
        "reply_to": str(address),
    }
    if msgtype == "text" and body.get("menu_id"):
        fields["menu_id"] = str(body["menu_id"])
    return Update(
        tenant_key=tenant_key,
        channel=Channel.KF,
        key=f"kf:{item['msgid']}",
        msg_type=msgtype,
        created_at=_sent_at(item),
        text=str(body.get("content", "")).strip() if msgtype == "text" else "",
        fields=fields,
    )


def _event(tenant_key: str, item: Mapping[str, Any]) -> Update | None:
    event = item.get("event")
    if not isinstance(event, Mapping) or not event.get("external_userid"):
        return None
    address = KfAddress(str(event.get("open_kfid", "")), str(event["external_userid"]))
    fields = {str(k): v for k, v in event.items() if isinstance(v, str | int)}
    fields.update(msgid=str(item["msgid"]), reply_to=str(address))
    change_type = event.get("change_type")
    return Update(
        tenant_key=tenant_key,
        channel=Channel.KF,
        key=f"kf:{item['msgid']}",
        msg_type="event",
        created_at=_sent_at(item),
        event=str(event.get("event_type", "")),
        change_type=None if change_type is None else str(change_type),
        fields=fields,
    )


def parse_sync_item(tenant_key: str, item: Mapping[str, Any]) -> Update | None:
    """One ``msg_list`` entry as an update, or None for what the bot does not handle
    (servicers' own replies, events about no customer, malformed entries)."""
    try:
        if item.get("origin") == ORIGIN_CUSTOMER and item.get("msgtype") != "event":
            return _customer_message(tenant_key, item)
        if item.get("msgtype") == "event":
            return _event(tenant_key, item)
    except (KeyError, ValueError, TypeError):
        return None
    return None


def parse_sync_page(tenant_key: str, result: Mapping[str, Any]) -> SyncPage:
    items = result.get("msg_list") or []
    updates = [parse_sync_item(tenant_key, item) for item in items if isinstance(item, Mapping)]
    return SyncPage(
        updates=tuple(u for u in updates if u is not None),
        next_cursor=str(result.get("next_cursor", "")),
        has_more=bool(result.get("has_more")),
    )


class KfAPI:
    """The kf calls the bot makes, on the tenant's self-built app (it must be listed under
    微信客服 > 可调用接口的应用)."""

    def __init__(self, client: WeComClient) -> None:
        self._client = client

    async def sync_msg(
        self, creds: AppCredentials, tenant_key: str, *, token: str, open_kfid: str, cursor: str
    ) -> SyncPage:
        body: dict[str, Any] = {"token": token, "open_kfid": open_kfid, "limit": SYNC_PAGE_SIZE}
        if cursor:
            body["cursor"] = cursor
        result = await self._client.call(creds, "kf/sync_msg", json=body)
        return parse_sync_page(tenant_key, result)

    async def send_msg(
        self, creds: AppCredentials, to: KfAddress, msgtype: str, content: Mapping[str, Any]
    ) -> dict[str, Any]:
        body = {
            "touser": to.external_userid,
            "open_kfid": to.open_kfid,
            "msgtype": msgtype,
            msgtype: dict(content),
        }
        return await self._client.call(creds, "kf/send_msg", json=body)

    async def send_msg_on_event(
        self, creds: AppCredentials, code: str, msgtype: str, content: Mapping[str, Any]
    ) -> dict[str, Any]:
        body = {"code": code, "msgtype": msgtype, msgtype: dict(content)}
        return await self._client.call(creds, "kf/send_msg_on_event", json=body)

    async def hand_to_servicer(
        self, creds: AppCredentials, to: KfAddress, servicer_userid: str = ""
    ) -> dict[str, Any]:
        """Move the session to a person: to ``servicer_userid``, or to the queue (state 2)
        when none is named, where the next free servicer takes it."""
        body: dict[str, Any] = {"open_kfid": to.open_kfid, "external_userid": to.external_userid}
        if servicer_userid:
            body.update(service_state=SERVICE_STATE_SERVICER, servicer_userid=servicer_userid)
        else:
            body["service_state"] = 2
        return await self._client.call(creds, "kf/service_state/trans", json=body)

    async def service_state(self, creds: AppCredentials, to: KfAddress) -> tuple[int, str]:
        body = {"open_kfid": to.open_kfid, "external_userid": to.external_userid}
        result = await self._client.call(creds, "kf/service_state/get", json=body)
        return int(result.get("service_state", 0)), str(result.get("servicer_userid", ""))


def menu_payload(head: str, items: Sequence[tuple[str, str]], tail: str = "") -> dict[str, Any]:
    """A ``msgmenu`` body: one click item per (id, text)."""
    return {
        "head_content": head,
        "list": [{"type": "click", "click": {"id": i, "content": text}} for i, text in items],
        "tail_content": tail,
    }
