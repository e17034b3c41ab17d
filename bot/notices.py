"""One way to tell a tenant's admins something: ``notify_admins``.

Renewal and upgrade notices, churn alerts, low survey scores and SLA breaches all come through
here, so where admin notices go is decided in one place:

1. the admins' group, through its group webhook robot, when the tenant configures a
   ``webhook_key`` (one markdown message; the webhook transport paces to the robot's 20 a
   minute, so a burst waits rather than drops);
2. else an app group chat (``appchat``) when it configures ``admin_chat_id``;
3. else 1:1 to each admin through the app.

Each notice has a ``key``; the outbox keeps one row per key, so calling twice for the same key
(a retried update, two replicas running the same sweep) sends it once.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.crm.book import admin_userids
from bot.dispatch.types import Channel, Reply, ReplyKind
from bot.outbox import enqueue
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.markdown import escape_markdown
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

# Notice rows are claimed by whichever process's outbox sweep runs next (at most seconds
# later), so a notice written by the CLI or a scheduler job needs no sender of its own.
FOR_ANY_SENDER = timedelta(0)


class NoticeRoute(StrEnum):
    WEBHOOK = "webhook"  # the group webhook robot (webhook/send)
    APPCHAT = "appchat"  # an app group chat (appchat/send)
    ADMINS = "app"  # 1:1 to each admin (message/send)


def route_of(tenant: TenantInfo) -> NoticeRoute:
    if tenant.aibot.webhook_key:
        return NoticeRoute.WEBHOOK
    if tenant.aibot.admin_chat_id:
        return NoticeRoute.APPCHAT
    return NoticeRoute.ADMINS


async def notice_replies(tenant: TenantInfo, text: str) -> list[Reply]:
    """``text`` addressed wherever the tenant's admin notices go; [] when there is nobody to
    tell. Handlers add these to their replies (``ctx.replies.extend``) when the notice
    belongs to the update they handle; everything else calls ``notify_admins``.

    ``text`` is plain text (it carries customers' and members' words); the webhook robot
    renders markdown, so there it goes escaped."""
    route = route_of(tenant)
    if route is NoticeRoute.WEBHOOK:
        return [
            Reply(
                escape_markdown(text),
                ReplyKind.MARKDOWN,
                to_user=tenant.aibot.webhook_key,
                channel=NoticeRoute.WEBHOOK.value,
            )
        ]
    if route is NoticeRoute.APPCHAT:
        chat = tenant.aibot.admin_chat_id
        return [Reply(text, to_user=chat, channel=NoticeRoute.APPCHAT.value)]
    channel = Channel.APP.value
    return [Reply(text, to_user=user, channel=channel) for user in await admin_userids(tenant)]


async def anyone_to_tell(tenant: TenantInfo) -> bool:
    """False only when notices would go 1:1 and the tenant has no admin yet."""
    return route_of(tenant) is not NoticeRoute.ADMINS or bool(await admin_userids(tenant))


def told(replies: Sequence[Reply]) -> list[str]:
    """Who notices reached, for the record: admins by userid, a group by its route (never
    the webhook key: it is a secret)."""
    return [
        str(reply.to_user) if reply.channel == Channel.APP.value else str(reply.channel)
        for reply in replies
    ]


async def notify_admins(
    tenant: TenantInfo,
    text: str,
    *,
    key: str,
    now: datetime,
    lease: timedelta = FOR_ANY_SENDER,
) -> Sequence[OutboxMessage]:
    """Queue ``text`` for the tenant's admins, once per ``key``; call inside the caller's
    transaction. Returns the rows written (none when the key was used before). A caller that
    sends the rows itself straight away passes its sender's ``lease``."""
    return await enqueue(
        tenant.id,
        await notice_replies(tenant, text),
        default_user=None,
        key_prefix=f"notice:{key}",
        channel=Channel.APP.value,
        now=now,
        lease=lease,
    )


async def tenant_for_notices(tenant_id: int) -> TenantInfo | None:
    """A tenant as ``notify_admins`` needs it, for callers that hold only its id."""
    return await TenantDirectory(ttl=0).get_by_id(tenant_id)


def image_payload(png: bytes, media_id: str | None) -> dict[str, str]:
    """An image reply's payload: the uploaded media, or for the group webhook robot (which
    takes the picture itself, not a media_id) the bytes and their MD5."""
    if media_id is not None:
        return {"media_id": media_id}
    return {
        "base64": base64.b64encode(png).decode(),
        "md5": hashlib.md5(png, usedforsecurity=False).hexdigest(),
    }


async def with_chart(
    tenant: TenantInfo, client: WeComClient, texts: Sequence[Reply], png: bytes, name: str
) -> list[Reply] | None:
    """Each notice text followed by the chart, to the same place. The picture is uploaded
    once (WeCom's media id serves every recipient); None when the upload failed, for the
    caller to try again at its next tick."""
    media_id = None
    if route_of(tenant) is not NoticeRoute.WEBHOOK:
        try:
            media_id = await client.upload_media(tenant.credentials, "image", name, png)
        except WeComAPIError as exc:
            logger.error("chart %s for %s not uploaded (retried later): %s", name, tenant.key, exc)
            return None
    replies: list[Reply] = []
    for text in texts:
        image = Reply(
            kind=ReplyKind.IMAGE,
            to_user=text.to_user,
            payload=image_payload(png, media_id),
            channel=text.channel,
        )
        replies += [text, image]
    return replies


async def queue_once(
    tenant: TenantInfo, replies: Sequence[Reply], key: str, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """A periodic notice's rows, in one transaction, under ``key`` (which names the period):
    the outbox's unique keys make a second replica's identical enqueue write nothing, and
    one racing it to the same insert gets nothing rather than an error."""
    try:
        async with in_transaction():
            return await enqueue(
                tenant.id,
                replies,
                default_user=None,
                key_prefix=key,
                channel=Channel.APP.value,
                now=now,
                lease=lease,
            )
    except IntegrityError:
        return []
