"""Applying the value formula (``bot.crm.value``) to stored customers, in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.functions import Sum

from bot.crm.value import Assessment, ValueInputs, assess
from bot.subscription.money import fen_to_money
from models.crm.customers import INTERACTION_KINDS, Customer, CustomerNote
from models.orders import Order, OrderState

WINDOW = timedelta(days=90)
MONTH = timedelta(days=30)
YEAR = timedelta(days=365)
SOLD = (OrderState.CONFIRMED, OrderState.COMPLETED)
BATCH = 500
# The nightly pass runs between these local hours, when nobody is waiting on the database.
NIGHT_HOURS = range(2, 6)
MAX_BATCHES_PER_RUN = 20


def _inputs(
    customer: Customer, moments: list[datetime], now: datetime, sold: Decimal | None
) -> ValueInputs:
    recent = sum(1 for at in moments if at >= now - MONTH)
    previous = sum(1 for at in moments if now - 2 * MONTH <= at < now - MONTH)
    return ValueInputs(
        last_interaction_at=customer.last_interaction_at,
        interactions_90d=len(moments),
        recent_30d=recent,
        previous_30d=previous,
        orders_365d=sold,
    )


async def sold_in_year(customer_ids: list[int], now: datetime) -> dict[int, Decimal]:
    """What each customer bought in the last 365 days: the totals of their orders confirmed
    in that time and not cancelled, in yuan. A customer with no order at all (ever, in any
    state) is left out: for them there is no order data, rather than "bought nothing"."""
    with_orders: set[int] = set(
        await Order.filter(customer_id__in=customer_ids)
        .distinct()
        .values_list("customer_id", flat=True)  # type: ignore[arg-type]
    )
    sold = {customer_id: Decimal("0.00") for customer_id in with_orders}
    rows = (
        await Order.filter(
            customer_id__in=list(with_orders), state__in=SOLD, confirmed_at__gte=now - YEAR
        )
        .annotate(total=Sum("total_fen"))
        .group_by("customer_id")
        .values("customer_id", "total")
    )
    for row in rows:
        sold[int(row["customer_id"])] = fen_to_money(int(row["total"] or 0))
    return sold


async def refresh_values(customers: Sequence[Customer], now: datetime) -> dict[int, Assessment]:
    """Recompute and store the value of ``customers`` (one query for their timelines)."""
    if not customers:
        return {}
    rows = await CustomerNote.filter(
        customer_id__in=[c.id for c in customers],
        kind__in=list(INTERACTION_KINDS),
        created_at__gte=now - WINDOW,
    ).values_list("customer_id", "created_at")
    moments: dict[int, list[datetime]] = defaultdict(list)
    for customer_id, created_at in rows:
        moments[int(customer_id)].append(created_at)
    sold = await sold_in_year([c.id for c in customers], now)
    results: dict[int, Assessment] = {}
    for customer in customers:
        inputs = _inputs(customer, moments[customer.id], now, sold.get(customer.id))
        result = assess(inputs, now)
        await Customer.filter(id=customer.id).update(
            value_score=result.score,
            value_tier=result.tier,
            value_reasons=list(result.reasons),
            value_computed_at=now,
        )
        customer.value_score, customer.value_tier = result.score, result.tier
        customer.value_reasons, customer.value_computed_at = list(result.reasons), now
        results[customer.id] = result
    return results


async def refresh_value(customer: Customer, now: datetime) -> Assessment:
    return (await refresh_values([customer], now))[customer.id]


def value_new(customer: Customer, now: datetime) -> Assessment:
    """Value a customer not yet stored, on the row itself: nothing on their timeline and no
    order yet, so there is nothing to read (what ``refresh_value`` stores once the row
    exists, without its three statements)."""
    result = assess(_inputs(customer, [], now, None), now)
    customer.value_score, customer.value_tier = result.score, result.tier
    customer.value_reasons, customer.value_computed_at = list(result.reasons), now
    return result


def local_midnight(now: datetime, tz: ZoneInfo) -> datetime:
    """The start of the tenant's day, in UTC (SQLite compares stored times as text)."""
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


async def nightly_pass(tenant_id: int, tz: ZoneInfo, now: datetime) -> int:
    """During the tenant's night, recompute customers not yet valued today. Returns how many
    were recomputed; later runs the same night pick up where this one stopped."""
    if now.astimezone(tz).hour not in NIGHT_HOURS:
        return 0
    midnight, done = local_midnight(now, tz), 0
    for _ in range(MAX_BATCHES_PER_RUN):
        batch = (
            await Customer.filter(
                Q(value_computed_at__isnull=True) | Q(value_computed_at__lt=midnight),
                tenant_id=tenant_id,
            )
            .order_by("id")
            .limit(BATCH)
        )
        await refresh_values(batch, now)
        done += len(batch)
        if len(batch) < BATCH:
            break
    return done
