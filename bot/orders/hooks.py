"""What other capabilities may do when an order is confirmed, ships or is cancelled.

The ERP-lite stock plugs in here: confirming holds the goods (库存占用), a shipment takes them
out of stock through its guarded path, cancelling gives back what is still held. Pass an
``OrderHooks`` in the dispatcher's deps as ``deps["order_hooks"]``; without one the hooks do
nothing. ``on_shipped`` is awaited inside the 发货 handler's transaction, after
the shipment and its lines are saved, and returns a sentence to add to the reply ("" for
none). ``Shipped.source`` is the place the person named, as written; the hook that keeps stock
resolves it (and refuses a name it does not know). A hook that raises (a
``UserFacingError`` when stock is short) rolls the whole shipment back, and the person hears
why.

``on_confirmed`` and ``on_cancelled`` are awaited in the handler's transaction, right after the
order's state changed (only by the call that changed it: a retried confirmation or a second
cancellation calls nothing), and return a sentence for the reply too. Confirming is never
refused by them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.dispatch.context import Context
from bot.orders.view import LineView
from models.orders import Order, Shipment


@dataclass(frozen=True, slots=True)
class Shipped:
    order: Order
    shipment: Shipment
    lines: tuple[tuple[LineView, int], ...]  # each order line and how much of it went
    source: str = ""  # where the person said it went out from (从门店); "" for the default


ShipmentHook = Callable[[Context, Shipped], Awaitable[str]]
OrderHook = Callable[[Context, Order], Awaitable[str]]
DEPS_KEY = "order_hooks"


async def nothing(ctx: Context, shipped: Shipped) -> str:
    return ""


async def nothing_to_say(ctx: Context, order: Order) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class OrderHooks:
    on_shipped: ShipmentHook = nothing
    on_confirmed: OrderHook = nothing_to_say
    on_cancelled: OrderHook = nothing_to_say


def hooks_of(ctx: Context) -> OrderHooks:
    hooks = ctx.deps.get(DEPS_KEY)
    return hooks if isinstance(hooks, OrderHooks) else OrderHooks()
