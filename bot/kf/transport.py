"""The outbox transports of the 微信客服 channels.

``kf``: ``kf/send_msg`` to the customer at the row's kf address, one send taken from the
customer's budget first; a row over budget goes dead with the reason instead of being sent.
``kf_event``: ``kf/send_msg_on_event`` with the code of a session event (the rating menu when
a session ends), which WeCom accepts once and only within 20 seconds of the event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.kf.budget import SENDS_PER_MESSAGE, budget_for, refund, spend
from bot.outbox import Transport
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.kf import ERR_EVENT_CODE, ERR_SEND_EXPIRED, ERR_SEND_LIMIT, KfAddress, KfAPI
from models.outbox import OutboxMessage

KF_CHANNEL = "kf"
KF_EVENT_CHANNEL = "kf_event"
EVENT_CODE_LIFETIME = timedelta(seconds=20)
_BUDGET_ERRORS = frozenset({ERR_SEND_LIMIT, ERR_SEND_EXPIRED})


def event_payload(
    code: str, deadline: datetime, msgtype: str, body: dict[str, Any]
) -> dict[str, Any]:
    """The payload of a ``kf_event`` row: the event's code, when it runs out, the message."""
    return {"code": code, "deadline": deadline.isoformat(), "msgtype": msgtype, msgtype: body}


class KfTransports:
    def __init__(self, api: KfAPI, clock: Clock) -> None:
        self._api = api
        self._clock = clock

    async def send(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        to = KfAddress.parse(row.recipient)
        now = self._clock.now()
        if not await spend(tenant.id, to, now):
            raise await self._over_budget(tenant, to, now)
        # WeCom's WeChat side shows no markdown: it goes out as plain text.
        msgtype = "text" if row.msg_type == "markdown" else row.msg_type
        try:
            return await self._api.send_msg(tenant.credentials, to, msgtype, row.payload)
        except WeComAPIError as exc:
            if exc.errcode not in _BUDGET_ERRORS:
                await refund(tenant.id, to, self._clock.now())
            raise

    async def _over_budget(self, tenant: TenantInfo, to: KfAddress, now: datetime) -> Exception:
        budget = await budget_for(tenant.id, to, now)
        if budget.open_until is None or budget.open_until <= now:
            reason = "kf budget: the customer has not written in the last 48 hours; not sent"
            return WeComAPIError("kf/send_msg", ERR_SEND_EXPIRED, reason)
        reason = (
            f"kf budget: {SENDS_PER_MESSAGE} messages already sent since the customer's last "
            "message; not sent"
        )
        return WeComAPIError("kf/send_msg", ERR_SEND_LIMIT, reason)

    async def send_on_event(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        payload = row.payload
        if self._clock.now() > datetime.fromisoformat(str(payload["deadline"])):
            reason = "the 20 seconds to answer this kf event are over; not sent"
            raise WeComAPIError("kf/send_msg_on_event", ERR_EVENT_CODE, reason)
        msgtype = str(payload["msgtype"])
        return await self._api.send_msg_on_event(
            tenant.credentials, str(payload["code"]), msgtype, payload[msgtype]
        )


def kf_transports(client: WeComClient, clock: Clock) -> dict[str, Transport]:
    """The kf channels of the outbox: messages in an open session, and the one message a
    session event allows."""
    transports = KfTransports(KfAPI(client), clock)
    return {
        KF_CHANNEL: Transport(transports.send),
        KF_EVENT_CHANNEL: Transport(transports.send_on_event),
    }
