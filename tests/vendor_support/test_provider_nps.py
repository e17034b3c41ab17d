"""The provider's quarterly NPS question to client admins, through the survey capability:
asked once per admin and quarter (even by two sweeps at once), answered on the survey page,
a low score alerting the provider's operators at once, and 客户满意度 for operators."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from support.followups import MONDAY_10AM
from support.vendor_support import OPERATOR, Both, support_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.subscription.settings import Operator
from bot.surveys.report import surveys_sent
from bot.tenants import TenantInfo
from bot.vendor_support.nps import NpsSweep, quarter_of
from models.outbox import OutboxMessage
from models.subscriptions import Subscription, SubscriptionStatus
from models.surveys import Survey, SurveyKind, SurveyStatus, SurveyTrigger
from models.tenants import Tenant
from models.vendor_support import ProviderSurvey

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
URL = re.compile(r"(http://\S+/s/\S+)")
NEXT_QUARTER = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai, 2027Q1


@pytest.fixture
async def both(settings: Settings, clock: FrozenClock) -> AsyncIterator[Both]:
    async with support_chat(settings, clock) as opened:
        yield opened


async def _sweep(both: Both, clock: FrozenClock) -> int:
    runtime = both.client.embedded.runtime
    base = both.client.embedded.bot_url
    since = await both.client.sim.sent_count()
    count = await NpsSweep(runtime.settings.subscription.operators, clock, base).run()
    await both.deliver()
    await both.client.settle(since)
    both.desk.last = both.client.last
    return count


async def _answer(both: Both, invite: str, score: int, comment: str) -> str:
    found = URL.search(invite)
    assert found is not None
    url = found.group(1)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(url) as page:
            assert page.status == 200
            csrf = CSRF.search(await page.text())
        assert csrf is not None
        form = {"csrf": csrf.group(1), "score": str(score), "comment": comment}
        async with browser.post(url, data=form) as answered:
            assert answered.status == 200
            text = await answered.text()
    since = await both.client.sim.sent_count()
    await both.client.embedded.runtime.tasks.drain()
    await both.deliver()
    await both.client.settle(since)
    both.desk.last = both.client.last
    return text


def test_quarters() -> None:
    assert [quarter_of(datetime(2026, m, 1).date()) for m in (1, 3, 4, 9, 10, 12)] == [
        "2026Q1",
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
        "2026Q4",
    ]


async def test_each_client_admin_is_asked_once_a_quarter(both: Both, clock: FrozenClock) -> None:
    assert await _sweep(both, clock) == 1  # acme's admin zhangsan; the desk is not asked
    [invite] = both.client_got("zhangsan")
    assert invite.startswith(
        "【服务商满意度调查】您有多大可能把我们的 SCRM 系统推荐给朋友或同行？（0–10 分）\n点此打分"
    )
    survey = await Survey.get()
    assert (survey.kind, survey.trigger, survey.trigger_ref) == (
        SurveyKind.NPS,
        SurveyTrigger.PROVIDER_NPS,
        "2026Q4:zhangsan",
    )
    clock.set(MONDAY_10AM + timedelta(days=30))
    assert await _sweep(both, clock) == 0
    assert both.client_got("zhangsan") == []
    clock.set(NEXT_QUARTER)
    assert await _sweep(both, clock) == 1
    assert await ProviderSurvey.filter(quarter="2027Q1").count() == 1


async def test_a_cancelled_client_is_not_asked(both: Both, clock: FrozenClock) -> None:
    acme = await Tenant.get(key="acme")
    await Subscription.filter(tenant_id=acme.id).update(status=SubscriptionStatus.CANCELLED)
    assert await _sweep(both, clock) == 0
    assert both.client_got("zhangsan") == []
    await Subscription.filter(tenant_id=acme.id).update(status=SubscriptionStatus.ACTIVE)
    assert await _sweep(both, clock) == 1


async def test_a_low_score_alerts_the_operators_and_the_report_counts_it(
    both: Both, clock: FrozenClock
) -> None:
    await _sweep(both, clock)
    [invite] = both.client_got("zhangsan")
    page = await _answer(both, invite, 5, "导出太慢 <b>急</b>")
    assert "感谢" in page
    assert both.desk_got(OPERATOR) == [
        "【客户满意度低分】艾克米科技 · 张三丰 给出 5 分（满分 10）。"
        "留言：导出太慢 <b>急</b>\n请尽快回访。"
    ]
    assert both.client_got("zhangsan") == []  # the client's own admins hear nothing of it
    assert (await Survey.get()).status is SurveyStatus.ANSWERED
    expected = [
        "客户满意度（2026Q4，NPS）：\n"
        "全部客户：NPS -100，1/1 人回答（推荐 0，中立 0，贬损 1）\n"
        "艾克米科技：NPS -100，1/1 人回答，有低分"
    ]
    assert await both.desk_says(OPERATOR, "客户满意度") == expected
    assert await both.desk_says(OPERATOR, "这个季度客户满意度怎么样") == expected
    assert await both.client_says("zhangsan", "客户满意度") == [
        "只有服务商的客服人员可以处理客服请求。"
    ]


async def test_a_high_score_alerts_nobody(both: Both, clock: FrozenClock) -> None:
    await _sweep(both, clock)
    [invite] = both.client_got("zhangsan")
    await _answer(both, invite, 9, "")
    assert both.desk_got(OPERATOR) == []
    assert await both.desk_says(OPERATOR, "客户满意度") == [
        "客户满意度（2026Q4，NPS）：\n"
        "全部客户：NPS 100，1/1 人回答（推荐 1，中立 0，贬损 0）\n"
        "艾克米科技：NPS 100，1/1 人回答"
    ]


async def test_before_any_question_the_report_says_so(both: Both) -> None:
    assert await both.desk_says(OPERATOR, "客户满意度") == ["2026Q4 还没有向客户发出满意度调查。"]


async def test_two_sweeps_at_once_ask_each_admin_once(tenant: TenantInfo) -> None:
    operators = (Operator("other", OPERATOR),)
    clock = FrozenClock(MONDAY_10AM)
    counts = await asyncio.gather(
        *(NpsSweep(operators, clock, "http://bot").run() for _ in range(4))
    )
    assert sum(counts) == 1
    assert await Survey.filter(trigger=SurveyTrigger.PROVIDER_NPS).count() == 1
    assert await OutboxMessage.filter(idempotency_key__contains=":invite").count() == 1


async def test_the_clients_own_survey_statistics_leave_the_providers_question_out(
    tenant: TenantInfo,
) -> None:
    clock = FrozenClock(MONDAY_10AM)
    assert await NpsSweep((Operator("other", OPERATOR),), clock, "http://bot").run() == 1
    start, end = MONDAY_10AM - timedelta(days=1), MONDAY_10AM + timedelta(days=1)
    assert await surveys_sent(tenant.id, start, end) == []
