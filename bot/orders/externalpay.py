"""Reconciling orders with WeCom 对外收款 (``externalpay/get_bill_list``).

Per tenant the sync pages every bill paid since where it stopped (``ExternalPaySync``), in
windows of at most 30 days (WeCom allows one month) and Unix **seconds**. The window being
paged and its cursor are stored after every page, so a run that stopped resumes where it
was. Each run also looks again at the last ``RECHECK`` days, because refunds arrive on bills
already seen.

A paid bill (trade_state 1 or 3) is stored once, by its transaction id: as a collection of
the one confirmed order of the paying customer (the customer whose ``external_userid`` paid)
that lacks exactly the bill's amount, or else as a ``PendingBill`` waiting for the owner —
unknown payer, no such order, or several. A refund with refund_status 2 (退款成功) lowers
what the order has been paid once, by its out_refund_no. A 48002 answer (the app is not
allowed to read 对外收款) is recorded and the tenant is left alone for ``BLOCKED_FOR``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.dispatch.types import Channel, Reply
from bot.notices import notify_admins
from bot.orders.bill_question import ask
from bot.orders.moves import complete_if_done
from bot.orders.paid import add_collected, add_refunded
from bot.orders.timeline import on_timeline
from bot.orders.view import payments_of
from bot.orders.wording import day_words
from bot.outbox import enqueue
from bot.subscription.money import format_fen
from bot.subscription.service import Billing
from bot.tenants import TenantDirectory, TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.crm.customers import Customer
from models.orders import (
    Collection,
    CollectionSource,
    ExternalPaySync,
    Order,
    OrderState,
    PendingBill,
    PendingBillReason,
    Refund,
)
from models.tenants import Employee, Tenant

log = logging.getLogger(__name__)

API = "externalpay/get_bill_list"
WINDOW = timedelta(days=30)
RECHECK = timedelta(days=30)  # refunds show up on bills paid this long ago
FIRST_LOOKBACK = timedelta(days=30)  # a tenant's first run starts this far back
BLOCKED_FOR = timedelta(hours=1)
FORBIDDEN = 48002
PAGE_LIMIT = 1000
PAID_STATES = (1, 3)  # 已完成, 已完成有退款
REFUND_SUCCESS = 2
METHOD = "对外收款"
_ORDER_TAIL = re.compile(r"订单\s*[#第]?\s*(\d{1,6})")
ORDERS = "orders"
QUEUED = "【待认领收款】{who} 通过对外收款付了 {amount}（{when}），{why}，没有自动记账。"
LOOK = "{orders}发送「待认领收款」查看。"
MAYBE = "可能是 {numbers} 中的一个。"
WHY = {
    PendingBillReason.UNKNOWN_PAYER: "付款人不在客户库",
    PendingBillReason.NO_ORDER: "没有已确认订单正好差这个数",
    PendingBillReason.SEVERAL_ORDERS: "有几个订单都差这个数",
}


@dataclass(slots=True)
class BillSyncReport:
    started: bool = True
    resumed: bool = False
    windows: int = 0
    pages: int = 0
    bills: int = 0
    collected: int = 0
    queued: int = 0
    refunds: int = 0
    forbidden: bool = False
    blocked_until: datetime | None = None


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: Any) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC)


async def sync_bills(
    client: WeComClient,
    tenant: TenantInfo,
    clock: Clock,
    *,
    since: datetime | None = None,
    limit: int = PAGE_LIMIT,
) -> BillSyncReport:
    """One run for one tenant; ``since`` starts a new run that far back (the CLI's
    ``--since``); ``limit`` is the page size. Raises ``WeComAPIError`` for an error other
    than 48002."""
    now = clock.now().replace(microsecond=0)
    state, _ = await ExternalPaySync.get_or_create(
        tenant_id=tenant.id, defaults={"updated_at": now}
    )
    report = BillSyncReport()
    if since is None and state.blocked_until is not None and state.blocked_until > now:
        report.forbidden, report.blocked_until = True, state.blocked_until
        return report
    if state.target_end is not None and since is None:
        report.resumed = True
    else:
        begin = since or (
            state.synced_until - RECHECK if state.synced_until else now - FIRST_LOOKBACK
        )
        state.window_begin, state.target_end, state.cursor = begin, now, ""
        await _save(state, now)
    today = now.astimezone(tenant.timezone).date()
    try:
        await _page_windows(client, tenant, state, report, now, today, limit)
    except WeComAPIError as exc:
        if exc.errcode != FORBIDDEN:
            raise
        state.blocked_until = now + BLOCKED_FOR
        state.last_error = f"{exc.errcode} {exc.errmsg}"[:200]
        await _save(state, now)
        log.warning(
            "对外收款 of %s refused (48002); next try after %s", tenant.key, state.blocked_until
        )
        report.forbidden, report.blocked_until = True, state.blocked_until
    return report


async def _save(state: ExternalPaySync, now: datetime) -> None:
    state.updated_at = now
    await state.save()


async def _page_windows(
    client: WeComClient,
    tenant: TenantInfo,
    state: ExternalPaySync,
    report: BillSyncReport,
    now: datetime,
    today: date,
    limit: int,
) -> None:
    while state.window_begin is not None and state.target_end is not None:
        begin, target = state.window_begin, state.target_end
        end = min(begin + WINDOW, target)
        body: dict[str, Any] = {
            "begin_time": _seconds(begin),
            "end_time": _seconds(end),
            "limit": limit,
        }
        if state.cursor:
            body["cursor"] = state.cursor
        else:
            report.windows += 1
        answer = await client.call(tenant.credentials, API, json=body)
        report.pages += 1
        for bill in answer.get("bill_list") or []:
            await _take_bill(tenant, bill, report, now, today)
        cursor = str(answer.get("next_cursor") or "")
        if cursor and answer.get("bill_list") is not None:
            state.cursor = cursor
        elif end >= target:
            state.synced_until, state.window_begin, state.target_end = target, None, None
            state.cursor, state.blocked_until, state.last_error = "", None, ""
        else:
            state.window_begin, state.cursor = end, ""
        await _save(state, now)


async def _take_bill(
    tenant: TenantInfo, bill: dict[str, Any], report: BillSyncReport, now: datetime, today: date
) -> None:
    if bill.get("trade_state") not in PAID_STATES or not bill.get("transaction_id"):
        return
    report.bills += 1
    transaction_id = str(bill["transaction_id"])
    try:
        async with in_transaction():
            collection = await Collection.get_or_none(
                tenant_id=tenant.id, external_id=transaction_id
            )
            pending = await PendingBill.get_or_none(
                tenant_id=tenant.id, transaction_id=transaction_id
            )
            if collection is None and pending is None:
                collection, pending = await _place(tenant, bill, now, today)
                if collection is not None:
                    report.collected += 1
                else:
                    report.queued += 1
            if collection is not None:
                report.refunds += await _refunds(tenant, bill, collection, now, today)
            elif pending is not None:
                pending.refunded_fen = _refunded(bill)
                pending.refunds = refund_items(bill)
                await pending.save(update_fields=["refunded_fen", "refunds"])
    except IntegrityError:
        # Another replica (or the CLI) wrote the same bill or refund first.
        log.info("对外收款 bill %s of %s was taken by another run", transaction_id, tenant.key)


def _refunded(bill: dict[str, Any]) -> int:
    return sum(item["fee"] for item in refund_items(bill))


def refund_items(bill: dict[str, Any]) -> list[dict[str, Any]]:
    """The bill's successful refunds, as a pending bill keeps them until it is claimed."""
    items = []
    for item in bill.get("refund_list") or []:
        number = str(item.get("out_refund_no") or "")
        fee = int(item.get("refund_fee") or 0)
        if item.get("refund_status") != REFUND_SUCCESS or not number or fee <= 0:
            continue
        items.append(
            {
                "no": number[:64],
                "fee": fee,
                "at": item.get("refund_reqtime"),
                "comment": str(item.get("refund_comment") or "")[:200],
            }
        )
    return items


