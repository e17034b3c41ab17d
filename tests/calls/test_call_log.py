"""The call log's rules: numbers written any way are one number, a number finds its
customers (several are shown, the tenant's own lines find nobody), and a call's figures
keep 0 ≤ talk ≤ duration with answered ⇔ talk > 0."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.calls import customer

from bot.calls.numbers import match_number, normalise
from bot.calls.store import CallIn, figures
from bot.calls.talk import read_call
from bot.tenants import TenantInfo
from models.calls import CallDirection, CallSource, CallStage, Disposition

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "written",
    ["+86 138-0000-0000", "8613800000000", "13800000000", "0086 138 0000 0000", "138 0000 0000"],
)
def test_one_mobile_however_written(written: str) -> None:
    assert normalise(written) == "13800000000"


def test_landlines_keep_their_area_code_and_junk_is_no_number() -> None:
    assert normalise("010-8888 6666") == "01088886666"
    assert normalise("86") == ""
    assert normalise("张总") == ""


async def test_a_number_finds_its_customer_however_it_was_stored(tenant: TenantInfo) -> None:
    zhang = await customer("张总", "+86 138-0000-0000")
    found = await match_number(1, normalise("8613800000000"), [])
    assert found.customer is not None and found.customer.id == zhang.id


async def test_two_customers_with_the_number_are_both_shown(tenant: TenantInfo) -> None:
    await customer("张总", "13800000000")
    await customer("张太太", "138-0000-0000")
    found = await match_number(1, "13800000000", [])
    assert found.ambiguous and found.customer is None
    assert [c.name for c in found.customers] == ["张总", "张太太"]


async def test_the_tenants_own_line_never_matches_a_customer(tenant: TenantInfo) -> None:
    await customer("前台", "4008001234")
    found = await match_number(1, "4008001234", ["400-800-1234"])
    assert found.own and not found.customers


def _call(answer: int | None, end: int, said: Disposition | None = None) -> CallIn:
    return CallIn(
        tenant_id=1,
        dedup_key="k",
        source=CallSource.WEBHOOK,
        direction=CallDirection.INBOUND,
        started_at=T0,
        answered_at=T0 + timedelta(seconds=answer) if answer is not None else None,
        ended_at=T0 + timedelta(seconds=end),
        stage=CallStage.ENDED,
        said=said,
    )


def test_duration_is_start_to_end_and_talk_is_answer_to_end() -> None:
    shown = figures(_call(20, 320))
    assert (shown.duration_secs, shown.talk_secs, shown.disposition) == (
        320,
        300,
        Disposition.ANSWERED,
    )
    assert figures(_call(None, 30, Disposition.BUSY)).disposition is Disposition.BUSY
    assert figures(_call(None, 30)).disposition is Disposition.MISSED


@given(
    st.one_of(st.none(), st.integers(-100, 5000)),
    st.integers(-100, 5000),
    st.sampled_from([None, *Disposition]),
)
def test_figures_always_keep_the_invariants(
    answer: int | None, end: int, said: Disposition | None
) -> None:
    shown = figures(_call(answer, end, said))
    assert 0 <= shown.talk_secs <= shown.duration_secs
    assert (shown.disposition is Disposition.ANSWERED) == (shown.talk_secs > 0)


@pytest.mark.parametrize(
    ("text", "talk", "outcome", "rest"),
    [
        ("聊了15分钟，他想要报价", 900, Disposition.ANSWERED, "他想要报价"),
        ("3分20秒 说下个月再联系", 200, Disposition.ANSWERED, "说下个月再联系"),
        ("一个半小时", 5400, Disposition.ANSWERED, ""),
        ("没打通", None, Disposition.MISSED, ""),
        ("占线", None, Disposition.BUSY, ""),
        ("打通了 45秒 约了周五", 45, Disposition.ANSWERED, "约了周五"),
        ("打通了", None, Disposition.ANSWERED, ""),
        ("想要报价", None, None, "想要报价"),
    ],
)
def test_reading_how_a_call_went(
    text: str, talk: int | None, outcome: Disposition | None, rest: str
) -> None:
    said = read_call(text)
    assert (said.talk_secs, said.outcome, said.rest) == (talk, outcome, rest)
