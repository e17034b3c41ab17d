"""An order's moments on its customer's timeline, and the customer's value kept current.

Each confirmed order, collection, refund, shipment and cancellation is a line of the
customer's timeline (kind 订单), which counts as an interaction; the value score then
recomputes at once, so the card shows the year's orders (近一年成交 …) straight away.
"""

from __future__ import annotations

from datetime import datetime

from bot.crm.book import add_note
from bot.crm.valuation import refresh_value
from models.crm.customers import Customer, NoteKind
from models.orders import Order
from models.tenants import Employee


async def on_timeline(order: Order, text: str, now: datetime, by: Employee | None) -> None:
    customer = await Customer.get(id=order.customer_id)
    await add_note(customer, NoteKind.ORDER, f"{order.number} {text}", now, by)
    await refresh_value(customer, now)
