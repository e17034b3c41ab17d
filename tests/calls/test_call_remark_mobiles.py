"""Matching calls on WeCom's remark_mobiles (备注手机号) of external contacts: after the
customers' own phones, every number a follower noted counts; several customers are listed,
never guessed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.calls import call_chat, customer, event, post_event, with_secret
from support.crm import Chat

from bot.calls.numbers import match_number
from bot.clock import FrozenClock
from bot.config import Settings
from bot.crm.phones import remark_numbers
from models.calls import CallRecord
from models.crm.customers import Customer, CustomerFollower


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with call_chat(settings, clock) as opened:
        await with_secret()
        yield opened


async def add(chat: Chat, userid: str, name: str, mobiles: list[str]) -> Customer:
    since = await chat.sim.sent_count()
    answer = await chat.sim.add_contact("acme", userid, name=name, remark_mobiles=mobiles)
    assert answer["status"] == 200
    await chat.settle(since)
    return await Customer.get(external_userid=answer["external_userid"])


def test_remark_numbers_are_national_digits_searchable_with_like() -> None:
    assert remark_numbers(["+86 139-1111-2222", "13911112222", "", "010 8888 6666"]) == (
        ",13911112222,01088886666,"
    )
    assert remark_numbers([]) == ""
    assert len(remark_numbers([f"139{n:08d}" for n in range(40)])) <= 255


async def test_a_second_remark_mobile_matches_the_wecom_customer(chat: Chat) -> None:
    """The first remark mobile becomes the phone; the second one is only in remark_mobiles."""
    wang = await add(chat, "lisi", "王小明", ["13800138000", "+86 139-1111-2222"])
    assert (await CustomerFollower.get(customer_id=wang.id)).remark_numbers == (
        ",13800138000,13911112222,"
    )
    found = await match_number(1, "13911112222", [])
    assert [c.id for c in found.customers] == [wang.id]
    since = await chat.sim.sent_count()
    assert (await post_event(chat, event("r-1", "ringing", **{"from": "13911112222"})))[0] == 200
    await chat.settle(since)
    [pop] = chat.sent_to("lisi")
    assert pop.startswith("【来电 139 1111 2222】\n王小明\n客户级别：")
    assert (await CallRecord.get()).customer_id == wang.id


async def test_customer_phones_come_first_and_shared_remarks_are_listed(chat: Chat) -> None:
    wang = await add(chat, "lisi", "王小明", ["13800138000", "13911112222"])
    zhao = await add(chat, "wangwu", "赵大海", ["13700001111", "13911112222"])
    found = await match_number(1, "13911112222", [])
    assert found.ambiguous and {c.id for c in found.customers} == {wang.id, zhao.id}
    since = await chat.sim.sent_count()
    await post_event(chat, event("r-2", "ringing", **{"from": "13911112222"}))
    await chat.settle(since)
    [pop] = chat.sent_to("lisi")
    assert pop.startswith("来电 139 1111 2222：2 位客户用这个号码")
    assert (await CallRecord.get()).customer_id is None  # never guessed
    # A customer whose own phone is the number wins over anyone's remark.
    li = await customer("李总", "13911112222")
    assert [c.id for c in (await match_number(1, "13911112222", [])).customers] == [li.id]
    # The tenant's own line never matches, remark or not.
    assert (await match_number(1, "13911112222", ["139-1111-2222"])).own
