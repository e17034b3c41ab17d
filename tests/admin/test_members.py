"""Employees' names come from the address book: change_contact callbacks, and user/get when a
welcome text needs a name the bot never heard."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat, welcome_texts

from bot.embedded import Embedded
from models.tenants import Employee


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def name_of(userid: str) -> str:
    return (await Employee.get(userid=userid)).name


async def test_names_follow_the_address_book_callbacks(chat: Chat) -> None:
    answer = await chat.sim.put_member("acme", "lisi", "李四", notify=True)
    assert answer["change_type"] == "create_user"
    await chat.settle(0)
    assert await name_of("lisi") == "李四"
    await chat.sim.put_member("acme", "lisi", "李思", notify=True)
    await chat.settle(0)
    assert await name_of("lisi") == "李思"


async def test_a_renamed_userid_keeps_the_employees_row(chat: Chat) -> None:
    await chat.say("lisi", "帮助")
    before = await Employee.get(userid="lisi")
    await chat.event(
        {
            "Event": "change_contact",
            "ChangeType": "update_user",
            "UserID": "lisi",
            "NewUserID": "lisi2",
            "Name": "李四",
        }
    )
    after = await Employee.get(userid="lisi2")
    assert (after.id, after.name) == (before.id, "李四")
    assert not await Employee.exists(userid="lisi")


async def test_the_welcome_text_uses_the_name_from_user_get(chat: Chat) -> None:
    await chat.say("zhangsan", "设置欢迎语 你好{客户名}，我是{员工名}")
    await chat.sim.put_member("acme", "lisi", "李四")  # in the address book, no callback
    since = await chat.sim.sent_count()
    await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(since)
    records = await chat.sim.sent(since=since)
    assert welcome_texts(records) == ["你好王小明，我是李四"]
    assert await name_of("lisi") == "李四"
    [call] = await chat.sim.contact_calls("user/get")
    assert call["body"] == {"userid": "lisi"}

    await chat.sim.add_contact("acme", "lisi", name="李雷")
    await chat.settle(0)
    assert len(await chat.sim.contact_calls("user/get")) == 1  # known now: not asked again


async def test_without_a_name_the_welcome_falls_back_to_the_userid(chat: Chat) -> None:
    await chat.say("zhangsan", "设置欢迎语 你好{客户名}，我是{员工名}")
    since = await chat.sim.sent_count()
    await chat.sim.add_contact("acme", "wangwu", name="王小明")
    await chat.settle(since)
    records = await chat.sim.sent(since=since)
    assert welcome_texts(records) == ["你好王小明，我是wangwu"]
    assert await name_of("wangwu") == ""
