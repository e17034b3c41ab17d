"""The totals identities of orders, over 1,000 random orders with discounts, payment plans,
partial payments and refunds (the pure arithmetic every write goes through), and over a
seeded run of orders written to the database through the same moves chat uses (so the
stored rows and the sums read back agree with the arithmetic).

Identities: line total = qty × unit price; subtotal = Σ lines; 0 ≤ discount ≤ subtotal and
total = subtotal − discount (a percentage rounded half up once, on the subtotal); Σ plan =
total; paid = Σ collections − Σ refunds with 0 ≤ paid ≤ total; outstanding = total − paid;
overdue ≤ outstanding; the statuses follow from those sums; shipped ≤ ordered. The paid
amount kept on the order row (``paid_fen``, ``refunded_fen``) equals Σ collections − Σ
refunds (and Σ refunds) after every move, refused ones and concurrent ones included, and
migration 0006 fills it so for orders written before it.
"""

from __future__ import annotations

import asyncio
import importlib
import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.followups import add_customer
from support.tickets import colleague
from tortoise.migrations import operations as ops
from tortoise.transactions import in_transaction

from bot.dispatch.errors import UserFacingError
from bot.orders import moves, reports
from bot.orders.asking import LineAsked, OrderAsked, PlanAsked
from bot.orders.moves import ShipAsked
from bot.orders.periods import month
from bot.orders.pricing import Discount, line_total, round_half_up_div, share_of, split_plan
from bot.orders.progress import (
    DeliveryStatus,
    PaymentStatus,
    Period,
    covered_periods,
    delivery,
    payments,
)
from bot.orders.rules import DEFAULT_RULES, rules_of, save_rules
from bot.orders.store import create_order
from bot.orders.view import view_order
from bot.tenants import TenantInfo
from models.crm.customers import Customer
from models.orders import (
    Collection,
    CollectionSource,
    Order,
    OrderLine,
    OrderState,
    PaymentInstallment,
    Refund,
)
from models.tenants import Employee

TODAY = date(2026, 11, 23)
lines = st.lists(st.tuples(st.integers(1, 500), st.integers(0, 2_000_000)), min_size=1, max_size=6)
discounts = st.one_of(
    st.just(Discount()),
    st.builds(lambda p: Discount(percent=p), st.integers(1, 99)),
    st.builds(lambda f: Discount(fen=f), st.integers(0, 100_000_000)),
)
events = st.lists(
    st.tuples(st.booleans(), st.integers(0, 10_000), st.integers(1, 10_000)), max_size=12
)


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(
    lines=lines,
    discount=discounts,
    periods=st.integers(1, 12),
    first_percent=st.one_of(st.none(), st.integers(1, 99)),
    moves_asked=events,
    days_on=st.integers(0, 400),
)
def test_totals_identities_hold_for_random_orders(
    lines: list[tuple[int, int]],
    discount: Discount,
    periods: int,
    first_percent: int | None,
    moves_asked: list[tuple[bool, int, int]],
    days_on: int,
) -> None:
    subtotal = sum(line_total(qty, price) for qty, price in lines)
    assert subtotal == sum(qty * price for qty, price in lines)
    cut = discount.amount(subtotal)
    total = subtotal - cut
    assert 0 <= cut <= subtotal
    if discount.percent is not None:
        assert total == round_half_up_div(subtotal * discount.percent, 100)
        assert abs(total * 100 - subtotal * discount.percent) <= 50
    first = share_of(total, first_percent) if first_percent is not None else None
    amounts = split_plan(total, periods, first)
    assert len(amounts) == periods and sum(amounts) == total and min(amounts) >= 0
    plan = [Period(TODAY + timedelta(days=30 * n), a) for n, a in enumerate(amounts)]

    collected: list[int] = []
    refunded: list[int] = []
    for is_refund, permille, cap in moves_asked:
        paid = sum(collected) - sum(refunded)
        if is_refund:  # refund part of what is paid, never more
            refunded.append(paid * permille // 10_000)
        else:  # collect part of what is outstanding, never more
            collected.append(min(total - paid, cap * max(total, 1) // 10_000))
    state = payments(total, collected, refunded, plan, TODAY + timedelta(days=days_on))
    assert state.paid_fen == sum(collected) - sum(refunded)
    assert 0 <= state.paid_fen <= total
    assert state.outstanding_fen == total - state.paid_fen
    assert 0 <= state.overdue_fen <= state.outstanding_fen
    due = sum(p.amount_fen for p in plan if p.due < TODAY + timedelta(days=days_on))
    assert state.overdue_fen == max(due - state.paid_fen, 0)
    _status_follows_the_sums(state.status, total, sum(collected), state.paid_fen, state.overdue_fen)
    covered = covered_periods(plan, state.paid_fen)
    assert sum(amounts[:covered]) <= state.paid_fen
    assert covered == periods or sum(amounts[: covered + 1]) > state.paid_fen


def _status_follows_the_sums(
    status: PaymentStatus, total: int, collected: int, paid: int, overdue: int
) -> None:
    if overdue:
        assert status is PaymentStatus.OVERDUE
    elif paid >= total:
        assert status is PaymentStatus.PAID
    elif paid > 0:
        assert status is PaymentStatus.PARTIAL
    elif collected > 0:
        assert status is PaymentStatus.REFUNDED
    else:
        assert status is PaymentStatus.UNPAID


@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 60)), min_size=1, max_size=5))
def test_delivery_never_counts_more_than_ordered(pairs: list[tuple[int, int]]) -> None:
    ordered = [o for o, _ in pairs]
    shipped = [min(o, s) for o, s in pairs]
    status = delivery(ordered, shipped)
    if not any(shipped):
        assert status is DeliveryStatus.NONE
    elif shipped == ordered:
        assert status is DeliveryStatus.SHIPPED
    else:
        assert status is DeliveryStatus.PARTIAL


