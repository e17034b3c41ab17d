"""The screen pop: who is calling, as a card the agent reads before picking up.

A known caller's card names the customer and company, their tier and owner, the last three
interactions, and the open work orders and orders, with a 客户详情 button for the whole card.
An unknown number's card offers 新建客户. Several customers sharing the number are listed
as text, for the agent to ask which one is calling (never guessed).
"""

from __future__ import annotations

from typing import Any

from bot import card_keys
from bot.calls.cards import KEY_PREFIX, NEW_CUSTOMER, PROFILE
from bot.calls.numbers import Match, spaced
from bot.dispatch.types import Reply, ReplyKind
from models.calls import CallRecord
from models.crm.customers import Customer, CustomerNote
from models.orders import Order, OrderState
from models.tenants import Employee
from models.tickets import OPEN_STATUSES, Ticket

RECENT = 3
SOURCE = "来电弹屏"
TITLE = "来电 {number}"
UNKNOWN_DESC = "未知号码：新建客户？"
SEVERAL = "来电 {number}：{count} 位客户用这个号码，接听时请确认是哪一位：\n{names}"
OPEN_ORDERS = (OrderState.DRAFT, OrderState.CONFIRMED)
# WeCom cuts a card's quote text; three short notes fit.
NOTE_CHARS = 40


async def pop_reply(call: CallRecord, match: Match, agent: str) -> Reply:
    shown = spaced(call.number)
    if match.customer is not None:
        card = await _known(call, shown, match.customer)
    elif match.ambiguous:
        names = "\n".join(f"· {_label(c)}" for c in match.customers)
        text = SEVERAL.format(number=shown, count=len(match.customers), names=names)
        return Reply(text, to_user=agent, channel="app")
    else:
        card = _card(call, shown, UNKNOWN_DESC, ("新建客户", NEW_CUSTOMER))
    return Reply(kind=ReplyKind.TEMPLATE_CARD, payload=card, to_user=agent, channel="app")


def _label(customer: Customer) -> str:
    return (
        f"{customer.display_name}（{customer.company}）"
        if customer.company
        else customer.display_name
    )


def _card(call: CallRecord, shown: str, desc: str, button: tuple[str, str]) -> dict[str, Any]:
    text, action = button
    return {
        "card_type": "button_interaction",
        "source": {"desc": SOURCE},
        "main_title": {"title": TITLE.format(number=shown), "desc": desc},
        "task_id": f"call-pop-{call.id}",
        "button_list": [
            {"text": text, "style": 1, "key": card_keys.button_key(KEY_PREFIX, action, call.id)}
        ],
    }


async def _known(call: CallRecord, shown: str, customer: Customer) -> dict[str, Any]:
    owner = await Employee.get_or_none(id=customer.owner_id) if customer.owner_id else None
    notes = (
        await CustomerNote.filter(customer_id=customer.id)
        .order_by("-created_at", "-id")
        .limit(RECENT)
    )
    tickets = await Ticket.filter(customer_id=customer.id, status__in=OPEN_STATUSES).count()
    orders = await Order.filter(customer_id=customer.id, state__in=OPEN_ORDERS).count()
    card = _card(call, shown, _label(customer), ("客户详情", PROFILE))
    card["horizontal_content_list"] = [
        {"keyname": "客户级别", "value": f"{customer.value_tier}级"},
        {"keyname": "负责人", "value": owner.name if owner else "无"},
        {"keyname": "未结工单", "value": f"{tickets} 个"},
        {"keyname": "进行中订单", "value": f"{orders} 个"},
    ]
    if notes:
        quoted = "\n".join(f"· {_short(n.text)}" for n in notes)
        card["quote_area"] = {"type": 0, "title": "最近互动", "quote_text": quoted}
    return card


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= NOTE_CHARS else line[: NOTE_CHARS - 1] + "…"
