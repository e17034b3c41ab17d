"""Outbox transports beyond the app's message/send, registered at start-up.

- ``aibot``: answers to group-bot callbacks that missed the passive reply, POSTed once to
  the callback's ``response_url`` (one use, valid for an hour: doc 101138). The row's
  recipient is the update's key; the URL is read from the stored inbox update.
- ``webhook``: a group webhook robot (recipient: its key), at most 20 messages a minute.
- ``appchat``: an app group chat made with appchat/create (recipient: its chatid).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.clock import Clock
from bot.dispatch.types import Update
from bot.outbox import UNDELIVERABLE, OutboxSender, Transport
from bot.passive import PASSIVE_KINDS, joined_text, mark_sent
from bot.tenants import TenantInfo
from bot.wecom.aibot import REPLY_KEY_PREFIX
from bot.wecom.client import WeComAPIError, WeComClient
from models.inbox import InboxUpdate
from models.outbox import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

RESPONSE_URL_LIFETIME = timedelta(hours=1)
WEBHOOK_PER_MINUTE = 20  # WeCom's limit for one group webhook robot
_RETRYABLE = frozenset({-1, 45009, 45033})  # busy or unreachable: the URL was not used


def register_transports(sender: OutboxSender, client: WeComClient, clock: Clock) -> None:
    aibot = AibotTransport(client, clock, sender.message_send_body)
    sender.add_transport("aibot", Transport(aibot.send))
    sender.add_transport("webhook", Transport(WebhookTransport(client).send, WEBHOOK_PER_MINUTE))
    sender.add_transport("appchat", Transport(AppchatTransport(client).send))


# The message/send body for a row, with WeCom's duplicate check when the row may repeat a send.
SendBody = Callable[[OutboxMessage, dict[str, Any]], dict[str, Any]]


def _message(row: OutboxMessage) -> dict[str, Any]:
    return {"msgtype": row.msg_type, row.msg_type: row.payload}


class WebhookTransport:
    def __init__(self, client: WeComClient) -> None:
        self._client = client

    async def send(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        return await self._client.send_webhook(row.recipient, _message(row))


class AppchatTransport:
    def __init__(self, client: WeComClient) -> None:
        self._client = client

    async def send(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        message = {"chatid": row.recipient, **_message(row)}
        return await self._client.send_appchat(tenant.credentials, message)


class AibotTransport:
    """One POST per answer: a response_url takes one message, so every unsent text of the
    same answer goes out together with the first, and the rest are then already sent."""

    def __init__(self, client: WeComClient, clock: Clock, message_send_body: SendBody) -> None:
        self._client = client
        self._clock = clock
        self._message_send_body = message_send_body

    async def send(self, tenant: TenantInfo, row: OutboxMessage) -> object:
        if not row.recipient.startswith(REPLY_KEY_PREFIX):
            # A reply a handler addressed to a person: the app reaches them 1:1.
            message = {"touser": row.recipient, **_message(row)}
            body = self._message_send_body(row, message)
            return await self._client.send_message(tenant.credentials, body)
        batch = await self._unsent_batch(row)
        if not batch:
            return None  # it went out together with an earlier part of the same answer
        url = await self._response_url(row)
        try:
            result = await self._client.respond(url, _combined(batch))
        except WeComAPIError as exc:
            if exc.errcode in _RETRYABLE:
                raise
            raise WeComAPIError(exc.api, UNDELIVERABLE, str(exc)) from exc
        await mark_sent([other for other in batch if other.id != row.id], self._clock.now())
        return result

    async def _unsent_batch(self, row: OutboxMessage) -> list[OutboxMessage]:
        pending = (
            await OutboxMessage.filter(
                tenant_id=row.tenant_id,
                channel=row.channel,
                recipient=row.recipient,
                status=OutboxStatus.PENDING,
            )
            .order_by("id")
            .all()
        )
        if row.id not in {other.id for other in pending}:
            return []
        if row.msg_type not in PASSIVE_KINDS:
            return [row]
        return [other for other in pending if other.msg_type in PASSIVE_KINDS]

    async def _response_url(self, row: OutboxMessage) -> str:
        stored = await InboxUpdate.get_or_none(tenant_id=row.tenant_id, key=row.recipient)
        if stored is None:
            raise WeComAPIError("aibot/response", UNDELIVERABLE, "the callback is not stored")
        url = str(Update.from_json(stored.payload).fields.get("response_url", ""))
        if not url:
            raise WeComAPIError("aibot/response", UNDELIVERABLE, "the callback had no response_url")
        age = self._clock.now() - stored.received_at
        if age >= RESPONSE_URL_LIFETIME:
            logger.warning(
                "answer %s came %s after its group-bot callback: response_url has expired "
                "(valid for %s), the answer is dropped",
                row.idempotency_key,
                age,
                RESPONSE_URL_LIFETIME,
            )
            raise WeComAPIError("aibot/response", UNDELIVERABLE, "response_url expired")
        return url


def _combined(batch: list[OutboxMessage]) -> dict[str, Any]:
    first = batch[0]
    if first.msg_type not in PASSIVE_KINDS:
        return _message(first)
    return {"msgtype": "markdown", "markdown": {"content": joined_text(batch)}}