async def _place(
    tenant: TenantInfo, bill: dict[str, Any], now: datetime, today: date
) -> tuple[Collection | None, PendingBill | None]:
    amount = int(bill.get("total_fee") or 0)
    paid_at = _moment(bill.get("pay_time") or _seconds(now))
    external_userid = str(bill.get("external_userid") or "")
    customer = None
    if external_userid:
        customer = await Customer.get_or_none(tenant_id=tenant.id, external_userid=external_userid)
    reason = PendingBillReason.UNKNOWN_PAYER
    candidates: list[str] = []
    if customer is not None:
        orders = await Order.filter(
            tenant_id=tenant.id, customer_id=customer.id, state=OrderState.CONFIRMED
        ).order_by("id")
        progress = await payments_of(orders, today)
        named = named_in_remark(str(bill.get("remark") or ""), orders)
        if named is not None and amount <= progress[named.id].outstanding_fen:
            # 「订单 DD-20261123-0001 首付」: the payer said which order, a part payment too
            return await _collect(tenant, named, bill, amount, paid_at, now, today), None
        fitting = [o for o in orders if progress[o.id].outstanding_fen == amount]
        if len(fitting) == 1:
            return await _collect(tenant, fitting[0], bill, amount, paid_at, now, today), None
        reason = PendingBillReason.SEVERAL_ORDERS if fitting else PendingBillReason.NO_ORDER
        candidates = [o.number for o in fitting]
    pending = await PendingBill.create(
        tenant_id=tenant.id,
        transaction_id=str(bill["transaction_id"]),
        out_trade_no=str(bill.get("out_trade_no") or "")[:64],
        external_userid=external_userid[:64],
        customer_id=customer.id if customer else None,
        payee_userid=str(bill.get("payee_userid") or "")[:64],
        amount_fen=amount,
        refunded_fen=_refunded(bill),
        refunds=refund_items(bill),
        remark=str(bill.get("remark") or "")[:200],
        reason=reason,
        paid_at=paid_at,
        created_at=now,
    )
    await _tell_owner(tenant, pending, customer, candidates, now, today)
    return None, pending