async def test_orders_written_to_the_database_keep_the_identities(tenant: TenantInfo) -> None:
    rng = random.Random(16)
    owner = await colleague("lisi", "李四")
    customers = [await add_customer(f"客户{n}") for n in range(5)]
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    for number in range(60):
        asked = OrderAsked(
            tuple(
                LineAsked(
                    f"产品{rng.randrange(8)}-{number}-{i}",
                    rng.randint(1, 50),
                    "个",
                    rng.randint(1, 500_000),
                )
                for i in range(rng.randint(1, 3))
            ),
            rng.choice(
                [
                    Discount(),
                    Discount(percent=rng.randint(50, 99)),
                    Discount(fen=rng.randint(0, 50_000)),
                ]
            ),
            PlanAsked(periods=rng.randint(1, 4), first_percent=rng.choice([None, 30, 50])),
        )
        made = await create_order(tenant.id, rng.choice(customers), owner, asked, now, TODAY)
        order = made.order
        assert await moves.confirm(order, now)
        for _ in range(rng.randint(0, 5)):
            view = await view_order(order, TODAY)
            if rng.random() < 0.3 and view.payments.paid_fen:
                await moves.refund(
                    order, rng.randint(1, view.payments.paid_fen), "", owner, now, TODAY
                )
            elif view.payments.outstanding_fen:
                await moves.collect(
                    order, rng.randint(1, view.payments.outstanding_fen), "转账", owner, now, TODAY
                )
        if rng.random() < 0.5:
            await moves.ship(order, ShipAsked((), "顺丰", "SF1"), owner, now, TODAY)
        view = await view_order(order, TODAY)
        rows = await OrderLine.filter(order_id=order.id)
        assert order.subtotal_fen == sum(r.line_total_fen for r in rows)
        assert all(r.line_total_fen == r.qty * r.unit_price_fen for r in rows)
        assert order.total_fen == order.subtotal_fen - order.discount_fen >= 0
        plan = await PaymentInstallment.filter(order_id=order.id)
        assert sum(p.amount_fen for p in plan) == order.total_fen
        collected = sum(c.amount_fen for c in await Collection.filter(order_id=order.id))
        refunded = sum(r.amount_fen for r in await Refund.filter(order_id=order.id))
        assert view.payments.paid_fen == collected - refunded
        assert 0 <= view.payments.paid_fen <= order.total_fen
        assert all(item.shipped <= item.line.qty for item in view.lines)
        done = view.payments.outstanding_fen == 0 and view.delivery is DeliveryStatus.SHIPPED
        assert (order.state is OrderState.COMPLETED) == done
    await _sums_in_sql_match_the_sums_in_python(tenant.id, owner.id)


