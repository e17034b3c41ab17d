"""Reading a kf account's new messages after a ``kf_msg_or_event`` callback.

Each ``kf/sync_msg`` page is stored in one transaction: the inbox rows for its messages
(deduplicated by msgid), each customer's send budget, and the account's cursor. A crash
after the commit loses nothing and the next sync starts after the page; a crash before it
reads the page again, and the inbox's unique keys turn the repeats into nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot import instance
from bot.clock import Clock
from bot.dispatch.locks import KeyedLocks
from bot.dispatch.types import Update
from bot.inbox import Inbox
from bot.kf.budget import note_customer_message
from bot.tenants import TenantInfo
from bot.wecom.kf import KfAddress, KfAPI, SyncPage
from models.inbox import InboxUpdate
from models.kf import KfCursor

logger = logging.getLogger(__name__)

MAX_PAGES = 50  # one callback's sync stops here; the next callback carries on from the cursor


async def current_cursor(tenant_id: int, open_kfid: str) -> str:
    row = await KfCursor.get_or_none(tenant_id=tenant_id, open_kfid=open_kfid)
    return row.cursor if row else ""


class KfSync:
    def __init__(self, api: KfAPI, inbox: Callable[[], Inbox | None], clock: Clock) -> None:
        self._api = api
        self._inbox = inbox  # created after the dispatcher that holds this service
        self._clock = clock
        self._locks = KeyedLocks()

    async def run(self, tenant: TenantInfo, *, token: str, open_kfid: str) -> int:
        """Read every new message of ``open_kfid`` and start handling them; returns how
        many were new. One sync per kf account at a time, so pages are read in order."""
        inbox = self._inbox()
        assert inbox is not None, "kf callbacks arrive only after start-up"
        new = 0
        async with self._locks.hold((tenant.id, open_kfid)):
            for _ in range(MAX_PAGES):
                cursor = await current_cursor(tenant.id, open_kfid)
                page = await self._api.sync_msg(
                    tenant.credentials, tenant.key, token=token, open_kfid=open_kfid, cursor=cursor
                )
                try:
                    stored = await self._store(tenant.id, open_kfid, page, inbox.lease)
                except IntegrityError:
                    # Another replica stored this page first (its callback raced ours): read
                    # on from the cursor it committed.
                    logger.info("kf page of %s stored by another process; reading on", open_kfid)
                    continue
                for row_id, update in stored:
                    inbox.process_stored(tenant, row_id, update)
                new += len(stored)
                if not page.has_more:
                    break
        return new

    async def _store(
        self, tenant_id: int, open_kfid: str, page: SyncPage, lease: timedelta
    ) -> list[tuple[int, Update]]:
        now = self._clock.now()
        async with in_transaction():
            stored = [
                (row_id, update)
                for update in page.updates
                if (row_id := await _store_update(tenant_id, update, now, lease)) is not None
            ]
            if page.next_cursor:
                await KfCursor.update_or_create(
                    defaults={"cursor": page.next_cursor, "updated_at": now},
                    tenant_id=tenant_id,
                    open_kfid=open_kfid,
                )
        return stored


async def _store_update(
    tenant_id: int, update: Update, now: datetime, lease: timedelta
) -> int | None:
    if await InboxUpdate.exists(tenant_id=tenant_id, key=update.key):
        return None
    if not update.is_event:
        to = KfAddress.parse(str(update.fields["reply_to"]))
        await note_customer_message(tenant_id, to, update.created_at)
    row = await InboxUpdate.create(
        tenant_id=tenant_id,
        key=update.key,
        payload=update.to_json(),
        received_at=now,
        lease_until=now + lease,
        lease_owner=instance.current(),
        attempts=1,  # the run started right after the commit
    )
    return int(row.id)