async def _tell_owner(
    tenant: TenantInfo,
    pending: PendingBill,
    customer: Customer | None,
    candidates: list[str],
    now: datetime,
    today: date,
) -> None:
    """One message (written with the bill, sent by the outbox) to the customer's owner, else
    to the employee who received the money, else to the admins. A colleague is asked which
    of the offered orders it is (``bot.orders.bill_question``) when they can be."""
    paid = pending.paid_at.astimezone(tenant.timezone)
    text = QUEUED.format(
        who=customer.display_name if customer else "未知付款人",
        amount=format_fen(pending.amount_fen),
        when=f"{day_words(paid.date())}{paid:%H:%M}",
        why=WHY[pending.reason],
    )
    look = LOOK.format(orders=MAYBE.format(numbers="、".join(candidates)) if candidates else "")
    key = f"pending-bill:{pending.id}"
    owner = None
    if customer is not None and customer.owner_id is not None:
        owner = await Employee.get_or_none(id=customer.owner_id)
    if owner is None and pending.payee_userid:
        owner = await Employee.get_or_none(tenant_id=tenant.id, userid=pending.payee_userid)
    if owner is None:
        await notify_admins(tenant, text + look, key=key, now=now)
        return
    question = await ask(pending, owner, now, today)
    text = "\n".join([text, *question]) if question else text + look
    await enqueue(
        tenant.id,
        [Reply(text, to_user=owner.userid)],
        default_user=None,
        key_prefix=key,
        channel=Channel.APP.value,
        now=now,
        lease=timedelta(0),
    )


async def _collect(
    tenant: TenantInfo,
    order: Order,
    bill: dict[str, Any],
    amount: int,
    paid_at: datetime,
    now: datetime,
    today: date,
) -> Collection:
    # The money arrived: it counts whatever the order lacks (the fit was checked above).
    await add_collected(order, amount, lacking_at_least=None, open_only=False)
    collection = await Collection.create(
        tenant_id=tenant.id,
        order_id=order.id,
        amount_fen=amount,
        method=METHOD,
        source=CollectionSource.EXTERNALPAY,
        external_id=str(bill["transaction_id"]),
        received_at=paid_at,
    )
    await on_timeline(order, f"回款 {format_fen(amount)}（{METHOD}）", now, None)
    await complete_if_done(order, now, today)
    return collection


async def _refunds(
    tenant: TenantInfo, bill: dict[str, Any], collection: Collection, now: datetime, today: date
) -> int:
    order = await Order.get(id=collection.order_id)
    return await store_refunds(order, refund_items(bill), now)


async def store_refunds(order: Order, items: list[dict[str, Any]], now: datetime) -> int:
    """The refunds not stored yet (by out_refund_no), on the order's timeline too."""
    added = 0
    for item in items:
        if await Refund.exists(tenant_id=order.tenant_id, external_id=item["no"]):
            continue
        await add_refunded(order, item["fee"], guarded=False)
        await Refund.create(
            tenant_id=order.tenant_id,
            order_id=order.id,
            amount_fen=item["fee"],
            reason=(item["comment"] or METHOD + "退款")[:200],
            external_id=item["no"],
            refunded_at=_moment(item["at"] or _seconds(now)),
        )
        await on_timeline(order, f"退款 {format_fen(item['fee'])}（{METHOD}）", now, None)
        added += 1
    return added


def named_in_remark(remark: str, orders: list[Order]) -> Order | None:
    """The one order of ``orders`` the bill's remark names by its full number
    (DD-20261123-0001, with or without dashes) or as 订单0001; None otherwise."""
    if not remark:
        return None
    compact = remark.upper().replace("-", "").replace(" ", "")
    named = [o for o in orders if o.number.replace("-", "") in compact]
    if not named:
        tails = {int(m) for m in _ORDER_TAIL.findall(remark)}
        named = [o for o in orders if o.seq in tails]
    return named[0] if len(named) == 1 else None


class BillSyncSweep:
    """The scheduled sync: every tenant whose plan has the orders module, one after another.
    A WeCom error of one tenant is logged and the others go on; the next run retries it."""

    def __init__(
        self, tenants: TenantDirectory, client: WeComClient, billing: Billing, clock: Clock
    ) -> None:
        self._tenants = tenants
        self._client = client
        self._billing = billing
        self._clock = clock

    async def run(self) -> int:
        """Returns how many tenants were synced."""
        synced = 0
        for row in await Tenant.all().order_by("id"):
            tenant = await self._tenants.get_by_id(row.id)
            if tenant is None or not await self._billing.grants(tenant.id, tenant.timezone, ORDERS):
                continue
            try:
                await sync_bills(self._client, tenant, self._clock)
            except WeComAPIError as exc:
                log.warning("对外收款 sync of %s stopped: %s", tenant.key, exc)
                continue
            synced += 1
        return synced
