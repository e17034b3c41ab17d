"""Settling handovers that no callback settled, from WeCom's transfer_result.

Callbacks settle most handovers, but not all: WeCom sends no add_external_contact when the
takeover already had the customer, a callback can be lost while the bot is down, and
transfer_fail names only the takeover, not whose handover failed. So handovers still pending
after ``SETTLE_AFTER`` are looked up with transfer_result, one call per (handover, takeover)
pair, and settled the way the callbacks would have settled them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from bot.crm.book import add_note, end_follow, ensure_employee
from bot.crm.transfers import TRANSFERRED_NOTE, complete_transfer, failed_notice, mark_failed
from bot.dispatch.types import Channel, Reply
from bot.notices import notify_admins
from bot.outbox import enqueue
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from bot.wecom.contacts import TransferState, transfer_states
from models.crm.customers import FollowerStatus, NoteKind
from models.crm.ops import CustomerTransfer, TransferKind, TransferStatus
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

# Long enough for the callbacks to arrive first; WeCom itself takes up to a day.
SETTLE_AFTER = timedelta(hours=1)
DONE, WAITING = 1, 2
RESULT_REASONS = {
    3: "客户拒绝了转接",
    4: "接替的同事客户数已达上限",
    5: "企业微信没有这次转接的记录",
}
Pair = tuple[TransferKind, str, str]
PendingByPair = dict[Pair, dict[str, CustomerTransfer]]  # external_userid -> its handover


async def settle_pending_transfers(
    client: WeComClient, tenant: TenantInfo, now: datetime, lease: timedelta
) -> list[OutboxMessage]:
    """Ask WeCom about every handover pending since before ``now - SETTLE_AFTER``; returns
    the notices written (failures tell the initiator and the admins)."""
    rows: list[OutboxMessage] = []
    for pair, by_customer in (await _pending_by_pair(tenant.id, now)).items():
        kind, handover, takeover = pair
        try:
            states = await transfer_states(
                client,
                tenant.credentials,
                handover,
                takeover,
                resigned=kind is TransferKind.RESIGNED,
            )
        except WeComAPIError as exc:
            logger.warning("transfer_result %s→%s for %s: %s", handover, takeover, tenant.key, exc)
            continue
        for state in states:
            transfer = by_customer.get(state.external_userid)
            if transfer is not None and state.status != WAITING:
                async with in_transaction():
                    rows += await _settle(tenant, transfer, state, now, lease)
    return rows


async def _pending_by_pair(
    tenant_id: int, now: datetime
) -> dict[Pair, dict[str, CustomerTransfer]]:
    pending = await CustomerTransfer.filter(
        tenant_id=tenant_id, status=TransferStatus.PENDING, created_at__lte=now - SETTLE_AFTER
    ).prefetch_related("customer")
    pairs: PendingByPair = defaultdict(dict)
    for transfer in pending:
        external_userid = transfer.customer.external_userid
        if external_userid:
            pair = (transfer.kind, transfer.handover_userid, transfer.takeover_userid)
            pairs[pair][external_userid] = transfer
    return pairs


async def _settle(
    tenant: TenantInfo,
    transfer: CustomerTransfer,
    state: TransferState,
    now: datetime,
    lease: timedelta,
) -> list[OutboxMessage]:
    customer = transfer.customer
    if state.status == DONE:
        handover = await ensure_employee(tenant.id, transfer.handover_userid, now)
        await end_follow(customer, handover, FollowerStatus.TRANSFERRED, now)
        await complete_transfer(customer, transfer.handover_userid, now)
        note = TRANSFERRED_NOTE.format(
            handover=handover.name or handover.userid, takeover=transfer.takeover_userid
        )
        await add_note(customer, NoteKind.TRANSFER, note, now)
        return []
    reason = RESULT_REASONS.get(state.status, f"企业微信返回接替状态 {state.status}")
    await mark_failed(transfer, reason, now)
    text = failed_notice(customer, transfer)
    key = f"transfer:{transfer.id}:failed"
    rows = list(await notify_admins(tenant, text, key=key, now=now))
    if transfer.initiator_userid not in {row.recipient for row in rows}:
        rows += await enqueue(
            tenant.id,
            [Reply(text, to_user=transfer.initiator_userid)],
            default_user=None,
            key_prefix=key,
            channel=Channel.APP.value,
            now=now,
            lease=lease,
        )
    return rows
