"""The provider's operators ask about their clients in chat, on Monday 2026-11-23 10:00 in
Shanghai. acme (艾克米科技) is busy and renews in February; other (别家公司) has not used the
bot and its plan ends in a week. wangwu is the operator; lisi is not, and hears no data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from support.billing import subscribe, with_operators
from support.calls import call_chat, customer
from support.crm import Chat
from support.followups import MONDAY_10AM
from support.provider import acme_usage

from bot.clock import FrozenClock
from bot.config import Settings
from bot.provider import phrasings
from bot.provider.window import build_window
from bot.subscription.plan import Plan
from handlers.provider.operators import OPERATORS_ONLY
from models.provider import TenantUsageWindow
from models.subscriptions import Order, OrderKind, OrderStatus
from models.surveys import Survey, SurveyChannel, SurveyKind, SurveyStatus, SurveyTrigger
from models.tenants import Employee
from models.vendor_support import ProviderSurvey, RequestStatus, SupportRequest

pytestmark = pytest.mark.db

MONDAY = date(2026, 11, 23)
OTHER_PLAN = Plan("standard", 5, "month")


async def paid_order(tenant_id: int, total: str, paid_at: datetime) -> None:
    await Order.create(
        tenant_id=tenant_id,
        kind=OrderKind.RENEWAL,
        status=OrderStatus.APPLIED,
        summary="续费",
        request={},
        basis={},
        total=Decimal(total),
        effective_on=paid_at.date(),
        created_by="admin",
        created_at=paid_at,
        expires_at=paid_at + timedelta(days=7),
        paid_at=paid_at,
    )


async def other_people(count: int) -> None:
    for n in range(count):
        await Employee.create(
            tenant_id=2, userid=f"o{n}", first_seen_at=MONDAY_10AM, last_seen_at=MONDAY_10AM
        )


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    with_ops = with_operators(settings, "acme:wangwu")
    async with call_chat(with_ops, clock) as opened:
        billing = opened.embedded.runtime.billing
        assert billing is not None
        await subscribe(billing, 2, date(2026, 11, 1), date(2026, 12, 1), OTHER_PLAN)
        await acme_usage()
        # acme paid ¥2,400 sixty days ago: ¥1,200 a month over its 2 paying months.
        await paid_order(1, "2400.00", MONDAY_10AM - timedelta(days=60))
        await other_people(7)  # 7 people, 5 seats
        yield opened


HEALTH = [
    "客户健康（共 2 家）：",
    "🔴 风险 1 家",
    "· 别家公司：30天活跃 0/5 席位（0%）；近28天没有使用；7 天后到期（2026-11-30）",
    "🟢 健康 1 家",
    "· 艾克米科技：30天活跃 7/10 席位（70%）；近14天指令 100 次，前14天 80 次（+25%）；"
    "功能广度 4/8（50%）",
]


async def test_client_health_by_tier_with_the_signals_that_moved_it(chat: Chat) -> None:
    [reply] = await chat.say("wangwu", "客户健康")
    assert reply.split("\n") == HEALTH
    # From here on the operator's own questions make them one more active member of acme.
    [again] = await chat.say("wangwu", "客户健康")
    assert "30天活跃 8/10 席位（80%）" in again
    assert await chat.say("wangwu", "企业健康情况") == [again]
    assert await chat.say("wangwu", "哪些客户有风险") == [again]


async def test_non_operators_hear_no_data(chat: Chat) -> None:
    assert await chat.say("lisi", "客户健康") == [OPERATORS_ONLY]
    assert await chat.say("zhangsan", "续费风险") == [OPERATORS_ONLY]
    assert await chat.say("lisi", "企业概况 别家公司") == [OPERATORS_ONLY]


OPERATORS_EXAMPLES = (
    *phrasings.HEALTH_EXAMPLES,
    *phrasings.RENEWAL_EXAMPLES,
    *phrasings.GROWTH_EXAMPLES,
    *phrasings.PROFILE_EXAMPLES,
)


async def test_a_clients_own_words_never_lead_to_the_operators_commands(chat: Chat) -> None:
    # The same sentences an operator asks with (tests above) mean something else, or
    # nothing, in a client's mouth: never a refusal of the provider's command.
    for user, said in (
        ("zhangsan", "哪些企业快到期了"),
        ("lisi", "客户健康度"),
        ("zhangsan", "哪些客户还能增购"),
        ("zhangsan", "企业续费风险情况"),  # not understood, and no operator's command offered
        ("zhangsan", "看下增长潜力怎么样"),
    ):
        [reply] = await chat.say(user, said)
        assert reply != OPERATORS_ONLY, said
        assert "服务商" not in reply, (said, reply)
        offered = reply.splitlines()[1:]  # the first line may quote the sentence
        for example in OPERATORS_EXAMPLES:
            assert not any(example in line for line in offered), (said, reply)


async def test_a_tenants_profile_by_name_key_or_natural_words(chat: Chat) -> None:
    [profile] = await chat.say("wangwu", "客户 艾克米科技")
    assert profile.split("\n") == [
        "艾克米科技（acme）· 🟢 健康",
        "席位：已用 0 / 已购 10",
        "活跃成员：近7天 3 人，近30天 7 人",
        "模块：已用 1 / 已购 2（呼叫中心），未用：客户管理",
        "近30天被拒：安装服务 3 次",
        "到期日：2027-02-28（还有 97 天）",
        "客户满意度（近30天）：没有回答",
        "对服务商的评价：还没有回答",
        "客服请求：没有未结的",
        "健康信号：30天活跃 7/10 席位（70%）；近14天指令 100 次，前14天 80 次（+25%）；"
        "功能广度 4/8（50%）",
        "价值：月均收入 ¥1,200.00，生命周期价值约 ¥120,000.00（按月流失 1%）",
        # 安装服务 ¥30 per seat × 10 seats a month, bought with a chance of 3 in 10
        "增长潜力：每月约 ¥90.00（安装服务被拒 3 次 ¥90.00）",
    ]
    [by_key] = await chat.say("wangwu", "企业概况 acme")
    assert by_key.startswith("艾克米科技（acme）· 🟢 健康\n席位：已用 0 / 已购 10")
    assert await chat.say("wangwu", "艾克米科技用得怎么样") == [by_key]
    [other] = await chat.say("wangwu", "别家公司用得如何")
    assert other.startswith("别家公司（other）· 🔴 风险\n席位：已用 0 / 已购 5")
    assert other.endswith(
        "价值：月均收入 ¥0.00，生命周期价值约 ¥0.00（按月流失 8%）\n"
        "增长潜力：每月约 ¥198.00（席位缺 2 个 ¥198.00）"
    )
    assert await chat.say("wangwu", "企业概况 不存在的公司") == [
        "没有找到名为「不存在的公司」的企业，发送「客户健康」查看全部客户。"
    ]


async def test_the_lists_read_the_nightly_window_and_the_profile_counts_live(chat: Chat) -> None:
    # The nightly job's window for acme as of Sunday: u0's command this morning is not in it.
    await build_window(1, ZoneInfo("Asia/Shanghai"), MONDAY - timedelta(days=1), MONDAY_10AM)
    [health] = await chat.say("wangwu", "客户健康")
    assert (
        "· 艾克米科技：30天活跃 6/10 席位（60%）；近14天指令 100 次，前14天 80 次（+25%）；"
        "功能广度 4/8（50%）"
    ) in health.split("\n")
    [profile] = await chat.say("wangwu", "企业概况 acme")
    # Live, up to now: the seven, and wangwu (the operator sits in acme) asking just now.
    assert "活跃成员：近7天 4 人，近30天 8 人" in profile.split("\n")
    # A window the job wrote before yesterday is not read: the list counts live again.
    await TenantUsageWindow.filter(tenant_id=1).update(as_of=MONDAY - timedelta(days=2))
    [health] = await chat.say("wangwu", "客户健康")
    assert "· 艾克米科技：30天活跃 8/10 席位（80%）；" in health


async def survey(
    kind: SurveyKind, score: int | None, answered_days_ago: int, trigger: SurveyTrigger, ref: str
) -> Survey:
    answered = MONDAY_10AM - timedelta(days=answered_days_ago)
    return await Survey.create(
        tenant_id=1,
        kind=kind,
        question="满意吗",
        trigger=trigger,
        trigger_ref=ref,
        channel=SurveyChannel.PAGE,
        token=f"token-{ref}",
        status=SurveyStatus.ANSWERED if score is not None else SurveyStatus.SENT,
        score=score,
        sent_at=answered - timedelta(hours=1),
        answered_at=answered if score is not None else None,
        expires_at=answered + timedelta(days=7),
    )


async def support_request(status: RequestStatus) -> None:
    await SupportRequest.create(
        tenant_id=1,
        requester_userid="zhangsan",
        text="模板怎么改",
        status=status,
        created_at=MONDAY_10AM,
        updated_at=MONDAY_10AM,
        response_due_at=MONDAY_10AM + timedelta(hours=4),
    )


async def test_the_profile_tells_how_the_client_is_served(chat: Chat) -> None:
    # Its customers' answers of the last 30 days: 4 of 5 satisfied (80%); one older, one
    # unanswered and its admins' answers to the provider are not its customers'.
    for n, (score, days_ago) in enumerate(((5, 1), (4, 2), (4, 10), (5, 29), (2, 3), (1, 31))):
        await survey(SurveyKind.CSAT, score, days_ago, SurveyTrigger.MANUAL, f"csat{n}")
    await survey(SurveyKind.CSAT, None, 1, SurveyTrigger.MANUAL, "unanswered")
    # The provider's NPS: last quarter one detractor; this quarter a promoter and a passive
    # (NPS 50), and one admin who has not answered.
    for quarter, userid, score in (
        ("2026Q3", "zhangsan", 3),
        ("2026Q4", "zhangsan", 10),
        ("2026Q4", "lisi", 8),
        ("2026Q4", "zhaoliu", None),
    ):
        asked = await survey(
            SurveyKind.NPS, score, 1, SurveyTrigger.PROVIDER_NPS, f"{quarter}:{userid}"
        )
        await ProviderSurvey.create(
            survey_id=asked.id,
            tenant_id=1,
            quarter=quarter,
            desk_tenant_id=1,
            operators=["wangwu"],
            created_at=MONDAY_10AM,
        )
    for status in (RequestStatus.OPEN, RequestStatus.CLOSED, RequestStatus.ANSWERED):
        await support_request(status)

    [profile] = await chat.say("wangwu", "企业概况 艾克米科技")
    lines = profile.split("\n")
    assert lines[6:9] == [
        "客户满意度（近30天）：80%，5 份回答",
        "对服务商的评价：2026Q4 NPS 50，2 人回答",
        "客服请求：未结 2 条（KF0001、KF0003）",
    ]


async def test_customer_lookup_stays_the_crms_for_members_and_for_customers(
    chat: Chat,
) -> None:
    await customer("张总", "13800000001", "星辰科技")
    [member] = await chat.say("lisi", "客户 艾克米科技")
    assert "艾克米科技（acme）" not in member
    [operator_customer] = await chat.say("wangwu", "客户 张总")
    assert "张总" in operator_customer
    assert "席位" not in operator_customer


async def test_renewals_due_in_30_days_by_tier(chat: Chat) -> None:
    expected = [
        "未来30天到期的客户共 1 家：",
        "🔴 风险 1 家",
        "· 别家公司：2026-11-30（还有 7 天），活跃 0/5",
    ]
    [reply] = await chat.say("wangwu", "续费风险")
    assert reply.split("\n") == expected
    assert await chat.say("wangwu", "哪些企业快到期了") == [reply]
    assert await chat.say("wangwu", "最近谁要续费") == [reply]


async def test_growth_potential_ranks_clients_with_the_reason(chat: Chat) -> None:
    expected = [
        "增长潜力排行（每月可增收）：",
        "1. 别家公司 ¥198.00/月：席位缺 2 个 ¥198.00",
        "2. 艾克米科技 ¥90.00/月：安装服务被拒 3 次 ¥90.00",
    ]
    [reply] = await chat.say("wangwu", "增长潜力")
    assert reply.split("\n") == expected
    assert await chat.say("wangwu", "哪些客户还能增购") == [reply]
    assert await chat.say("lisi", "增长潜力") == [OPERATORS_ONLY]
