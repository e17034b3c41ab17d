"""通话排行 for admins (by connected calls or effective talk time, today / this week / this
month, in natural words) and the admins' daily call report, queued once a day even when two
replicas tick together."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.calls import call_chat
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.calls.ranking import daily_call_report
from bot.calls.store import CallIn, save_call
from bot.calls.weekly import Bar, draw, weekly_call_report
from bot.clock import FrozenClock
from bot.config import Settings
from bot.surveys.chart_font import find_cjk_font
from models.calls import CallDirection, CallSource
from models.outbox import OutboxMessage
from models.tenants import Employee

LEASE = timedelta(minutes=1)


async def call(who: str, minutes_ago: int, talk: int, key: str) -> None:
    employee = await Employee.get(userid=who)
    started = MONDAY_10AM - timedelta(minutes=minutes_ago)
    await save_call(
        CallIn(
            tenant_id=1,
            dedup_key=key,
            source=CallSource.WEBHOOK,
            direction=CallDirection.OUTBOUND,
            started_at=started,
            number="13800000000",
            employee_id=employee.id,
            answered_at=started + timedelta(seconds=5) if talk else None,
            ended_at=started + timedelta(seconds=5 + talk),
        ),
        MONDAY_10AM,
    )


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        # lisi: 3 connected, short; wangwu: 1 connected, long.
        await call("lisi", 60, 30, "a")
        await call("lisi", 50, 40, "b")
        await call("lisi", 40, 70, "c")
        await call("lisi", 30, 0, "d")
        await call("wangwu", 20, 600, "e")
        yield opened


LISI = "李四：接通 3 通，有效通话 1 通 1分10秒，共 4 通"
WANGWU = "王五：接通 1 通，有效通话 1 通 10分钟，共 1 通"


async def test_admins_rank_by_connected_calls_or_effective_talk(chat: Chat) -> None:
    assert await chat.say("zhangsan", "通话排行 今天") == [
        "\n".join(["通话排行 今天（11月23日），按接通数：", f"1. {LISI}", f"2. {WANGWU}"])
    ]
    assert await chat.say("zhangsan", "通话排行 本周 有效") == [
        "\n".join(
            [
                "通话排行 本周（11月23日 至 11月29日），按有效通话时长：",
                f"1. {WANGWU}",
                f"2. {LISI}",
            ]
        )
    ]
    assert await chat.say("zhangsan", "通话排行 上月") == [
        "上月（10月1日 至 10月31日）还没有通话记录。"
    ]
    [refused] = await chat.say("lisi", "通话排行 今天")
    assert "管理员" in refused
    assert await chat.say("zhangsan", "通话排行 明年") == [
        "请按这个格式写：通话排行 今天/本周/本月 [接通/有效]，例如：通话排行 本周 有效"
    ]


@pytest.mark.parametrize(
    ("said", "first"),
    [
        ("通话排行", LISI),
        ("今天的通话排行", LISI),
        ("本周谁电话打得最多", LISI),
        ("这个月谁有效通话最长", WANGWU),
        ("按有效时长的通话排行 本周", WANGWU),
        ("本月通话排行榜", LISI),
    ],
)
async def test_ranking_in_natural_words(chat: Chat, said: str, first: str) -> None:
    [answer] = await chat.say("zhangsan", said)
    assert answer.split("\n")[1] == f"1. {first}"


async def test_the_daily_report_goes_once_after_six_even_from_two_replicas(chat: Chat) -> None:
    tenant = await chat.embedded.runtime.tenants.get("acme")
    assert tenant is not None
    assert await daily_call_report(tenant, MONDAY_10AM, LEASE) == []  # 10:00: not yet
    evening = MONDAY_10AM + timedelta(hours=8, minutes=5)
    first, second = await asyncio.gather(
        daily_call_report(tenant, evening, LEASE), daily_call_report(tenant, evening, LEASE)
    )
    assert await daily_call_report(tenant, evening + timedelta(minutes=10), LEASE) == []
    rows = await OutboxMessage.filter(idempotency_key__startswith="notice:call-daily:")
    assert len(rows) == 1 and len(first) + len(second) >= 1
    shown = str(rows[0].payload)
    assert "【通话日报】11月23日" in shown
    assert "全员：拨打/接听 5 通，接通 4 通（80%），通话 12分20秒，有效通话 2 通（≥60秒）" in shown
    assert f"1. {LISI}" in shown


async def test_admins_set_when_the_daily_report_goes_or_turn_it_off(chat: Chat) -> None:
    tenant = await chat.embedded.runtime.tenants.get("acme")
    assert tenant is not None
    assert await chat.say("zhangsan", "通话设置 日报 19:30") == [
        "已保存：通话日报每天 19:30 发给管理员（当天有通话时）。"
    ]
    assert await daily_call_report(tenant, MONDAY_10AM + timedelta(hours=8, minutes=5), LEASE) == []
    assert await daily_call_report(tenant, MONDAY_10AM + timedelta(hours=9, minutes=35), LEASE)
    assert await chat.say("zhangsan", "通话设置") == [
        "通话设置：有效通话 ≥60秒；未接来电 120 分钟内回拨；公司号码 未设置；"
        "通话日报 每天 19:30。\n"
        "修改：通话设置 有效通话 60秒、通话设置 公司号码 4008001234、通话设置 日报 18:00"
    ]
    # Turned off, nothing goes on the next day; turned on again, at the time set before.
    assert await chat.say("zhangsan", "通话日报不用发了") == [
        "已关闭通话日报。重新打开：通话设置 日报 18:00"
    ]
    tuesday_night = MONDAY_10AM + timedelta(days=1, hours=11)
    await call("lisi", -(24 * 60), 30, "tuesday")
    assert await daily_call_report(tenant, tuesday_night, LEASE) == []
    assert await chat.say("zhangsan", "打开通话日报") == [
        "已保存：通话日报每天 19:30 发给管理员（当天有通话时）。"
    ]
    assert await daily_call_report(tenant, tuesday_night, LEASE)


@pytest.mark.parametrize(
    ("said", "at"),
    [
        ("通话日报改到晚上7点发", "19:00"),
        ("把每天的通话日报调到下午5点半", "17:30"),
        ("每天晚上8点发通话日报", "20:00"),
        ("通话设置 通话日报 17:45", "17:45"),
    ],
)
async def test_the_report_time_in_natural_words(chat: Chat, said: str, at: str) -> None:
    assert await chat.say("zhangsan", said) == [
        f"已保存：通话日报每天 {at} 发给管理员（当天有通话时）。"
    ]


async def test_a_report_time_that_is_no_time_says_what_to_type(chat: Chat) -> None:
    usage = "请按这个格式写：通话设置 日报 18:30（每天几点发给管理员），或 通话设置 日报 关"
    assert await chat.say("zhangsan", "通话设置 日报 明天") == [usage]
    assert await chat.say("zhangsan", "通话设置 日报 25:00") == [usage]
    # A member is not an admin: the setting stays the admins'.
    assert await chat.say("lisi", "通话设置 日报 19:00") != [
        "已保存：通话日报每天 19:00 发给管理员（当天有通话时）。"
    ]


async def test_monday_morning_brings_the_weekly_chart_once(chat: Chat) -> None:
    runtime = chat.embedded.runtime
    tenant = await runtime.tenants.get("acme")
    assert tenant is not None and runtime.client is not None and runtime.sender is not None
    client, sender = runtime.client, runtime.sender
    next_monday = MONDAY_10AM + timedelta(days=7)  # 2026-11-30 10:00 in Shanghai
    assert await weekly_call_report(tenant, client, next_monday - timedelta(hours=2), LEASE) == []
    since = await chat.sim.sent_count()
    first, second = await asyncio.gather(
        weekly_call_report(tenant, client, next_monday, LEASE),
        weekly_call_report(tenant, client, next_monday, LEASE),
    )
    await sender.send_rows([*first, *second])
    sent = [r for r in await chat.sim.sent(since=since) if r["api"] == "message/send"]
    assert [(r["body"]["touser"], r["body"]["msgtype"]) for r in sent] == [
        ("zhangsan", "text"),
        ("zhangsan", "image"),
    ]
    assert sent[0]["body"]["text"]["content"] == (
        "【通话周报】上周（11月23日—11月29日）：拨打/接听 5 通，接通 4 通，通话 12分20秒，"
        "有效通话 2 通。各人对比见下图；明细发送「通话统计 上周」。"
    )
    # The simulator refuses a media_id it never issued: the chart was uploaded first.
    assert sent[1]["body"]["image"]["media_id"] and not sent[1]["dropped"]
    assert await weekly_call_report(tenant, client, next_monday + timedelta(days=1), LEASE) == []
    # The week after had no calls: nothing is drawn or sent.
    assert await weekly_call_report(tenant, client, next_monday + timedelta(days=7), LEASE) == []


def test_the_chart_is_a_png_with_a_row_per_employee() -> None:
    bars = [Bar("李四", 3, 1.2), Bar("王五", 1, 10.0)]
    png = draw("艾克米 通话周报", bars, find_cjk_font())
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    assert draw("x", bars, None).startswith(b"\x89PNG")  # without a CJK font: Latin labels
