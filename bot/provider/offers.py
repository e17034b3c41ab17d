"""Value-based offers: an operator offers a client enterprise a plan change at a discount.

The change is priced as the tenant's own purchase command would price it today (``Shop`` and
the builds of handlers.subscription.purchases), and the discount is one more line of that quote
(「运营优惠 8折」, a negative amount), so an accepted offer becomes an ordinary order awaiting
payment at the discounted total. Each of the tenant's admins gets a card once: the offer row
and its cards are written in one transaction, its ``pending_key`` allows one open offer per
tenant and change, and the outbox keeps one row per (offer, admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot import card_keys
from bot.crm.book import admin_userids
from bot.dispatch.types import Channel, Reply, ReplyKind
from bot.outbox import enqueue
from bot.provider.offer_words import Discount
from bot.subscription.money import fen_to_money, format_fen
from bot.subscription.purchases import Purchase
from bot.subscription.quote import LineItem, Quote
from bot.tenants import TenantInfo
from models.outbox import OutboxMessage, OutboxStatus
from models.provider import OfferStatus, ProviderOffer
from models.tenants import Tenant

KEY_PREFIX = "offer"
ACCEPT, DECLINE = "accept", "decline"
SOURCE = "服务商优惠"
DISCOUNT_LINE = "运营优惠 {label}"
DISCOUNT_CODE = "discount:offer:{id}"
ON_ACCEPT = "接受后按当天的剩余天数折算、生成订单，付款后生效；折扣不变。"
# The tenant is another enterprise than the operator's: the outbox sweep of any running bot
# sends its cards (see bot.subscription.notify).
_FOR_ANY_SENDER = timedelta(0)
STATUS_NAMES = {
    OfferStatus.PROPOSED: "待答复",
    OfferStatus.ACCEPTED: "已接受",
    OfferStatus.DECLINED: "已谢绝",
    OfferStatus.EXPIRED: "已过期",
    OfferStatus.WITHDRAWN: "已撤回",
}


def to_fen(amount: Decimal) -> int:
    """Yuan with two places (quotes) as integer fen: exact."""
    return int(amount.scaleb(2))


@dataclass(frozen=True, slots=True)
class Priced:
    """The change at list price, the discount in fen, and the discounted purchase."""

    list_fen: int
    off_fen: int
    purchase: Purchase

    @property
    def offered_fen(self) -> int:
        return self.list_fen - self.off_fen


def discounted(plain: Purchase, discount: Discount, offer_id: int | None = None) -> Priced:
    """``plain`` with the discount as its own line; the total is the sum of the lines."""
    list_fen = to_fen(plain.quote.total)
    off_fen = list_fen - discount.offered_fen(list_fen)
    amount = -fen_to_money(off_fen)
    line = LineItem(
        DISCOUNT_LINE.format(label=discount.label()),
        1,
        amount,
        amount,
        DISCOUNT_CODE.format(id=offer_id or 0),
    )
    quote = plain.quote
    lines = [*quote.lines, line]
    priced = Quote.of(lines, quote.effective_on, quote.notes, quote.ends_on)
    summary = f"{plain.summary}（运营优惠）"
    return Priced(list_fen, off_fen, Purchase(plain.kind, plain.request, summary, priced))


def discount_of(offer: ProviderOffer) -> Discount:
    return Discount(rate=offer.rate, off_fen=offer.off_fen)


def pending_key(tenant_id: int, summary: str) -> str:
    return f"{tenant_id}:{summary}"


def outbox_prefix(offer_id: int) -> str:
    return f"{KEY_PREFIX}:{offer_id}:"


def parse_key(key: str) -> tuple[str, int] | None:
    return card_keys.parse_button_key(key, KEY_PREFIX, (ACCEPT, DECLINE))


def offer_card(offer: ProviderOffer, task_id: str) -> Reply:
    """原价, 运营优惠, 优惠后 and 有效期至, with 接受优惠 and 暂不需要."""
    label = discount_of(offer).label()
    off = offer.list_fen - offer.offered_fen
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {"title": f"优惠：{offer.summary}", "desc": f"优惠 #{offer.id}"},
        "sub_title_text": ON_ACCEPT,
        "horizontal_content_list": [
            {"keyname": "原价", "value": format_fen(offer.list_fen)},
            {"keyname": "运营优惠", "value": f"{label} −{format_fen(off)}"},
            {"keyname": "优惠后", "value": format_fen(offer.offered_fen)},
            {"keyname": "有效期至", "value": offer.valid_until.isoformat()},
        ],
        "task_id": task_id,
        "button_list": [
            {
                "text": "接受优惠",
                "style": 1,
                "key": card_keys.button_key(KEY_PREFIX, ACCEPT, offer.id),
            },
            {
                "text": "暂不需要",
                "style": 2,
                "key": card_keys.button_key(KEY_PREFIX, DECLINE, offer.id),
            },
        ],
    }
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card)


@dataclass(frozen=True, slots=True)
class Proposal:
    offer: ProviderOffer
    fresh: bool  # False: an open offer of the same change was there already
    cards: int  # cards written now


async def propose(
    tenant: TenantInfo,
    operator: str,
    priced: Priced,
    discount: Discount,
    valid_until: date,
    now: datetime,
) -> Proposal:
    """Record the offer and queue one card per admin, in one transaction; a repeat of an open
    offer (the same command again, or another replica handling it) records and sends nothing."""
    key = pending_key(tenant.id, priced.purchase.summary)
    admins = await admin_userids(tenant)
    try:
        async with in_transaction():
            offer = await ProviderOffer.create(
                tenant_id=tenant.id,
                operator=operator,
                change=priced.purchase.request,
                summary=priced.purchase.summary.removesuffix("（运营优惠）"),
                rate=discount.rate,
                off_fen=discount.off_fen,
                list_fen=priced.list_fen,
                offered_fen=priced.offered_fen,
                valid_until=valid_until,
                pending_key=key,
                created_at=now,
            )
            rows = await _queue_cards(offer, admins, now)
    except IntegrityError:
        existing = await ProviderOffer.get(pending_key=key)
        return Proposal(existing, False, 0)
    return Proposal(offer, True, len(rows))


async def _queue_cards(
    offer: ProviderOffer, admins: list[str], now: datetime
) -> list[OutboxMessage]:
    rows: list[OutboxMessage] = []
    for userid in admins:
        task = f"offer-{offer.id}-{userid}"[:128]
        rows += await enqueue(
            offer.tenant_id,
            [offer_card(offer, task)],
            default_user=userid,
            key_prefix=f"{outbox_prefix(offer.id)}{userid}",
            channel=Channel.APP.value,
            now=now,
            lease=_FOR_ANY_SENDER,
        )
    return rows


async def close(
    offer: ProviderOffer, status: OfferStatus, by: str, now: datetime, order_id: int | None = None
) -> bool:
    """Move a proposed offer to ``status``; False when it was not proposed any more (another
    click, another replica or the operator got there first)."""
    changes: dict[str, Any] = {
        "status": status,
        "pending_key": None,
        "answered_by": by,
        "closed_at": now,
    }
    if order_id is not None:
        changes["order_id"] = order_id
    done = await ProviderOffer.filter(id=offer.id, status=OfferStatus.PROPOSED).update(**changes)
    if done:
        for name, value in changes.items():
            setattr(offer, name, value)
    return bool(done)


async def withdraw_unsent(offer_id: int) -> int:
    """Remove the offer's cards still waiting in the outbox; returns how many."""
    return await OutboxMessage.filter(
        idempotency_key__startswith=outbox_prefix(offer_id), status=OutboxStatus.PENDING
    ).delete()


