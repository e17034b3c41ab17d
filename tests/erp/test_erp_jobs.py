"""ERP-lite's scheduled notices, with the injected clock moved through days and months: the
morning stock note (low stock, overdue purchase orders, yesterday's refused stock-outs), the
monthly 进销存汇总 and the nightly ledger check. Each goes out once per period, also when
several replicas tick at the same moment (concurrent runs on the database's own connections:
on PostgreSQL, with ``SCRM_TEST_DATABASE=postgres``, they really race)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from support.crm import Chat
from support.erp import erp_chat

from bot.capabilities import CAPABILITIES
from bot.clock import FrozenClock
from bot.config import Settings
from bot.erp.notes import month_summary
from bot.tenants import TenantInfo
from models.erp import MoveKind, PurchaseOrder, StockBalance, StockMove, StockRefusal
from models.outbox import OutboxMessage
from models.products import Product
from models.subscriptions import Notice
from scheduler.erp import Notice as NoticeJob
from scheduler.erp import checked, erp_jobs, monthly_summary, morning_note, send_notices

ADMIN = "zhangsan"


def shanghai(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        yield opened


async def tick(chat: Chat, notice: NoticeJob, clock: FrozenClock, at: datetime) -> list[str]:
    """One tick of a job at ``at``: the texts it sent the admin."""
    clock.set(at)
    runtime = chat.embedded.runtime
    assert runtime.sender is not None and runtime.billing is not None
    before = await OutboxMessage.filter(recipient=ADMIN).count()
    await send_notices(notice, runtime.tenants, runtime.billing, runtime.sender, clock)
    rows = await OutboxMessage.filter(recipient=ADMIN).order_by("id").offset(before)
    return [row.payload["content"] for row in rows]


async def replicas(
    chat: Chat, notice: NoticeJob, clock: FrozenClock, at: datetime, count: int = 5
) -> list[str]:
    """``count`` replicas ticking at the same moment."""
    clock.set(at)
    runtime = chat.embedded.runtime
    assert runtime.sender is not None and runtime.billing is not None
    before = await OutboxMessage.filter(recipient=ADMIN).count()
    args = (runtime.tenants, runtime.billing, runtime.sender, clock)
    await asyncio.gather(*(send_notices(notice, *args) for _ in range(count)))
    rows = await OutboxMessage.filter(recipient=ADMIN).order_by("id").offset(before)
    return [row.payload["content"] for row in rows]


async def stock_a4(chat: Chat) -> None:
    """A4纸 with a warning line at 10, 5 in stock, and a refused 出库 of 8 (Monday 10:00)."""
    await chat.say("lisi", "新增商品 A4纸 单位箱 售价25 进价18 预警10")
    await chat.say("lisi", "入库 A4纸 5箱")
    assert await chat.say("lisi", "出库 A4纸 8箱") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要8箱不够。"
    ]


async def test_a_refused_stock_out_is_recorded_and_nothing_else_stays(chat: Chat) -> None:
    await stock_a4(chat)
    assert await chat.say("wangwu", "领用 A4纸 6箱 赵六") == [
        "库存不足：总仓的「A4纸」只有 5箱 可用，要6箱不够。"
    ]
    refused = await StockRefusal.all().order_by("id")
    assert [(r.kind, r.wanted, r.available, r.member) for r in refused] == [
        (MoveKind.STOCK_OUT, 8, 5, ""),
        (MoveKind.ISSUE, 6, 5, "赵六"),
    ]
    assert (await StockBalance.get()).on_hand == 5
    assert await StockMove.all().count() == 1  # the 入库 only


async def test_the_morning_note_goes_out_once_a_day_from_eight(
    chat: Chat, clock: FrozenClock
) -> None:
    await stock_a4(chat)
    await chat.say("lisi", "新增供应商 晨光文具 王五 13800000000")
    await chat.say("lisi", "向晨光采购 A4纸100箱 单价18 周五到货")
    await chat.say("lisi", "确认")
    order = await PurchaseOrder.get()
    # Monday 23 November: the refusal was today, the order is due on Friday.
    assert await tick(chat, morning_note, clock, shanghai(2026, 11, 24, 7, 50)) == []
    [note] = await tick(chat, morning_note, clock, shanghai(2026, 11, 24, 8, 0))
    assert note.splitlines() == [
        "【库存早报】11月24日",
        "低库存 1 种：",
        "· A4纸 5箱（预警 10箱，在途 100箱）",
        "昨天因库存不足被拒的出库 1 次：",
        "· 10:00 李四出库「A4纸」8箱，总仓只有 5箱",
        "明细发送「低库存」「未到货」。",
    ]
    assert await tick(chat, morning_note, clock, shanghai(2026, 11, 24, 8, 10)) == []
    assert await tick(chat, morning_note, clock, shanghai(2026, 11, 24, 23, 50)) == []
    # Saturday: the order is a day late; Friday had no refusals.
    [saturday] = await tick(chat, morning_note, clock, shanghai(2026, 11, 28, 9, 30))
    assert saturday.splitlines()[1:] == [
        "低库存 1 种：",
        "· A4纸 5箱（预警 10箱，在途 100箱）",
        "逾期未到货的采购单 1 张：",
        f"· {order.number} 晨光文具 逾期 1 天，还差 A4纸 100箱",
        "明细发送「低库存」「未到货」。",
    ]
    assert await Notice.filter(kind="erp-morning").count() == 2


async def test_nothing_to_say_sends_nothing_and_claims_nothing(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "新增商品 A4纸 单位箱 售价25 进价18 预警10")
    await chat.say("lisi", "入库 A4纸 50箱")
    assert await tick(chat, morning_note, clock, shanghai(2026, 11, 24, 8, 0)) == []
    assert await Notice.filter(kind="erp-morning").count() == 0
    clock.set(shanghai(2026, 11, 24, 11, 0))
    await chat.say("lisi", "出库 A4纸 45箱")  # now below the line: the next tick tells
    [note] = await tick(chat, morning_note, clock, shanghai(2026, 11, 24, 11, 10))
    assert "· A4纸 5箱（预警 10箱）" in note.splitlines()


async def test_replicas_ticking_together_send_the_morning_note_once(
    chat: Chat, clock: FrozenClock
) -> None:
    await stock_a4(chat)
    texts = await replicas(chat, morning_note, clock, shanghai(2026, 11, 24, 8, 5))
    assert len(texts) == 1 and texts[0].startswith("【库存早报】11月24日")
    assert await Notice.filter(kind="erp-morning").count() == 1
    assert await replicas(chat, morning_note, clock, shanghai(2026, 11, 24, 8, 15)) == []


async def test_the_monthly_summary_gives_opening_in_out_and_closing(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "新增商品 A4纸 单位箱 售价25 进价18")
    await chat.say("lisi", "新增商品 订书机 单位个 售价9")  # no purchase price
    await chat.say("zhangsan", "新增仓库 门店")
    await chat.say("lisi", "入库 A4纸 20箱")
    first = await StockMove.get()
    await StockMove.filter(id=first.id).update(at=shanghai(2026, 10, 15, 10))  # October
    await chat.say("lisi", "入库 A4纸 100箱")
    await chat.say("lisi", "领用 A4纸 30箱 张三")
    await chat.say("lisi", "调拨 A4纸 10箱 总仓到门店")  # inside the tenant: not in, not out
    await chat.say("lisi", "入库 订书机 5个")
    assert await tick(chat, monthly_summary, clock, shanghai(2026, 12, 1, 8, 55)) == []
    [summary] = await tick(chat, monthly_summary, clock, shanghai(2026, 12, 1, 9, 0))
    assert summary.splitlines() == [
        "【进销存汇总】2026年11月（金额按移动平均成本计）",
        "· A4纸：期初 20箱 ¥360.00，入库 100箱 ¥1,800.00，出库 30箱 ¥540.00，期末 90箱 ¥1,620.00",
        "· 订书机：期初 0个，入库 5个，出库 0个，期末 5个（未填进价，不计金额）",
        "合计金额：期初 ¥360.00，入库 ¥1,800.00，出库 ¥540.00，期末 ¥1,620.00",
    ]
    assert await tick(chat, monthly_summary, clock, shanghai(2026, 12, 1, 9, 10)) == []
    assert await tick(chat, monthly_summary, clock, shanghai(2026, 12, 20, 9, 0)) == []
    # January: December moved nothing, but the stock is still there.
    [december] = await tick(chat, monthly_summary, clock, shanghai(2027, 1, 3, 15, 0))
    assert december.splitlines()[:2] == [
        "【进销存汇总】2026年12月（金额按移动平均成本计）",
        "· A4纸：期初 90箱 ¥1,620.00，入库 0箱 ¥0.00，出库 0箱 ¥0.00，期末 90箱 ¥1,620.00",
    ]
    a4 = await Product.get(name="A4纸")
    [line, _] = await month_summary(await _tenant(chat), date(2026, 11, 1), date(2026, 12, 1))
    total = sum(m.qty_delta for m in await StockMove.filter(product_id=a4.id))
    assert line.closing.qty == total == 90


async def test_replicas_ticking_together_send_the_monthly_summary_once(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "新增商品 A4纸 单位箱 售价25 进价18")
    await chat.say("lisi", "入库 A4纸 20箱")
    texts = await replicas(chat, monthly_summary, clock, shanghai(2026, 12, 1, 9, 5))
    assert len(texts) == 1 and texts[0].startswith("【进销存汇总】2026年11月")
    assert await Notice.filter(kind="erp-monthly").count() == 1


async def test_the_nightly_check_runs_once_a_night_and_alerts_only_on_a_mismatch(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.say("lisi", "新增商品 A4纸 单位箱 售价25 进价18")
    await chat.say("lisi", "入库 A4纸 20箱")
    assert await tick(chat, checked, clock, shanghai(2026, 11, 24, 1, 50)) == []
    assert await Notice.filter(kind="erp-check-run").count() == 0
    assert await tick(chat, checked, clock, shanghai(2026, 11, 24, 2, 0)) == []  # all agree
    assert await Notice.filter(kind="erp-check-run").count() == 1
    await StockBalance.all().update(on_hand=17)  # something wrote around the ledger
    assert await tick(chat, checked, clock, shanghai(2026, 11, 24, 3, 0)) == []  # checked tonight
    texts = await replicas(chat, checked, clock, shanghai(2026, 11, 25, 2, 5))
    assert texts == [
        "【库存核对】夜间核对发现库存与流水不一致，请尽快处理：\n"
        "库存核对发现问题（1 个库存余额、1 条流水）：\n"
        "A4纸 @ 总仓：余额 17，流水合计 20，最后结存 20"
    ]
    assert await Notice.filter(kind="erp-check-run").count() == 2
    assert await Notice.filter(kind="erp-check").count() == 1


async def test_a_tenant_without_erp_gets_none_of_it(settings: Settings, clock: FrozenClock) -> None:
    async with erp_chat(settings, clock, plan=None) as chat:
        await Product.create(
            tenant_id=1,
            name="A4纸",
            unit="箱",
            sale_price_fen=2500,
            min_qty=10,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        for job in (morning_note, monthly_summary, checked):
            assert await tick(chat, job, clock, shanghai(2026, 12, 1, 10, 0)) == []
        assert await Notice.filter(kind__startswith="erp").count() == 0


def test_the_capability_schedules_the_three_jobs() -> None:
    [erp] = [c for c in CAPABILITIES if c.name == "erp"]
    assert erp.jobs is erp_jobs


async def _tenant(chat: Chat) -> TenantInfo:
    tenant = await chat.embedded.runtime.tenants.get_by_id(1)
    assert tenant is not None
    return tenant
