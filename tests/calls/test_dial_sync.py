"""WeCom 公费电话 through the simulator: 同步公费电话 stores one call per outside leg, matched
to its customer; pulling again, overlapping windows and shuffled duplicated pages store
nothing twice; missed calls never appear; a refused app is told what to change."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.calls import allow_dial, call_chat, customer, place_dial_call
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.calls.dial_sync import DialReport, _store
from bot.clock import FrozenClock
from bot.config import Settings
from bot.tenants import TenantDirectory
from models.calls import CallDirection, CallRecord, CallSource, Disposition

NOW = int(MONDAY_10AM.timestamp())


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        await customer("张总", "13800000000", "星辰科技")
        yield opened


def single(at: int, phone: int, duration: int, caller: str = "lisi") -> dict[str, object]:
    return {"caller": caller, "call_time": at, "callee": [{"phone": phone, "duration": duration}]}


async def test_sync_stores_each_outside_leg_once(chat: Chat) -> None:
    await place_dial_call(chat, single(NOW - 3600, 13800000000, 125))
    multi = {
        "caller": "lisi",
        "call_time": NOW - 1800,
        "callee": [
            {"phone": 13900000000, "duration": 60},
            {"phone": 8613700000000, "duration": 30},
            {"userid": "wangwu", "duration": 60},
        ],
    }
    await place_dial_call(chat, multi)
    await place_dial_call(chat, {**single(NOW - 600, 13800000000, 0), "connected": False})
    assert await chat.say("zhangsan", "同步公费电话") == [
        "已同步公费电话（最近两天）：读到 2 条记录，3 通电话，其中新记 3 通。"
    ]
    rows = await CallRecord.all().order_by("started_at", "number")
    assert [(r.number, r.talk_secs, r.source, r.direction) for r in rows] == [
        ("13800000000", 125, CallSource.WECOM_DIAL, CallDirection.OUTBOUND),
        ("13700000000", 30, CallSource.WECOM_DIAL, CallDirection.OUTBOUND),
        ("13900000000", 60, CallSource.WECOM_DIAL, CallDirection.OUTBOUND),
    ]
    assert rows[0].customer_id is not None and rows[0].disposition is Disposition.ANSWERED
    assert await chat.say("zhangsan", "同步一下公费电话") == [
        "已同步公费电话（最近两天）：读到 2 条记录，3 通电话，其中新记 0 通。"
    ]
    assert await CallRecord.all().count() == 3


async def test_more_than_a_page_is_read_to_the_end(chat: Chat) -> None:
    for n in range(130):
        await place_dial_call(chat, single(NOW - 7200 + n, 13800000000 + n, 10 + n))
    [reply] = await chat.say("zhangsan", "同步公费电话")
    assert "读到 130 条记录，130 通电话，其中新记 130 通" in reply
    assert await CallRecord.all().count() == 130


async def test_a_refused_app_is_told_what_to_change(chat: Chat) -> None:
    await allow_dial(chat, False)
    assert await chat.say("zhangsan", "同步公费电话") == [
        "企业微信没有允许本应用读取公费电话："
        "请在管理后台「公费电话 - 可调用接口的应用」中加入本应用。"
    ]
    [refused] = await chat.say("lisi", "同步公费电话")
    assert "管理员" in refused


async def test_shuffled_duplicated_pages_store_each_leg_once(chat: Chat) -> None:
    records = [
        {
            "call_time": NOW - 60 * n,
            "caller": {"userid": "lisi", "duration": n},
            "callee": [{"phone": 13800000000 + n % 3, "duration": n}],
        }
        for n in range(1, 25)
    ]
    tenant = await TenantDirectory().get("acme")
    assert tenant is not None
    rng = random.Random(18)
    for _ in range(4):
        pages = records + rng.sample(records, 10)
        rng.shuffle(pages)
        report = DialReport()
        for record in pages:
            await _store(tenant, record, MONDAY_10AM + timedelta(seconds=1), report)
        assert await CallRecord.all().count() == len(records)
