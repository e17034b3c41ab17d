"""「这笔收款是哪个订单？」: a 对外收款 bill the sync left waiting is put to the person told about
it as a numbered question, and their reply (``1``, ``第一个``, ``是0001那个``) claims it.

The question is a conversation step of the person asked (``CLAIM_STEP``), written in the
transaction that stores the bill. It is only asked when that person is not in the middle of
another conversation (their step is never overwritten) and has orders to offer: the paying
customer's open orders, else (an unknown payer) the open orders the person owns. A person
who could not be asked still gets the notice and 「待认领收款」 lists the bill; after a bill
is claimed, the next bill waiting for the same person is asked about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from tortoise.expressions import Q

from bot.dispatch.context import Context
from bot.nlu.numerals import to_int
from bot.orders.reports import Row, open_orders_of, unpaid
from bot.orders.wording import day_words
from bot.subscription.money import format_fen
from models.conversations import ConversationState
from models.orders import PendingBill
from models.tenants import Employee

CLAIM_STEP = "order_claim_bill"
ASKED_FOR = timedelta(days=3)  # an unanswered question lapses, the bill stays listed
SHOWN = 9
QUESTION = "这笔收款是哪个订单？"
ANSWER_HINT = "请回复序号（如「1」）或订单号（如「是0001那个」）；回复「不是」先不认领。"
NEXT = "还有一笔待认领：{who} {amount}（{when}）。"

_LEAD = r"(?:就是|应该是|算是|算|是|选|记到|记在|归到|放到)?"
_TAIL = r"(?:那个|那笔|那单|这个|这单|的|吧|订单|单子|哦|啊|呀)*[。.!！]*"
_NTH = r"(?P<n>[0-9]{1,2}|[一二两三四五六七八九])"
_INDEX = re.compile(rf"^{_LEAD}\s*第?\s*{_NTH}\s*(?:个|笔|条|项|单)?\s*{_TAIL}$")
_ORDER = r"(?:(?P<full>DD-?\d{8}-?\d{4,6})|(?P<tail>0\d{1,5}|\d{3,6}))"
_NUMBER = re.compile(rf"^{_LEAD}\s*(?:订单|单号)?\s*{_ORDER}\s*号?\s*{_TAIL}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Choice:
    index: int | None = None  # 1-based position in the list shown
    number: str | None = None  # a full order number without dashes, or its tail digits


def choice(text: str) -> Choice | None:
    """``1`` / ``第一个`` / ``选2`` → a position; ``0001`` / ``是0001那个`` / ``DD-20261207-0001``
    → an order number (a leading zero or 3+ digits: a number, never a position)."""
    text = text.strip()
    found = _NUMBER.match(text)
    if found is not None:
        full = found["full"]
        return Choice(number=full.upper().replace("-", "") if full else found["tail"])
    found = _INDEX.match(text)
    if found is not None:
        n = to_int(found["n"], digit_strings=True)
        return Choice(index=n) if n else None
    return None


def picked(choice_: Choice, ids: list[int], numbers: list[str]) -> int | None:
    """The order id a choice names among those shown (``numbers`` in the same order)."""
    if choice_.index is not None:
        return ids[choice_.index - 1] if 1 <= choice_.index <= len(ids) else None
    assert choice_.number is not None
    for order_id, number in zip(ids, numbers, strict=True):
        if choice_.number.startswith("DD"):
            if number.replace("-", "") == choice_.number:
                return order_id
        elif int(number.rsplit("-", 1)[1]) == int(choice_.number):
            return order_id
    return None


async def offered(pending: PendingBill, asked: Employee, today: date) -> list[Row]:
    """The orders to offer for a bill: the payer's open ones, else the asked person's; those
    owing exactly the amount first, then those owing more, the rest after."""
    if pending.customer_id is not None:
        rows = await open_orders_of(pending.tenant_id, [pending.customer_id], today)
    else:
        rows = await unpaid(pending.tenant_id, asked.id, today)
    amount = pending.amount_fen - pending.refunded_fen

    def fit(row: Row) -> int:
        left = row[2].outstanding_fen
        return 0 if left == amount else 1 if left > amount else 2

    return sorted(rows, key=fit)[:SHOWN]


async def is_free(tenant_id: int, userid: str, now: datetime) -> bool:
    row = await ConversationState.get_or_none(tenant_id=tenant_id, user_id=userid)
    return row is None or row.expires_at <= now


async def ask(
    pending: PendingBill, asked: Employee, now: datetime, today: date
) -> list[str] | None:
    """Puts the question to ``asked`` (their conversation step) and returns its lines, or
    None when they are busy in another conversation or there is no order to offer."""
    if not await is_free(pending.tenant_id, asked.userid, now):
        return None
    rows = await offered(pending, asked, today)
    if not rows:
        return None
    await ConversationState.update_or_create(
        defaults={
            "state": CLAIM_STEP,
            "data": {
                "bill": pending.id,
                "ids": [o.id for o, _, _ in rows],
                "numbers": [o.number for o, _, _ in rows],
            },
            "expires_at": now + ASKED_FOR,
            "updated_at": now,
        },
        tenant_id=pending.tenant_id,
        user_id=asked.userid,
    )
    lines = [QUESTION]
    for n, (order, name, paid) in enumerate(rows, 1):
        lines.append(
            f"{n}. {order.number} {name} {format_fen(order.total_fen)}，"
            f"已收 {format_fen(paid.paid_fen)}，未收 {format_fen(paid.outstanding_fen)}"
        )
    lines.append(ANSWER_HINT)
    return lines


async def ask_next(
    tenant_id: int, asked: Employee, is_admin: bool, now: datetime, today: date, tz: tzinfo
) -> list[str] | None:
    """After a claim: the next waiting bill for this person (theirs by payee or customer),
    asked the same way; None when there is none to ask about."""
    query = PendingBill.filter(tenant_id=tenant_id)
    if not is_admin:
        query = query.filter(Q(payee_userid=asked.userid) | Q(customer__owner_id=asked.id))
    for pending in await query.order_by("paid_at", "id").limit(SHOWN).prefetch_related("customer"):
        lines = await ask(pending, asked, now, today)
        if lines is not None:
            paid = pending.paid_at.astimezone(tz)
            who = pending.customer.display_name if pending.customer else "未知付款人"
            head = NEXT.format(
                who=who,
                amount=format_fen(pending.amount_fen),
                when=f"{day_words(paid.date())}{paid:%H:%M}",
            )
            return [head, *lines]
    return None


def answers(ctx: Context) -> bool:
    """The step's filter: the text reads as a choice (``choice``)."""
    return choice(ctx.update.text) is not None
