"""Handovers of customers between employees: asked of WeCom, settled by its callbacks.

An on-the-job handover (转交) waits for the customer: WeCom moves them after 24 hours unless
they refuse. A departed employee's customers (离职交接) move without asking. Either way the
old relationship ends with del_external_contact (Source DELETE_BY_TRANSFER), or the attempt
ends with transfer_fail; ownership changes only then. Handovers no callback settled are
settled from WeCom's transfer_result by ``bot.crm.transfer_poll``.
"""

from __future__ import annotations

from datetime import datetime

from bot.crm.book import ensure_employee
from models.crm.customers import Customer
from models.crm.ops import CustomerTransfer, TransferKind, TransferStatus

FAIL_REASONS = {
    "customer_refused": "客户拒绝了转接",
    "customer_limit_exceed": "接替的同事客户数已达上限",
}
TRANSFERRED_NOTE = "已由 {handover} 转交给 {takeover}"
FAILED_NOTICE = "客户{name}转交给 {takeover} 失败：{reason}。客户仍由 {handover} 跟进。"
# Per-customer answers of transfer_customer (0 means WeCom started the handover).
API_REASONS = {
    84061: "不是原跟进人的客户",
    40097: "原跟进人尚未离职",
}


def reason_text(code: int | str) -> str:
    if isinstance(code, str):
        return FAIL_REASONS.get(code, f"企业微信返回：{code}")
    return API_REASONS.get(code, f"企业微信返回错误码 {code}")


async def record_transfer(
    customer: Customer,
    kind: TransferKind,
    handover: str,
    takeover: str,
    initiator: str,
    errcode: int,
    now: datetime,
) -> CustomerTransfer:
    return await CustomerTransfer.create(
        tenant_id=customer.tenant_id,
        customer_id=customer.id,
        kind=kind,
        handover_userid=handover,
        takeover_userid=takeover,
        initiator_userid=initiator,
        status=TransferStatus.PENDING if errcode == 0 else TransferStatus.FAILED,
        reason="" if errcode == 0 else reason_text(errcode),
        created_at=now,
        settled_at=None if errcode == 0 else now,
    )


async def _pending(customer: Customer, handover: str | None = None) -> CustomerTransfer | None:
    query = CustomerTransfer.filter(
        tenant_id=customer.tenant_id, customer_id=customer.id, status=TransferStatus.PENDING
    )
    if handover is not None:
        query = query.filter(handover_userid=handover)
    return await query.order_by("-created_at", "-id").first()


async def complete_transfer(
    customer: Customer, handover: str, now: datetime
) -> CustomerTransfer | None:
    """WeCom moved the customer away from ``handover``: the new member becomes owner."""
    transfer = await _pending(customer, handover)
    if transfer is None:
        return None
    await CustomerTransfer.filter(id=transfer.id).update(status=TransferStatus.DONE, settled_at=now)
    takeover = await ensure_employee(customer.tenant_id, transfer.takeover_userid, now)
    await Customer.filter(id=customer.id).update(owner_id=takeover.id, updated_at=now)
    customer.owner_id = takeover.id
    transfer.status = TransferStatus.DONE
    return transfer


async def fail_transfer(
    customer: Customer, fail_reason: str, now: datetime
) -> CustomerTransfer | None:
    """transfer_fail names only the takeover, so the customer's latest pending handover is
    the one that failed."""
    transfer = await _pending(customer)
    if transfer is None:
        return None
    await mark_failed(transfer, reason_text(fail_reason), now)
    return transfer


async def mark_failed(transfer: CustomerTransfer, reason: str, now: datetime) -> None:
    await CustomerTransfer.filter(id=transfer.id).update(
        status=TransferStatus.FAILED, reason=reason, settled_at=now
    )
    transfer.status, transfer.reason = TransferStatus.FAILED, reason


def failed_notice(customer: Customer, transfer: CustomerTransfer) -> str:
    return FAILED_NOTICE.format(
        name=customer.display_name,
        takeover=transfer.takeover_userid,
        reason=transfer.reason,
        handover=transfer.handover_userid,
    )
