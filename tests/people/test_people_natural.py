"""The address book asked about the way people talk: an admin syncs it and asks how far it
got, anyone asks which department a colleague is in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat
from support.people import SALES, SERVICE, book, people_chat

from bot.clock import FrozenClock
from bot.config import Settings

PEOPLE = (("lisi", "李四", SALES), ("wangwu", "王五", SERVICE))


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with people_chat(settings, clock) as opened:
        await book(opened, PEOPLE)
        yield opened


async def test_an_admin_syncs_and_asks_how_far_it_got(chat: Chat) -> None:
    assert await chat.say("zhangsan", "通讯录同步好了没") == [
        "通讯录还没有同步过。发送「同步通讯录」把企业微信里的部门和同事同步进来。"
    ]
    [synced] = await chat.say("zhangsan", "有新同事入职了，刷新一下组织架构")
    assert synced.startswith("通讯录已同步：")
    [status] = await chat.say("zhangsan", "通讯录里一共几个人")
    assert status.startswith("通讯录：") and "上次同步完成于" in status


@pytest.mark.parametrize("said", ["看看王五在什么部门", "同事里有叫王五的吗", "王五是谁"])
async def test_a_colleague_asked_about_in_words(chat: Chat, said: str) -> None:
    await chat.say("zhangsan", "同步通讯录")
    [reply] = await chat.say("lisi", said)
    assert reply.startswith("王五（wangwu）· ")
