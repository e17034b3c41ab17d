"""The signed call webhook, as a telephony platform uses it: ringing pops the caller's card
to the agent, answered and ended complete the same call, a missed call becomes one callback
that a later connected call closes; retries and concurrent deliveries write one row; bad
input gets a 4xx naming the field, never internals."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.calls import SECRET, call_chat, customer, event, post_event, with_secret
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.calls.hook_body import BadEvent, read_event
from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallRecord, CallStage, Disposition
from models.crm.customers import CustomerNote
from models.followups import Followup, FollowupStatus
from models.tenants import Employee

POP = (
    "【来电 138 0000 0000】\n"
    "张总（星辰科技）\n"
    "客户级别：D级\n"
    "负责人：李四\n"
    "未结工单：0 个\n"
    "进行中订单：0 个\n"
    "最近互动\n"
    "· 加微信\n"
    "[客户详情]"
)
ANSWERED = {"answer_at": "2026-11-23T10:00:10+08:00"}
ENDED = {
    **ANSWERED,
    "end_at": "2026-11-23T10:05:10+08:00",
    "recording_url": "https://r.example/1.mp3",
}
MISSED = {"end_at": "2026-11-23T10:00:30+08:00"}


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        lisi = await Employee.get(userid="lisi")
        zhang = await customer("张总", "13800000000", "星辰科技", owner=lisi.id)
        await CustomerNote.create(
            tenant_id=1, customer_id=zhang.id, kind="added", text="加微信", created_at=MONDAY_10AM
        )
        await with_secret(own=("400-800-1234",))
        yield opened


async def pops(chat: Chat, since: int) -> list[str]:
    await chat.settle(since)
    return chat.sent_to("lisi")


async def test_the_pops_customer_button_shows_the_whole_customer_card(chat: Chat) -> None:
    since = await chat.sim.sent_count()
    await post_event(chat, event("c-9", "ringing"))
    assert await pops(chat, since) == [POP]
    call = await CallRecord.get()
    fields = {
        "Event": "template_card_event",
        "FromUserName": "lisi",
        "EventKey": f"call:profile:{call.id}",
        "TaskId": f"call-pop-{call.id}",
        "CardType": "button_interaction",
    }
    await chat.event(fields)
    [shown] = chat.sent_to("lisi")
    assert shown.startswith("【客户】张总") and "星辰科技" in shown
    # A button of a call that no longer exists says so instead of failing.
    await chat.event({**fields, "EventKey": "call:profile:999"})
    assert chat.sent_to("lisi") == ["这通未接来电已不存在。"]


async def test_ringing_answered_ended_make_one_call_and_pop_the_card_once(chat: Chat) -> None:
    since = await chat.sim.sent_count()
    status, answer = await post_event(chat, event("c-1", "ringing"))
    assert status == 200 and answer["ok"] is True
    assert await pops(chat, since) == [POP]
    call = await CallRecord.get()
    assert (call.stage, call.number, call.line) == (CallStage.RINGING, "13800000000", "4008001234")
    since = await chat.sim.sent_count()
    assert (await post_event(chat, event("c-1", "answered", **ANSWERED)))[0] == 200
    assert (await post_event(chat, event("c-1", "ended", **ENDED)))[0] == 200
    assert await pops(chat, since) == []
    call = await CallRecord.get()
    assert (call.stage, call.disposition, call.duration_secs, call.talk_secs) == (
        CallStage.ENDED,
        Disposition.ANSWERED,
        310,
        300,
    )
    assert call.recording_url == "https://r.example/1.mp3"
    notes = await CustomerNote.filter(customer_id=call.customer_id).order_by("id")
    assert [n.text for n in notes] == ["加微信", "通话（呼入，接通 5分钟）"]


async def test_a_late_ringing_event_does_not_undo_the_end(chat: Chat) -> None:
    await post_event(chat, event("c-2", "ended", **ENDED))
    await post_event(chat, event("c-2", "ringing"))
    await post_event(chat, event("c-2", "ended", **ENDED))
    [call] = await CallRecord.all()
    assert (call.stage, call.talk_secs, call.popped) == (CallStage.ENDED, 300, False)
    assert await CustomerNote.filter(customer_id=call.customer_id).count() == 2


async def test_two_concurrent_deliveries_of_one_event_write_one_call_and_one_pop(
    chat: Chat,
) -> None:
    since = await chat.sim.sent_count()
    answers = await asyncio.gather(*(post_event(chat, event("c-3", "ringing")) for _ in range(4)))
    assert {status for status, _ in answers} == {200}
    assert len({answer["call"] for _, answer in answers}) == 1
    assert await CallRecord.all().count() == 1
    assert await pops(chat, since) == [POP]


async def test_a_missed_call_becomes_one_callback_that_a_later_call_closes(
    chat: Chat,
) -> None:
    await post_event(chat, event("c-4", "ringing"))
    ended = event("c-4", "ended", **MISSED)
    await asyncio.gather(*(post_event(chat, ended) for _ in range(3)))
    call = await CallRecord.get()
    assert (call.disposition, call.talk_secs, call.duration_secs) == (Disposition.MISSED, 0, 30)
    [callback] = await Followup.all()
    lisi = await Employee.get(userid="lisi")
    assert (callback.owner_id, callback.customer_id, callback.status) == (
        lisi.id,
        call.customer_id,
        FollowupStatus.OPEN,
    )
    assert callback.content == "回拨 张总 138 0000 0000（10:00 未接来电）"
    assert callback.due_at == MONDAY_10AM.replace(hour=4)  # 2 hours, the default
    assert await chat.say("lisi", "未回拨") == [
        "待回拨 1 个（回拨后发送「完成 编号」，或打通这个号码的电话会自动完成）：\n"
        "#1 回拨 张总 138 0000 0000（10:00 未接来电），11月23日（周一）12:00前"
    ]
    assert await chat.say("wangwu", "哪些未接来电还没回拨") == ["没有待回拨的未接来电。"]
    later = {
        "direction": "out",
        "from": "4008001234",
        "to": "13800000000",
        "ring_at": "2026-11-23T10:20:00+08:00",
        "answer_at": "2026-11-23T10:20:05+08:00",
        "end_at": "2026-11-23T10:21:05+08:00",
    }
    await post_event(chat, {**event("c-5", "ended"), **later})
    callback = await Followup.get(id=callback.id)
    assert (callback.status, callback.result_note) == (FollowupStatus.DONE, "已通话（11-23 10:20）")
    assert await Followup.all().count() == 1


async def test_an_unknown_number_pops_new_customer_and_the_own_line_nothing(chat: Chat) -> None:
    since = await chat.sim.sent_count()
    await post_event(chat, event("c-6", "ringing", **{"from": "13912345678"}))
    assert await pops(chat, since) == ["【来电 139 1234 5678】\n未知号码：新建客户？\n[新建客户]"]
    [card] = [m["body"]["template_card"] for m in chat.last]
    assert card["button_list"][0]["key"] == f"call:customer:{(await CallRecord.get()).id}"
    since = await chat.sim.sent_count()
    await post_event(chat, event("c-7", "ringing", **{"from": "4008001234"}))
    await post_event(chat, event("c-7", "ended", **MISSED, **{"from": "4008001234"}))
    assert await pops(chat, since) == []
    own = await CallRecord.get(external_id="c-7")
    assert own.customer_id is None
    assert not await Followup.exists()


async def test_bad_signatures_stale_requests_and_unknown_tenants_are_refused(chat: Chat) -> None:
    ring = event("c-8", "ringing")
    assert await post_event(chat, ring, secret="wrong") == (
        401,
        {"ok": False, "error": "bad signature"},
    )
    stale = int(MONDAY_10AM.timestamp()) - 301
    assert (await post_event(chat, ring, stamp=stale))[0] == 401
    assert (await post_event(chat, ring, tenant="nobody"))[0] == 404
    assert (await post_event(chat, b"x" * 20000))[0] == 413
    assert not await CallRecord.exists()


MALFORMED: list[bytes | dict[str, object]] = [
    b"",
    b"not json",
    b"[1, 2]",
    b"\xff\xfe\x00",
    b'{"call_id": "c"}',
    {"call_id": "", "event": "ringing"},
    event("c-9", "ringing", direction="sideways"),
    event("c-9", "hold"),
    event("c-9", "ringing", ring_at="yesterday"),
    event("c-9", "ringing", ring_at="2026-11-23T10:00:00"),
    event("c-9", "ringing", ring_at=True),
    event("c-9", "ringing", ring_at=1e300),
    event("c-9", "ringing", **{"from": "张总"}),
    event("c-9", "answered"),
    event("c/../9", "ringing"),
    event("c-9", "ringing", agent={"id": 1}),
    event("c-9", "ended", disposition="exploded", end_at="2026-11-23T10:00:30+08:00"),
    event("c-9", "ringing", recording_url="javascript:alert(1)"),
]


async def test_malformed_bodies_get_a_400_that_names_the_problem(chat: Chat) -> None:
    rng = random.Random(18)
    noise = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))) for _ in range(10)]
    for body in [*MALFORMED, *noise]:
        status, answer = await post_event(chat, body)
        assert status == 400, body
        assert answer["ok"] is False and "Traceback" not in answer["error"]
    assert not await CallRecord.exists()


@given(
    st.one_of(
        st.binary(max_size=200),
        st.dictionaries(
            st.text(max_size=12),
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            max_size=8,
        ),
    )
)
def test_reading_any_body_either_gives_an_event_or_says_what_is_wrong(body: object) -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    try:
        read_event(raw)
    except BadEvent as exc:
        assert str(exc)


async def test_the_simulated_call_center_reports_a_call_and_a_missed_one(chat: Chat) -> None:
    since = await chat.sim.sent_count()
    base = {"secret": SECRET, "from": "13800000000", "to": "4008001234", "agent": "lisi"}
    statuses = await _telephony(chat, {**base, "call_id": "sim-1", "talk": 95})
    assert statuses == [200, 200, 200]
    assert await pops(chat, since) == [POP]
    call = await CallRecord.get(external_id="sim-1")
    assert (call.stage, call.talk_secs, call.duration_secs) == (CallStage.ENDED, 95, 105)
    assert await _telephony(chat, {**base, "call_id": "sim-2"}) == [200, 200]
    missed = await CallRecord.get(external_id="sim-2")
    assert missed.disposition is Disposition.MISSED and missed.callback_id is not None


async def _telephony(chat: Chat, body: dict[str, object]) -> list[int]:
    async with aiohttp.ClientSession() as session:
        url = f"{chat.embedded.simulator_url}/_sim/telephony/acme/calls"
        async with session.post(url, json=body) as answer:
            assert answer.status == 200
            statuses = (await answer.json())["statuses"]
    await chat.embedded.runtime.tasks.drain()
    return list(statuses)


async def test_a_tenant_without_the_module_is_refused(
    settings: Settings, clock: FrozenClock
) -> None:
    async with call_chat(settings, clock, plan=None) as chat:
        await with_secret()
        assert await post_event(chat, event("c-10", "ringing")) == (
            403,
            {"ok": False, "error": "the call center module is not enabled"},
        )
        assert not await CallRecord.exists()