async def _sums_in_sql_match_the_sums_in_python(tenant_id: int, owner_id: int) -> None:
    """待回款, 逾期回款 and 销售 add up in the database; the same orders added up one by one
    in Python give the same figures."""
    for day in (TODAY, TODAY + timedelta(days=100)):
        for who in (None, owner_id):
            every = await reports.unpaid(tenant_id, who, day)
            page = await reports.open_page(tenant_id, who, day, 7)
            assert page.count == len(every)
            assert page.owed_fen == sum(paid.outstanding_fen for _, _, paid in every)
            assert [o.id for o, _, _ in page.rows] == [o.id for o, _, _ in every[:7]]
            late = [row for row in every if row[2].overdue_fen > 0]
            overdue = await reports.open_page(tenant_id, who, day, 7, overdue=True)
            assert overdue.count == len(late)
            assert overdue.owed_fen == sum(paid.overdue_fen for _, _, paid in late)
            assert [o.id for o, _, _ in overdue.rows] == [o.id for o, _, _ in late[:7]]
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    sold = await Order.filter(tenant_id=tenant_id, state__in=reports.SOLD_STATES)
    found = await reports.sales(tenant_id, start, end, None, TODAY)
    assert found.orders == len(sold) > 0
    assert found.total_fen == sum(o.total_fen for o in sold)
    views = [await view_order(o, TODAY) for o in sold]
    assert found.paid_fen == sum(v.payments.paid_fen for v in views)
    assert sum(found.by_person.values()) == found.total_fen
    by_customer: Counter[str] = Counter()
    for view in views:
        by_customer[view.customer.display_name] += view.order.total_fen
    assert found.by_customer == by_customer  # 5 customers: all of them are ranked


NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def paid_on_row_and_in_rows(order_id: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(paid_fen, refunded_fen) as the order row keeps them, and as its rows add up."""
    row = await Order.get(id=order_id)
    collected = sum(c.amount_fen for c in await Collection.filter(order_id=order_id))
    refunded = sum(r.amount_fen for r in await Refund.filter(order_id=order_id))
    return (row.paid_fen, row.refunded_fen), (collected - refunded, refunded)


async def a_confirmed_order(
    tenant_id: int, customer: Customer, owner: Employee, price_fen: int
) -> Order:
    asked = OrderAsked((LineAsked("A4纸", 1, "箱", price_fen),), Discount(), PlanAsked(periods=2))
    order = (await create_order(tenant_id, customer, owner, asked, NOW, TODAY)).order
    assert await moves.confirm(order, NOW)
    return order


async def _in_own_transaction(move: str, order_id: int, amount: int, owner: Employee) -> str:
    """One chat move as its handler runs it: a transaction of its own, the order read at
    its start (and so possibly stale by the time it writes)."""
    order = await Order.get(id=order_id)
    try:
        async with in_transaction():
            if move == "collect":
                await moves.collect(order, amount, "转账", owner, NOW, TODAY)
            else:
                await moves.refund(order, amount, "退", owner, NOW, TODAY)
    except UserFacingError as refused:
        return refused.message
    return "ok"


@pytest.mark.parametrize("seed", range(8))
async def test_paid_on_the_row_follows_random_moves(tenant: TenantInfo, seed: int) -> None:
    """Collections, refunds, refused over-payments and over-refunds, a tenant that allows
    over-payment half way, in random order: after each, the row's paid amount is Σ
    collections − Σ refunds, and a refused move changed nothing."""
    rng = random.Random(seed)
    owner = await colleague("lisi", "李四")
    customer = await add_customer("星辰科技")
    orders = [
        await a_confirmed_order(tenant.id, customer, owner, rng.randint(1, 900_000))
        for _ in range(3)
    ]
    for step in range(40):
        if step == 20 and rng.random() < 0.5:
            await save_rules(tenant.id, replace(DEFAULT_RULES, allow_overpayment=True), "", NOW)
        order = await Order.get(id=rng.choice(orders).id)
        before, _ = await paid_on_row_and_in_rows(order.id)
        is_refund = rng.random() < 0.35
        over = rng.random() < 0.2  # more than the order lacks (or than is paid)
        if is_refund:
            amount = before[0] + rng.randint(1, 100) if over else rng.randint(0, before[0])
        else:
            lacking = order.total_fen - before[0]
            amount = lacking + rng.randint(1, 100) if over else rng.randint(0, max(lacking, 0))
        if amount <= 0:
            continue
        said = await _in_own_transaction(
            "refund" if is_refund else "collect", order.id, amount, owner
        )
        kept, summed = await paid_on_row_and_in_rows(order.id)
        assert kept == summed
        allowed = (await rules_of(tenant.id)).allow_overpayment
        if over and (is_refund or not allowed):
            assert said != "ok" and kept == before
        else:
            assert said == "ok"
            change = -amount if is_refund else amount
            assert kept == (before[0] + change, before[1] + (amount if is_refund else 0))
        assert kept[0] >= 0


async def test_thirty_concurrent_collections_lose_no_update_and_never_overpay(
    tenant: TenantInfo,
) -> None:
    """¥100.00 owed, thirty ¥7.00 collections at once: exactly fourteen fit (¥98.00), the
    other sixteen are refused with what is left, and the row says what the rows add up to."""
    owner = await colleague("lisi", "李四")
    order = await a_confirmed_order(tenant.id, await add_customer("星辰科技"), owner, 10_000)
    said = await asyncio.gather(
        *(_in_own_transaction("collect", order.id, 700, owner) for _ in range(30))
    )
    assert said.count("ok") == 14
    refused = [s for s in said if s != "ok"]
    assert len(refused) == 16 and all("这笔 ¥7.00 多了" in s for s in refused)
    kept, summed = await paid_on_row_and_in_rows(order.id)
    assert kept == summed == (9_800, 0)
    assert await Collection.filter(order_id=order.id).count() == 14


async def test_concurrent_collections_and_refunds_add_up_on_the_row(tenant: TenantInfo) -> None:
    """Collections and refunds of one order interleaved at once: whichever are accepted,
    the row's paid amount is Σ collections − Σ refunds, never below 0 nor above the total."""
    rng = random.Random(6)
    owner = await colleague("lisi", "李四")
    order = await a_confirmed_order(tenant.id, await add_customer("星辰科技"), owner, 50_000)
    await _in_own_transaction("collect", order.id, 20_000, owner)
    work = [
        _in_own_transaction(
            rng.choice(("collect", "refund")), order.id, rng.randint(1, 9_000), owner
        )
        for _ in range(40)
    ]
    said = await asyncio.gather(*work)
    assert "ok" in said
    kept, summed = await paid_on_row_and_in_rows(order.id)
    assert kept == summed
    assert 0 <= kept[0] <= 50_000


async def test_migration_0006_fills_paid_for_orders_written_before_it(
    tenant: TenantInfo,
) -> None:
    """Orders with collections and refunds written around the code that keeps the sum (as
    they were before the column existed, when it was added as 0): the migration's data step
    sets each order's paid_fen and refunded_fen to what its rows add up to, and leaves an
    order without money at 0. (Its statement is run directly: taking a SQLite database back
    to 0005 would rebuild sales_order, which the foreign keys of its rows refuse.)"""
    owner = await colleague("lisi", "李四")
    customer = await add_customer("星辰科技")
    orders = [await a_confirmed_order(tenant.id, customer, owner, 90_000) for _ in range(4)]
    amounts = {
        orders[0].id: ([30_000, 5_000], [2_000]),
        orders[1].id: ([90_000], [90_000]),
        orders[2].id: ([1, 2, 3], []),
    }
    for order_id, (collected, refunded) in amounts.items():
        await Collection.bulk_create(
            [
                Collection(tenant_id=tenant.id, order_id=order_id, amount_fen=fen,
                           source=CollectionSource.CHAT, received_at=NOW)
                for fen in collected
            ]
        )  # fmt: skip
        await Refund.bulk_create(
            [Refund(tenant_id=tenant.id, order_id=order_id, amount_fen=fen, refunded_at=NOW)
             for fen in refunded]
        )  # fmt: skip
    assert {o.paid_fen for o in await Order.all()} == {0}  # bulk rows bypass the kept sum

    migration = importlib.import_module("models.migrations.orders.0006_paid_on_order")
    [data_step] = [op for op in migration.Migration.operations if isinstance(op, ops.RunSQL)]
    await Order._meta.db.execute_script(data_step.sql)

    for order in orders:
        kept, summed = await paid_on_row_and_in_rows(order.id)
        assert kept == summed
    assert [(await Order.get(id=o.id)).paid_fen for o in orders] == [33_000, 0, 6, 0]
    assert [(await Order.get(id=o.id)).refunded_fen for o in orders] == [2_000, 90_000, 0, 0]


async def test_sales_of_a_month_follow_the_tenants_midnight(tenant: TenantInfo) -> None:
    """本月 in Shanghai starts at 00:00 +08:00 (16:00 UTC the day before): an order
    confirmed at 01:00 on 11月1日 is November's, one confirmed at 23:00 on 10月31日 is
    October's, whatever the database compares times as."""
    owner = await colleague("lisi", "李四")
    customer = await add_customer("星辰科技")
    first = await a_confirmed_order(tenant.id, customer, owner, 10_000)
    last = await a_confirmed_order(tenant.id, customer, owner, 20_000)
    await Order.filter(id=first.id).update(confirmed_at=datetime(2026, 10, 31, 17, tzinfo=UTC))
    await Order.filter(id=last.id).update(confirmed_at=datetime(2026, 10, 31, 15, tzinfo=UTC))
    shanghai = ZoneInfo("Asia/Shanghai")
    for back, total in ((0, 10_000), (1, 20_000)):
        start, end = month(date(2026, 11, 23), back).bounds(shanghai)
        found = await reports.sales(tenant.id, start, end, None, TODAY)
        assert (found.orders, found.total_fen) == (1, total)