async def expire_if_due(offer: ProviderOffer, today_there: date, now: datetime) -> None:
    """A proposed offer whose last day is past (in the tenant's calendar) is expired."""
    if offer.status is OfferStatus.PROPOSED and offer.valid_until < today_there:
        await close(offer, OfferStatus.EXPIRED, "", now)


EXPIRED_NOTICE = (
    "优惠 #{id}（{tenant} · {summary} · {label}）已于 {last_day} 到期，对方未答复，已自动失效。"
    "如仍想给，可重新发送「发优惠」。"
)


async def expire_due(now: datetime) -> int:
    """Every proposed offer past its last day (in its tenant's calendar) is expired, its
    unsent cards withdrawn, and the operator who made it told, once: the conditional move in
    ``close`` lets one replica do it, and the notice is written in the same transaction."""
    # Nowhere is it tomorrow yet in UTC+14, so an offer whose last day is today's UTC date
    # or later cannot be due anywhere: only older ones are read.
    candidates = await ProviderOffer.filter(
        status=OfferStatus.PROPOSED, valid_until__lt=now.date() + timedelta(days=1)
    ).prefetch_related("tenant")
    expired = 0
    for offer in candidates:
        if offer.valid_until >= now.astimezone(ZoneInfo(offer.tenant.timezone)).date():
            continue
        async with in_transaction():
            if not await close(offer, OfferStatus.EXPIRED, "", now):
                continue
            await withdraw_unsent(offer.id)
            await _tell_operator(offer, now)
        expired += 1
    return expired


async def _tell_operator(offer: ProviderOffer, now: datetime) -> None:
    tenant_key, _, userid = offer.operator.partition(":")
    home = await Tenant.get_or_none(key=tenant_key)
    if home is None or not userid:
        return  # the operator's tenant is gone from the config: nobody to tell
    text = EXPIRED_NOTICE.format(
        id=offer.id,
        tenant=offer.tenant.name,
        summary=offer.summary,
        label=discount_of(offer).label(),
        last_day=offer.valid_until.isoformat(),
    )
    await enqueue(
        home.id,
        [Reply(text)],
        default_user=userid,
        key_prefix=f"offer-expired-{offer.id}",
        channel=Channel.APP.value,
        now=now,
        lease=_FOR_ANY_SENDER,
    )


def record_line(offer: ProviderOffer, tenant: Tenant) -> str:
    """#3 星辰科技 · 升级 售后服务版 · 8折 ¥3,000.00 → ¥2,400.00 · 有效期至 2026-12-31 ·
    已接受（订单 7）"""
    status = STATUS_NAMES[offer.status]
    if offer.status is OfferStatus.ACCEPTED and offer.order_id:
        status += f"（订单 {offer.order_id}）"
    label = discount_of(offer).label()
    return (
        f"#{offer.id} {tenant.name} · {offer.summary} · {label} "
        f"{format_fen(offer.list_fen)} → {format_fen(offer.offered_fen)} · "
        f"有效期至 {offer.valid_until.isoformat()} · {status}"
    )
