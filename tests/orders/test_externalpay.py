"""Orders reconciled with WeCom 对外收款 through the simulator, on a frozen Monday 10:00
(2026-11-23) in Shanghai: a bill pays its customer's order, nothing is stored twice, refunds
arriving later, one-month windows in seconds, paging, bills left for the owner, 48002, the
scheduled job and ``scrm-bot orders sync``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest
from support.crm import Chat
from support.followups import add_customer
from support.orders import order_chat

from bot.cli.main import build_parser
from bot.cli.orders import sync_orders
from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.errors import UserFacingError
from bot.orders.bill_question import Choice, choice
from bot.orders.claims import TAKEN, claim
from bot.orders.externalpay import BillSyncReport, BillSyncSweep, sync_bills
from bot.wecom.client import WeComAPIError
from bot.wecom_sim.control import SimulatorControlError
from bot.wecom_sim.control_externalpay import ExternalPaySimControl
from bot.wecom_sim.externalpay import MAX_WINDOW_SECONDS
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

SENTENCE = "给星辰科技下单 A4纸 20箱 单价25，打9折，分两期付款，首付一半下周五前"  # ¥450.00
PAYER = "wmStarTech0001"
N1 = "DD-20261123-0001"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with order_chat(settings, clock) as opened:
        customer = await add_customer("星辰科技")
        customer.external_userid = PAYER
        await customer.save()
        yield opened


@pytest.fixture
async def pay(chat: Chat) -> AsyncIterator[ExternalPaySimControl]:
    async with aiohttp.ClientSession() as session:
        yield ExternalPaySimControl(session, chat.embedded.simulator_url)


def ago(clock: FrozenClock, **delta: float) -> int:
    return int((clock.now() - timedelta(**delta)).timestamp())


async def run(
    chat: Chat, clock: FrozenClock, *, since: datetime | None = None, limit: int = 1000
) -> BillSyncReport:
    runtime = chat.embedded.runtime
    tenant = await runtime.tenants.get("acme")
    assert tenant is not None and runtime.client is not None
    return await sync_bills(runtime.client, tenant, clock, since=since, limit=limit)


async def confirmed_order(chat: Chat) -> Order:
    await chat.say("lisi", SENTENCE)
    await chat.say("lisi", "确认")
    order = await Order.all().order_by("-id").first()
    assert order is not None and order.state is OrderState.CONFIRMED
    return order


async def paid_kept(order_id: int | None = None) -> tuple[int, int]:
    """The order's (paid_fen, refunded_fen) as its row keeps them, after checking that they
    are what its collections and refunds add up to."""
    order = await (Order.get(id=order_id) if order_id else Order.all().order_by("-id").first())
    assert order is not None
    collected = sum(c.amount_fen for c in await Collection.filter(order_id=order.id))
    refunded = sum(r.amount_fen for r in await Refund.filter(order_id=order.id))
    assert (order.paid_fen, order.refunded_fen) == (collected - refunded, refunded)
    return order.paid_fen, order.refunded_fen


async def stored() -> tuple[int, int, int]:
    return (
        await Collection.all().count(),
        await Refund.all().count(),
        await PendingBill.all().count(),
    )


async def test_a_paid_bill_pays_the_order_it_fits_and_a_second_run_writes_nothing(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    order = await confirmed_order(chat)
    bill = await pay.add_bill(
        "acme", 45000, external_userid=PAYER, payee_userid="lisi", pay_time=ago(clock, hours=1)
    )
    report = await run(chat, clock)
    assert (report.bills, report.collected, report.queued) == (1, 1, 0)
    collection = await Collection.get(order_id=order.id)
    assert (collection.amount_fen, collection.source, collection.external_id) == (
        45000,
        CollectionSource.EXTERNALPAY,
        bill["transaction_id"],
    )
    assert int(collection.received_at.timestamp()) == bill["pay_time"]
    [card] = await chat.say("lisi", "订单 0001")
    assert card.startswith(f"订单 {N1}（已确认）")
    assert "已收 ¥450.00 · 未收 ¥0.00" in card

    again = await run(chat, clock)
    assert (again.bills, again.collected, again.queued, again.refunds) == (1, 0, 0, 0)
    assert await stored() == (1, 0, 0)


async def test_a_refund_added_later_lowers_paid_once(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    bill = await pay.add_bill("acme", 45000, external_userid=PAYER, pay_time=ago(clock, days=2))
    await run(chat, clock)
    clock.advance(timedelta(hours=3))
    tid = bill["transaction_id"]
    await pay.add_bill_refund("acme", tid, 5000, out_refund_no="R1", refund_comment="少发一箱")
    await pay.add_bill_refund("acme", tid, 1000, out_refund_no="R2", refund_status=1)  # 处理中
    report = await run(chat, clock)
    assert report.refunds == 1
    refund = await Refund.get(external_id="R1")
    assert (refund.amount_fen, refund.reason) == (5000, "少发一箱")
    [card] = await chat.say("lisi", "订单 0001")
    assert card.endswith("已收 ¥400.00 · 已退 ¥50.00 · 未收 ¥50.00 · 部分回款 · 未发货")
    assert await paid_kept() == (40000, 5000)

    assert (await run(chat, clock)).refunds == 0
    assert await stored() == (1, 1, 0)
    assert await paid_kept() == (40000, 5000)


async def test_two_months_are_asked_for_as_two_windows_in_seconds(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await pay.add_bill("acme", 100, external_userid=PAYER, pay_time=ago(clock, days=50))
    await pay.add_bill("acme", 200, external_userid=PAYER, pay_time=ago(clock, days=10))
    report = await run(chat, clock, since=clock.now() - timedelta(days=60))
    assert (report.windows, report.bills) == (2, 2)
    asked = await pay.bill_requests("acme")
    assert len(asked) == 2
    for body in asked:
        assert 0 < body["end_time"] - body["begin_time"] <= MAX_WINDOW_SECONDS
        assert body["end_time"] <= int(clock.now().timestamp())  # seconds, not milliseconds
    assert asked[0]["end_time"] == asked[1]["begin_time"]
    state = await ExternalPaySync.get()
    assert state.synced_until == clock.now() and state.target_end is None
    # No open order lacks ¥1.00 or ¥2.00: both wait for the owner, nothing is guessed.
    reasons = await PendingBill.all().order_by("paid_at").values_list("reason", flat=True)
    assert reasons == [PendingBillReason.NO_ORDER, PendingBillReason.NO_ORDER]


async def test_pages_follow_the_cursor(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    for n in range(5):
        await pay.add_bill(
            "acme", 100 + n, external_userid="wmSomeone", pay_time=ago(clock, hours=5 - n)
        )
    report = await run(chat, clock, limit=2)
    assert (report.windows, report.pages, report.bills, report.queued) == (1, 3, 5, 5)
    cursors = [body.get("cursor") for body in await pay.bill_requests("acme")]
    assert cursors[0] is None and cursors[1] and cursors[2] and cursors[1] != cursors[2]
    assert all(body["limit"] == 2 for body in await pay.bill_requests("acme"))


async def test_bills_of_payees_outside_the_visible_range_are_not_seen(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await chat.sim.put_person("acme", "lisi", "李四")
    await chat.sim.set_visible("acme", users=["lisi"])
    await pay.add_bill("acme", 100, payee_userid="lisi", pay_time=ago(clock, hours=2))
    await pay.add_bill("acme", 200, payee_userid="zhaoliu", pay_time=ago(clock, hours=1))
    report = await run(chat, clock)
    assert report.bills == 1
    assert await PendingBill.all().values_list("amount_fen", flat=True) == [100]


async def test_an_unknown_payer_or_an_ambiguous_amount_waits_for_the_owner(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    await confirmed_order(chat)  # a second order lacking the same ¥450.00
    await pay.add_bill("acme", 45000, external_userid=PAYER, pay_time=ago(clock, hours=2))
    await pay.add_bill("acme", 45000, external_userid="wmStranger", pay_time=ago(clock, hours=1))
    report = await run(chat, clock)
    assert (report.collected, report.queued) == (0, 2)
    customer = await Customer.get(external_userid=PAYER)
    rows = await PendingBill.all().order_by("paid_at")
    assert [(r.reason, r.customer_id) for r in rows] == [
        (PendingBillReason.SEVERAL_ORDERS, customer.id),
        (PendingBillReason.UNKNOWN_PAYER, None),
    ]
    assert await Collection.all().count() == 0
    sender = chat.embedded.runtime.sender
    assert sender is not None
    since = await chat.sim.sent_count()
    await sender.sweep_all()
    await chat.settle(since)
    several, unknown = chat.sent_to("zhangsan")  # no owner, no payee: the admins
    assert "有几个订单都差这个数" in several
    assert "可能是 DD-20261123-0001、DD-20261123-0002 中的一个。" in several
    assert "未知付款人" in unknown


async def test_48002_is_recorded_and_the_next_try_waits(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    await pay.add_bill("acme", 45000, external_userid=PAYER, pay_time=ago(clock, hours=1))
    await pay.allow_externalpay("acme", False)
    report = await run(chat, clock)
    assert report.forbidden and report.blocked_until == clock.now() + timedelta(hours=1)
    state = await ExternalPaySync.get()
    assert state.last_error.startswith("48002")
    clock.advance(timedelta(minutes=30))
    assert (await run(chat, clock)).forbidden
    assert len(await pay.bill_requests("acme")) == 1  # no call while blocked

    await pay.allow_externalpay("acme", True)
    clock.advance(timedelta(minutes=31))
    report = await run(chat, clock)
    assert (report.forbidden, report.resumed, report.collected) == (False, True, 1)
    state = await ExternalPaySync.get()
    assert (state.last_error, state.blocked_until) == ("", None)


async def test_the_scheduled_job_syncs_tenants_with_the_orders_module(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    await pay.add_bill("acme", 45000, external_userid=PAYER, pay_time=ago(clock, hours=1))
    runtime = chat.embedded.runtime
    assert runtime.client is not None and runtime.billing is not None
    sweep = BillSyncSweep(runtime.tenants, runtime.client, runtime.billing, clock)
    assert await sweep.run() == 1
    assert await Collection.all().count() == 1


async def test_the_cli_command(
    chat: Chat,
    clock: FrozenClock,
    pay: ExternalPaySimControl,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await confirmed_order(chat)
    await pay.add_bill("acme", 45000, external_userid=PAYER, pay_time=ago(clock, hours=1))
    await pay.add_bill("acme", 999, external_userid=PAYER, pay_time=ago(clock, hours=1))
    settings = replace(
        settings, wecom=replace(settings.wecom, api_base=chat.embedded.simulator_url)
    )
    capsys.readouterr()
    assert await sync_orders(settings, "acme", clock) == 0
    assert capsys.readouterr().out == (
        "synced 对外收款 of acme: 2 paid bills in 1 windows (1 pages); "
        "1 matched to orders, 1 waiting for their owner, 0 refunds\n"
    )
    await pay.allow_externalpay("acme", False)
    assert await sync_orders(settings, "acme", clock) == 0
    assert "(48002)" in capsys.readouterr().out
    assert await sync_orders(settings, "nope", clock) == 1
    assert "no tenant 'nope'" in capsys.readouterr().err


def test_the_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["orders", "sync", "--help"])
    assert done.value.code == 0
    assert "usage: scrm-bot orders sync" in capsys.readouterr().out


async def test_a_run_stopped_half_way_resumes_at_the_stored_cursor(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        await pay.add_bill(
            "acme", 100 + n, external_userid="wmSomeone", pay_time=ago(clock, hours=5 - n)
        )
    client = chat.embedded.runtime.client
    assert client is not None
    real_call, calls = client.call, 0

    async def failing_second_page(*args: Any, **kwargs: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise WeComAPIError("externalpay/get_bill_list", -1, "connection reset")
        return await real_call(*args, **kwargs)

    monkeypatch.setattr(client, "call", failing_second_page)
    with pytest.raises(WeComAPIError):
        await run(chat, clock, limit=2)
    state = await ExternalPaySync.get()
    assert state.cursor and state.target_end is not None
    assert await PendingBill.all().count() == 2

    clock.advance(timedelta(minutes=5))
    report = await run(chat, clock, limit=2)
    assert (report.resumed, report.pages, report.bills) == (True, 1, 2)
    assert (await pay.bill_requests("acme"))[-1]["cursor"] == state.cursor
    assert await PendingBill.all().count() == 4


async def test_bills_waiting_for_their_owner_are_listed(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    assert await chat.say("lisi", "待认领收款") == ["没有待认领的对外收款。"]
    await pay.add_bill(
        "acme", 45000, external_userid=PAYER, payee_userid="lisi", pay_time=ago(clock, hours=1)
    )
    bill = await pay.add_bill(
        "acme",
        999,
        external_userid="wmStranger",
        payee_userid="wangwu",
        pay_time=ago(clock, hours=2),
    )
    await pay.add_bill_refund("acme", bill["transaction_id"], 99)
    since = await chat.sim.sent_count()
    await run(chat, clock)
    sender = chat.embedded.runtime.sender
    assert sender is not None
    await sender.sweep_all()
    await chat.settle(since)
    assert chat.sent_to("lisi") == [
        "【待认领收款】星辰科技 通过对外收款付了 ¥450.00（11月23日（周一）09:00），"
        "没有已确认订单正好差这个数，没有自动记账。发送「待认领收款」查看。"
    ]
    assert chat.sent_to("wangwu") == [
        "【待认领收款】未知付款人 通过对外收款付了 ¥9.99（11月23日（周一）08:00），"
        "付款人不在客户库，没有自动记账。发送「待认领收款」查看。"
    ]
    await run(chat, clock)  # seen again: nobody is told twice
    await sender.sweep_all()
    assert await chat.settle(since) == chat.last and len(chat.last) == 2
    assert await chat.say("zhangsan", "待认领收款") == [
        "待认领的对外收款 2 笔（没能对上唯一的订单，没有自动记账）：\n"
        "1. 11月23日（周一）08:00 未知付款人 ¥9.99，已退 ¥0.99，收款人 wangwu：付款人不在客户库\n"
        "2. 11月23日（周一）09:00 星辰科技 ¥450.00，收款人 lisi：没有已确认订单正好差这个数\n"
        "确认是哪个订单的，发送「认领收款 序号 订单号」，例如：认领收款 1 0001"
    ]
    [mine] = await chat.say("lisi", "待认领收款")
    assert mine.startswith("待认领的对外收款 1 笔") and "星辰科技 ¥450.00" in mine


async def test_the_simulator_refuses_what_wecom_refuses(chat: Chat, clock: FrozenClock) -> None:
    runtime = chat.embedded.runtime
    tenant = await runtime.tenants.get("acme")
    assert tenant is not None and runtime.client is not None
    now = int(clock.now().timestamp())
    refused = (
        {"begin_time": now - 32 * 86400, "end_time": now},  # more than a month
        {"begin_time": (now - 3600) * 1000, "end_time": now * 1000},  # milliseconds
        {"begin_time": now - 3600, "end_time": now, "limit": 1001},
    )
    for body in refused:
        with pytest.raises(WeComAPIError) as error:
            await runtime.client.call(tenant.credentials, "externalpay/get_bill_list", json=body)
        assert error.value.errcode == 40058


async def test_a_remark_naming_the_order_pays_it_even_in_part(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    order = await confirmed_order(chat)
    await pay.add_bill(
        "acme", 22500, external_userid=PAYER, remark=f"订单{N1} 首付", pay_time=ago(clock, hours=1)
    )
    report = await run(chat, clock)
    assert (report.collected, report.queued) == (1, 0)
    assert (await Collection.get(order_id=order.id)).amount_fen == 22500
    [card] = await chat.say("lisi", "订单 0001")
    assert "已收 ¥225.00 · 未收 ¥225.00" in card


async def test_a_waiting_bill_is_claimed_onto_the_order_its_owner_names(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    bill = await pay.add_bill(
        "acme", 20000, external_userid=PAYER, payee_userid="lisi", pay_time=ago(clock, hours=1)
    )
    tid = bill["transaction_id"]
    await pay.add_bill_refund("acme", tid, 3000, out_refund_no="R9", refund_comment="多付了")
    assert (await run(chat, clock)).queued == 1  # ¥200.00 is no order's outstanding amount
    [listed] = await chat.say("lisi", "待认领收款")
    assert listed.splitlines()[1:] == [
        "1. 11月23日（周一）09:00 星辰科技 ¥200.00，已退 ¥30.00，收款人 lisi："
        "没有已确认订单正好差这个数",
        "确认是哪个订单的，发送「认领收款 序号 订单号」，例如：认领收款 1 0001",
    ]
    assert await chat.say("lisi", "第1笔收款是订单0001的") == [
        f"已把 11月23日（周一）09:00 星辰科技 的对外收款 ¥200.00 记到订单 {N1}："
        "已收 ¥170.00，未收 ¥280.00，部分回款。（这笔已退 ¥30.00，一并记上。）"
    ]
    collection = await Collection.get()
    assert (collection.external_id, collection.source) == (tid, CollectionSource.EXTERNALPAY)
    assert (await Refund.get()).external_id == "R9"
    assert await stored() == (1, 1, 0)
    assert await paid_kept() == (17000, 3000)
    # The next sync sees the claimed bill as its own: nothing is written twice.
    again = await run(chat, clock)
    assert (again.collected, again.queued, again.refunds) == (0, 0, 0)
    assert await stored() == (1, 1, 0)
    assert await chat.say("lisi", "认领收款 1 0001") == [
        "待认领收款里没有第 1 笔（共 0 笔）。发送「待认领收款」看序号。"
    ]


async def test_claiming_says_what_to_type_and_touches_nothing_when_wrong(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    await pay.add_bill("acme", 99900, external_userid=PAYER, pay_time=ago(clock, hours=1))
    await run(chat, clock)
    assert await chat.say("zhangsan", "认领收款 一笔") == [
        "请按这个格式写：认领收款 序号 订单号，例如：认领收款 1 0001（序号见「待认领收款」）"
    ]
    assert await chat.say("zhangsan", "认领收款 1 0001") == [
        f"订单 {N1} 只差 ¥450.00 未收，这笔 ¥999.00 多了。请核对金额"
        "（要收预付款，管理员可以「订单设置 允许超收 是」）。"
    ]
    [missing] = await chat.say("zhangsan", "认领收款 1 0099")
    assert missing.startswith("没有找到订单「0099」")
    assert await stored() == (0, 0, 1)
    assert await paid_kept() == (0, 0)


async def test_two_claims_of_one_bill_at_once_write_one_collection(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    order = await confirmed_order(chat)
    await pay.add_bill("acme", 10000, external_userid=PAYER, pay_time=ago(clock, hours=1))
    await run(chat, clock)
    pending = await PendingBill.get()
    twins = [await PendingBill.get(id=pending.id) for _ in range(2)]
    results = await asyncio.gather(
        *(claim(p, order, None, clock.now(), clock.now().date()) for p in twins),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, UserFacingError)]
    assert len(refused) == 1 and str(refused[0]) == TAKEN
    assert await stored() == (1, 0, 0)
    assert await paid_kept(order.id) == (10000, 0)


async def _queued_and_asked(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl, amount: int, **bill: Any
) -> list[str]:
    """Two open orders of 星辰科技, a bill fitting neither, the sync; what lisi was sent."""
    await confirmed_order(chat)
    await confirmed_order(chat)
    await pay.add_bill(
        "acme", amount, external_userid=PAYER, payee_userid="lisi", pay_time=ago(clock, hours=1)
    )
    since = await chat.sim.sent_count()
    assert (await run(chat, clock)).queued == 1
    sender = chat.embedded.runtime.sender
    assert sender is not None
    await sender.sweep_all()
    await chat.settle(since)
    return chat.sent_to("lisi")


ASKED = (
    "【待认领收款】星辰科技 通过对外收款付了 ¥200.00（11月23日（周一）09:00），"
    "没有已确认订单正好差这个数，没有自动记账。\n"
    "这笔收款是哪个订单？\n"
    "1. DD-20261123-0001 星辰科技 ¥450.00，已收 ¥0.00，未收 ¥450.00\n"
    "2. DD-20261123-0002 星辰科技 ¥450.00，已收 ¥0.00，未收 ¥450.00\n"
    "请回复序号（如「1」）或订单号（如「是0001那个」）；回复「不是」先不认领。"
)


@pytest.mark.parametrize("answer", ["2", "第二个", "是0002那个", "DD-20261123-0002", "选2"])
async def test_the_owner_is_asked_which_order_and_a_numbered_reply_claims_it(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl, answer: str
) -> None:
    assert await _queued_and_asked(chat, clock, pay, 20000) == [ASKED]
    assert await chat.say("lisi", answer) == [
        "已把 11月23日（周一）09:00 星辰科技 的对外收款 ¥200.00 记到订单 DD-20261123-0002："
        "已收 ¥200.00，未收 ¥250.00，部分回款。"
    ]
    second = await Order.get(seq=2)
    assert (await Collection.get()).order_id == second.id
    assert await stored() == (1, 0, 0)
    # Answered once: the same words again are no claim, and the next sync writes nothing.
    assert await chat.say("lisi", answer) != [] and await stored() == (1, 0, 0)
    again = await run(chat, clock)
    assert (again.collected, again.queued) == (0, 0)


async def test_the_answer_is_claimed_once_when_wecom_delivers_it_twice(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await _queued_and_asked(chat, clock, pay, 20000)
    fields = {"MsgType": "text", "FromUserName": "lisi", "Content": "第一个", "MsgId": 9201}
    since = await chat.sim.sent_count()
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    await chat.settle(since)
    [reply] = chat.sent_to("lisi")
    assert reply.startswith("已把") and "DD-20261123-0001" in reply
    assert await stored() == (1, 0, 0)


async def test_a_wrong_number_asks_again_and_no_leaves_the_bill_waiting(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await _queued_and_asked(chat, clock, pay, 20000)
    assert await chat.say("lisi", "5") == [
        "请回复 1 到 2 之间的序号，或列表里的订单号（如「是0001那个」）；回复「不是」先不认领。"
    ]
    assert await chat.say("lisi", "不是") == [
        "好的，这笔先不认领。之后发送「待认领收款」可以再处理。"
    ]
    assert await stored() == (0, 0, 1)
    [listed] = await chat.say("lisi", "待认领收款")
    assert listed.startswith("待认领的对外收款 1 笔")


async def test_someone_in_another_conversation_is_not_asked(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    await chat.say("lisi", SENTENCE)  # a draft waiting for 确认: lisi is mid-conversation
    await pay.add_bill(
        "acme", 20000, external_userid=PAYER, payee_userid="lisi", pay_time=ago(clock, hours=1)
    )
    since = await chat.sim.sent_count()
    assert (await run(chat, clock)).queued == 1
    sender = chat.embedded.runtime.sender
    assert sender is not None
    await sender.sweep_all()
    await chat.settle(since)
    [told] = chat.sent_to("lisi")
    assert "这笔收款是哪个订单" not in told and told.endswith("发送「待认领收款」查看。")
    [confirmed] = await chat.say("lisi", "确认")  # the draft's step was left alone
    assert "已确认" in confirmed


async def test_after_a_claim_the_next_waiting_bill_is_asked_about(
    chat: Chat, clock: FrozenClock, pay: ExternalPaySimControl
) -> None:
    await confirmed_order(chat)
    await confirmed_order(chat)
    for hours, amount in ((2, 10000), (1, 20000)):
        await pay.add_bill(
            "acme",
            amount,
            external_userid=PAYER,
            payee_userid="lisi",
            pay_time=ago(clock, hours=hours),
        )
    assert (await run(chat, clock)).queued == 2
    [first] = await chat.say("lisi", "1")
    lines = first.splitlines()
    assert "¥100.00 记到订单 DD-20261123-0001" in lines[0]
    assert lines[1] == "还有一笔待认领：星辰科技 ¥200.00（11月23日（周一）09:00）。"
    assert lines[2] == "这笔收款是哪个订单？"
    [second] = await chat.say("lisi", "是0002那个")
    assert "¥200.00 记到订单 DD-20261123-0002" in second
    assert await stored() == (2, 0, 0)


@pytest.mark.parametrize(
    ("text", "index", "number"),
    [
        ("1", 1, None),
        ("第一个", 1, None),
        ("第3笔", 3, None),
        ("就是第二个吧", 2, None),
        ("0001", None, "0001"),
        ("是0001那个", None, "0001"),
        ("订单0012", None, "0012"),
        ("dd-20261123-0001", None, "DD202611230001"),
        ("收到了", None, None),
        ("1000块", None, None),
    ],
)
def test_what_counts_as_an_answer(text: str, index: int | None, number: str | None) -> None:
    found = choice(text)
    if index is None and number is None:
        assert found is None
    else:
        assert found == Choice(index=index, number=number)


async def test_get_payment_info_lists_the_trade_numbers_of_the_apps_own_projects(
    chat: Chat, pay: ExternalPaySimControl
) -> None:
    runtime = chat.embedded.runtime
    tenant = await runtime.tenants.get("acme")
    assert tenant is not None and runtime.client is not None
    ours = await pay.add_payment("acme", 45000, description="订单0001 首付")
    theirs = await pay.add_payment("acme", 100, by_app=False)
    first = await pay.add_bill("acme", 22500, external_userid=PAYER, payment_id=ours)
    second = await pay.add_bill("acme", 22500, external_userid=PAYER, payment_id=ours)
    await pay.add_bill("acme", 100, payment_id=theirs)

    async def info(body: dict[str, Any]) -> dict[str, Any]:
        assert runtime.client is not None and tenant is not None
        return await runtime.client.call(
            tenant.credentials, "externalpay/get_payment_info", json=body
        )

    answer = await info({"payment_id": ours})
    assert answer["bill_list"] == [
        {"out_trade_no": first["out_trade_no"]},
        {"out_trade_no": second["out_trade_no"]},
    ]
    for refused in ({"payment_id": theirs}, {"payment_id": "P404"}, {}):
        with pytest.raises(WeComAPIError) as error:
            await info(refused)
        assert error.value.errcode == 40058
    await pay.allow_externalpay("acme", False)
    with pytest.raises(WeComAPIError) as forbidden:
        await info({"payment_id": ours})
    assert forbidden.value.errcode == 48002


async def test_the_simulator_checks_payment_projects_as_the_js_sdk_does(
    pay: ExternalPaySimControl,
) -> None:
    for fields in (
        {"total_fee": 0},
        {"total_fee": 5_000_001},
        {"total_fee": 100, "description": "字" * 33},
        {"total_fee": 100, "description": "字" * 17, "payment_type": 1},
        {"total_fee": 100, "payment_type": 2},
    ):
        with pytest.raises(SimulatorControlError) as refused:
            await pay.add_payment("acme", **fields)
        assert refused.value.status == 400
    assert await pay.add_payment("acme", 5_000_000, description="字" * 32)
