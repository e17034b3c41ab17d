"""Call statistics on a frozen Monday 10:00 (2026-11-23) in Shanghai: 我的通话 for oneself,
通话统计 for admins, a call counted on the local day it started, and 有效通话 recomputed
for history when an admin changes the threshold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.calls import call_chat
from support.crm import Chat
from support.followups import MONDAY_10AM

from bot.calls.stats import Figures, figures_by_employee
from bot.calls.store import CallIn, save_call
from bot.clock import FrozenClock
from bot.config import Settings
from models.calls import CallDirection, CallSettings, CallSource, Disposition
from models.tenants import Employee


async def call(who: str, started: datetime, talk: int, key: str, ring: int = 10) -> None:
    employee = await Employee.get(userid=who)
    answered = started + timedelta(seconds=ring) if talk else None
    end = started + timedelta(seconds=ring + talk)
    await save_call(
        CallIn(
            tenant_id=1,
            dedup_key=key,
            source=CallSource.WEBHOOK,
            direction=CallDirection.OUTBOUND,
            started_at=started,
            number="13800000000",
            employee_id=employee.id,
            answered_at=answered,
            ended_at=end,
        ),
        MONDAY_10AM,
    )


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        nine = MONDAY_10AM - timedelta(hours=1)
        await call("lisi", nine, 300, "a")  # 09:00, 5 minutes
        await call("lisi", nine + timedelta(minutes=10), 45, "b")  # under 60 s: not effective
        await call("lisi", nine + timedelta(minutes=20), 0, "c")  # not answered
        await call("wangwu", nine + timedelta(minutes=30), 120, "d")
        # Sunday 23:58 local, ending after midnight: it belongs to Sunday.
        await call("lisi", MONDAY_10AM - timedelta(hours=10, minutes=2), 400, "e")
        yield opened


LISI_TODAY = (
    "今天（11月23日）：拨打/接听 3 通，接通 2 通（67%），通话 5分45秒，"
    "有效通话 1 通（≥60秒），平均 2分52秒，首通 09:00 末通 09:20"
)


async def test_my_calls_today_and_in_natural_words(chat: Chat) -> None:
    assert await chat.say("lisi", "我的通话") == [LISI_TODAY]
    assert await chat.say("lisi", "今天通话统计") == [LISI_TODAY]
    assert await chat.say("lisi", "我今天打了多少个电话") == [LISI_TODAY]
    [yesterday] = await chat.say("lisi", "我的通话 昨天")
    assert yesterday.startswith("昨天（11月22日）：拨打/接听 1 通，接通 1 通（100%），通话 6分40秒")
    assert await chat.say("zhaoliu", "我的通话") == ["你今天（11月23日）还没有通话记录。"]


async def test_admins_see_everyone_and_members_are_told_it_is_for_admins(chat: Chat) -> None:
    [team] = await chat.say("zhangsan", "通话统计 本周")
    assert team.split("\n") == [
        "通话统计 本周（11月23日 至 11月29日），共 2 人：",
        "李四：拨打/接听 3 通，接通 2 通（67%），通话 5分45秒，有效通话 1 通（≥60秒），"
        "平均 2分52秒，首通 09:00 末通 09:20",
        "王五：拨打/接听 1 通，接通 1 通（100%），通话 2分钟，有效通话 1 通（≥60秒），"
        "平均 2分钟，首通 09:30 末通 09:30",
    ]
    [refused] = await chat.say("lisi", "通话统计 本周")
    assert "管理员" in refused


async def test_a_new_threshold_recounts_history(chat: Chat) -> None:
    assert await chat.say("zhangsan", "设置 有效通话 30秒") == [
        "已保存：接通且通话不少于 30 秒算有效通话，历史统计也按这个标准重算。"
    ]
    [mine] = await chat.say("lisi", "我的通话 今天")
    assert "有效通话 2 通（≥30秒）" in mine
    assert await chat.say("zhangsan", "有效通话改成2分钟") == [
        "已保存：接通且通话不少于 120 秒算有效通话，历史统计也按这个标准重算。"
    ]
    assert await chat.say("zhangsan", "通话设置 有效通话 很久") == [
        "请按这个格式写：通话设置 有效通话 60秒（接通且通话不少于这么多秒才算有效通话）"
    ]
    assert await chat.say("lisi", "我的通话 下辈子") == [
        "请写今天、昨天、本周、上周、本月或上月，例如：我的通话 本周"
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1000), st.sampled_from(list(Disposition)), st.integers(0, 900)),
        max_size=30,
    ),
    st.integers(1, 300),
)
def test_the_figures_are_the_sum_of_the_calls_in_any_order(
    calls: list[tuple[int, Disposition, int]], threshold: int
) -> None:
    """Adding calls one by one (the incremental view) equals counting them at once."""
    t0 = datetime(2026, 11, 23, tzinfo=UTC)
    forward, backward = Figures(), Figures()
    for offset, disposition, talk in calls:
        forward.add(t0 + timedelta(minutes=offset), disposition, talk, threshold)
    for offset, disposition, talk in reversed(calls):
        backward.add(t0 + timedelta(minutes=offset), disposition, talk, threshold)
    assert forward == backward
    answered = [talk for _, d, talk in calls if d is Disposition.ANSWERED]
    assert forward.talk_secs == sum(answered)
    assert forward.effective == sum(1 for talk in answered if talk >= threshold and talk > 0)


async def test_figures_read_only_the_tenants_ended_calls_in_the_period(chat: Chat) -> None:
    start = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # Monday 00:00 local
    found = await figures_by_employee(1, start, start + timedelta(days=1), 60)
    assert sorted(f.calls for f in found.values()) == [1, 3]


async def test_a_call_early_in_the_local_day_counts_on_that_day(chat: Chat) -> None:
    """02:00 Monday in Shanghai is Sunday 18:00 UTC: the day is the tenant's, not UTC's."""
    await call("wangwu", MONDAY_10AM - timedelta(hours=8), 90, "early")
    [mine] = await chat.say("wangwu", "我的通话 今天")
    assert mine.startswith("今天（11月23日）：拨打/接听 2 通，接通 2 通（100%）")
    assert "首通 02:00 末通 09:30" in mine


async def test_the_companys_own_numbers_are_set_in_chat(chat: Chat) -> None:
    assert await chat.say("zhangsan", "通话设置 公司号码 400-800-1234，010 8888 6666") == [
        "已保存公司号码：4008001234、01088886666。这些号码的来电去电不会匹配成客户。"
    ]
    assert await chat.say("zhangsan", "通话设置") == [
        "通话设置：有效通话 ≥60秒；未接来电 120 分钟内回拨；公司号码 4008001234、01088886666；"
        "通话日报 每天 18:00。\n"
        "修改：通话设置 有效通话 60秒、通话设置 公司号码 4008001234、通话设置 日报 18:00"
    ]
    assert await chat.say("zhangsan", "通话设置 公司号码 张总") == [
        "请写上公司自己的号码，例如：通话设置 公司号码 4008001234 010-88886666"
    ]
    assert (await CallSettings.get(tenant_id=1)).own_numbers == ["4008001234", "01088886666"]
