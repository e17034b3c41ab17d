"""The stock's two invariants, on SQLite and on PostgreSQL (``SCRM_TEST_DATABASE=postgres``):
stock never goes negative, however many stock-outs race, and the ledger always equals the
balance (Σ qty_delta = on_hand, the last balance_after = on_hand, every balance_after the
running sum before it).

Races run as concurrent transactions on the database's own connections: on PostgreSQL the
pool's several connections contend for the balance row; SQLite takes one writer at a time.
The chat test sends the same race through the bot, from four colleagues at once.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from support.crm import Chat
from support.erp import erp_chat, product, warehouse
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.errors import UserFacingError
from bot.erp import counts
from bot.erp.check import check_stock
from bot.erp.stock import AlreadyPosted, Move, Shortage, post
from bot.erp.warehouses import default_warehouse
from bot.tenants import TenantInfo
from models.erp import MoveKind, StockBalance, StockCount, StockMove, Warehouse
from models.products import Product

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def _stock_out(item: Product, place: Warehouse, qty: int = 1) -> str:
    try:
        async with in_transaction():
            await post(1, [Move(item, place, -qty, MoveKind.STOCK_OUT)], None, NOW)
    except Shortage as refused:
        return refused.message
    return "ok"


async def assert_ledger_balanced() -> None:
    report = await check_stock(1)
    assert report.ok, report
    for balance in await StockBalance.all():
        moves = await StockMove.filter(
            product_id=balance.product_id, warehouse_id=balance.warehouse_id
        ).order_by("id")
        assert balance.on_hand >= 0
        assert sum(m.qty_delta for m in moves) == balance.on_hand
        assert moves[-1].balance_after == balance.on_hand
        running = 0
        for move in moves:
            running += move.qty_delta
            assert move.balance_after == running >= 0


async def test_fifty_concurrent_stock_outs_of_one_against_ten(tenant: TenantInfo) -> None:
    item = await product()
    place = await default_warehouse(1, NOW)
    await post(1, [Move(item, place, 10, MoveKind.STOCK_IN)], None, NOW)
    results = await asyncio.gather(*(_stock_out(item, place) for _ in range(50)))
    assert results.count("ok") == 10
    refusal = "库存不足：总仓的「A4纸」只有 0箱 可用，要1箱不够。"
    assert results.count(refusal) == 40
    balance = await StockBalance.get(product_id=item.id, warehouse_id=place.id)
    assert balance.on_hand == 0
    outs = await StockMove.filter(kind=MoveKind.STOCK_OUT).order_by("id")
    assert sorted(m.balance_after for m in outs) == list(range(10))
    await assert_ledger_balanced()


async def test_concurrent_transfers_both_ways_with_stock_outs_stay_balanced(
    tenant: TenantInfo,
) -> None:
    """Transfers A→B and B→A lock the same two balances; in one fixed order they never
    deadlock, and what each leaves behind adds up."""
    item = await product()
    main = await default_warehouse(1, NOW)
    shop = await warehouse("门店")
    await post(1, [Move(item, main, 30, MoveKind.STOCK_IN)], None, NOW)
    await post(1, [Move(item, shop, 30, MoveKind.STOCK_IN)], None, NOW)

    async def transfer(source: Warehouse, target: Warehouse) -> str:
        try:
            async with in_transaction():
                await post(
                    1,
                    [
                        Move(item, source, -2, MoveKind.TRANSFER_OUT),
                        Move(item, target, 2, MoveKind.TRANSFER_IN),
                    ],
                    None,
                    NOW,
                )
        except Shortage:
            return "short"
        return "ok"

    work = []
    for n in range(40):
        work.append(transfer(main, shop) if n % 2 else transfer(shop, main))
        work.append(_stock_out(item, main if n % 3 else shop))
    results = await asyncio.gather(*work)
    outs = sum(1 for r in results[1::2] if r == "ok")
    total = sum(b.on_hand for b in await StockBalance.all())
    assert total == 60 - outs
    await assert_ledger_balanced()


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
async def test_the_ledger_equals_the_balance_over_random_moves(
    tenant: TenantInfo, seed: int
) -> None:
    """Random receipts, stock-outs, uses, transfers and stock counts across two products and
    three warehouses, each checked against a plain model of what the stock should be:
    refused exactly when the model says it is short, a count's difference added on top of
    what moved after it was counted, and the ledger balanced throughout."""
    rng = random.Random(seed)
    items = [await product(), await product("订书机", "个")]
    places = [await default_warehouse(1, NOW), await warehouse("门店"), await warehouse("后仓")]
    model: dict[tuple[int, int], int] = defaultdict(int)
    counting: dict[int, tuple[StockCount, dict[int, int]]] = {}
    for step in range(150):
        item, place = rng.choice(items), rng.choice(places)
        kind = rng.choice(["in", "out", "issue", "transfer", "count", "confirm"])
        if kind == "count":
            count, deltas = counting.get(place.id) or (
                await counts.start_count(1, place, None, NOW, DAY),
                {},
            )
            counting[place.id] = (count, deltas)
            counted = max(0, model[(item.id, place.id)] + rng.randint(-4, 4))
            await counts.record(count, item, counted, None, NOW)
            deltas[item.id] = counted - model[(item.id, place.id)]
            continue
        if kind == "confirm":
            if place.id in counting:
                await _confirm_against_the_model(place, counting.pop(place.id), model)
            continue
        await _move_against_the_model(rng, step, item, place, places, kind, model)
        if step % 50 == 0:
            await assert_ledger_balanced()
    for balance in await StockBalance.all():
        assert balance.on_hand == model[(balance.product_id, balance.warehouse_id)]
    await assert_ledger_balanced()


DAY = date(2026, 11, 23)


async def _move_against_the_model(
    rng: random.Random,
    step: int,
    item: Product,
    place: Warehouse,
    places: list[Warehouse],
    kind: str,
    model: dict[tuple[int, int], int],
) -> None:
    qty = rng.randint(1, 12)
    if kind == "in":
        moves = [Move(item, place, qty, MoveKind.STOCK_IN)]
    elif kind == "transfer":
        target = rng.choice([p for p in places if p.id != place.id])
        moves = [
            Move(item, place, -qty, MoveKind.TRANSFER_OUT),
            Move(item, target, qty, MoveKind.TRANSFER_IN),
        ]
    else:
        out = MoveKind.STOCK_OUT if kind == "out" else MoveKind.ISSUE
        moves = [Move(item, place, -qty, out, member="张三")]
    short = model[(item.id, place.id)] < qty and kind != "in"
    try:
        async with in_transaction():
            posted = await post(1, moves, None, NOW)
    except Shortage:
        assert short, f"step {step}: refused with {model[(item.id, place.id)]} on hand"
        return
    assert not short, f"step {step}: posted with only {model[(item.id, place.id)]}"
    for move, result in zip(moves, posted, strict=True):
        model[(move.product.id, move.warehouse.id)] += move.qty
        assert result.on_hand == model[(move.product.id, move.warehouse.id)]


async def _confirm_against_the_model(
    place: Warehouse,
    counted: tuple[StockCount, dict[int, int]],
    model: dict[tuple[int, int], int],
) -> None:
    count, deltas = counted
    short = any(model[(pid, place.id)] + delta < 0 for pid, delta in deltas.items())
    try:
        async with in_transaction():
            await counts.confirm(count, None, NOW)
    except UserFacingError:
        assert short
        await counts.cancel(count, NOW)
        return
    assert not short
    for product_id, delta in deltas.items():
        model[(product_id, place.id)] += delta


async def test_a_keyed_move_posts_once(tenant: TenantInfo) -> None:
    item = await product()
    place = await default_warehouse(1, NOW)
    move = Move(item, place, 5, MoveKind.STOCK_IN, key="ship:1")
    await post(1, [move], None, NOW)
    with pytest.raises(AlreadyPosted):
        async with in_transaction():
            await post(1, [move], None, NOW)
    assert await StockMove.filter(key="ship:1").count() == 1
    assert (await StockBalance.get(product_id=item.id)).on_hand == 5


async def test_the_default_warehouse_is_made_once_under_a_race(tenant: TenantInfo) -> None:
    async def make() -> int:
        async with in_transaction():
            return (await default_warehouse(1, NOW)).id

    ids = await asyncio.gather(*(make() for _ in range(10)))
    assert len(set(ids)) == 1
    assert await Warehouse.filter(tenant_id=1).count() == 1


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        yield opened


async def test_fifty_stock_outs_sent_at_once_through_the_bot(chat: Chat) -> None:
    await product()
    await chat.say("zhangsan", "入库 A4纸 10箱")
    since = await chat.sim.sent_count()
    people = ["zhangsan", "lisi", "wangwu", "zhaoliu"]
    deliveries = [
        chat.sim.deliver(
            "acme", {"MsgType": "text", "FromUserName": people[n % 4], "Content": "领用 A4纸 1箱"}
        )
        for n in range(50)
    ]
    assert all(r["status"] == 200 for r in await asyncio.gather(*deliveries))
    await chat.settle(since)
    replies = [text for user in people for text in chat.sent_to(user)]
    assert len(replies) == 50
    taken = [r for r in replies if "领用 A4纸 1箱（总仓）" in r]
    refused = [r for r in replies if r == "库存不足：总仓的「A4纸」只有 0箱 可用，要1箱不够。"]
    assert (len(taken), len(refused)) == (10, 40)
    assert (await StockBalance.get()).on_hand == 0
    await assert_ledger_balanced()
