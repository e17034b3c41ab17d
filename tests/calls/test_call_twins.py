"""One call reported both by a telephony platform's webhook and by a WeCom 公费电话 pull
(no shared id): the same outside number and employee, outbound, starts within two minutes,
is one record and counts once in the daily table, in either order and on re-syncs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from support.calls import call_chat, customer, event, place_dial_call, post_event, with_secret
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallDay, CallRecord, CallSource, CallStage

NINE = MONDAY_10AM - timedelta(hours=1)


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        await customer("张总", "13800000000", "星辰科技")
        await with_secret()
        yield opened


def outbound(call_id: str, stage: str, ring: datetime, talk: int = 0) -> dict[str, object]:
    fields: dict[str, object] = {
        "direction": "out",
        "from": "4008001234",
        "to": "13800000000",
        "ring_at": ring.isoformat(),
    }
    if talk:
        fields["answer_at"] = (ring + timedelta(seconds=10)).isoformat()
    if stage == "ended":
        fields["end_at"] = (ring + timedelta(seconds=10 + talk)).isoformat()
    return event(call_id, stage, **fields)


async def pulled(chat: Chat, at: datetime, duration: int, phone: int = 13800000000) -> None:
    body = {
        "caller": "lisi",
        "call_time": int(at.timestamp()),
        "callee": [{"phone": phone, "duration": duration}],
    }
    await place_dial_call(chat, body)


async def sync(chat: Chat) -> str:
    [answer] = await chat.say("zhangsan", "同步公费电话")
    return answer


async def counted() -> int:
    return sum(await CallDay.filter(tenant_id=1).values_list("calls", flat=True))


async def test_a_pull_after_the_webhook_stores_nothing_new(chat: Chat) -> None:
    await post_event(chat, outbound("w-1", "ringing", NINE))
    await post_event(chat, outbound("w-1", "ended", NINE, 300))
    await pulled(chat, NINE + timedelta(seconds=12), 300)
    assert (await sync(chat)).endswith("其中新记 0 通。")
    assert (await sync(chat)).endswith("其中新记 0 通。")
    [call] = await CallRecord.all()
    assert (call.source, call.talk_secs) == (CallSource.WEBHOOK, 300)
    assert await counted() == 1


async def test_the_webhook_after_a_pull_takes_the_pulled_record_over(chat: Chat) -> None:
    await pulled(chat, NINE + timedelta(seconds=10), 290)
    assert (await sync(chat)).endswith("其中新记 1 通。")
    await post_event(chat, outbound("w-2", "ringing", NINE))
    await post_event(chat, outbound("w-2", "answered", NINE, 300))
    await post_event(chat, outbound("w-2", "ended", NINE, 300))
    await post_event(chat, outbound("w-2", "ended", NINE, 300))  # redelivered
    assert (await sync(chat)).endswith("其中新记 0 通。")
    [call] = await CallRecord.all()
    assert (call.source, call.external_id, call.stage, call.talk_secs) == (
        CallSource.WEBHOOK,
        "w-2",
        CallStage.ENDED,
        300,
    )
    assert await counted() == 1


async def test_calls_apart_or_to_other_numbers_stay_two(chat: Chat) -> None:
    await post_event(chat, outbound("w-3", "ended", NINE, 60))
    await pulled(chat, NINE + timedelta(minutes=5), 60)  # five minutes later: another call
    await pulled(chat, NINE + timedelta(seconds=5), 60, phone=13900000000)  # another number
    assert (await sync(chat)).endswith("其中新记 2 通。")
    assert await CallRecord.all().count() == 3
    assert await counted() == 3
