"""change_contact callbacks keep the address book current between syncs: members created,
edited, renamed and deleted, departments created, renamed and deleted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, welcome_texts
from support.people import SALES, SERVICE, book, people_chat, sync

from bot.clock import FrozenClock
from bot.config import Settings
from models.people import Department, DirectoryMember, MemberStatus
from models.subscriptions import SeatAssignment
from models.tenants import Employee


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with people_chat(settings, clock) as opened:
        await book(opened, (("lisi", "李四", SALES),))
        await sync(opened)
        yield opened


async def settle(chat: Chat) -> list[dict[str, object]]:
    return await chat.settle(0)


async def test_a_new_member_is_known_by_name_at_once(chat: Chat) -> None:
    answer = await chat.sim.put_person(
        "acme", "qianqi", "钱七", [SERVICE], notify=True, alias="Kiki", position="工程师"
    )
    assert answer["change_type"] == "create_user" and answer["event"]["status"] == 200
    await settle(chat)
    member = await DirectoryMember.get(userid="qianqi")
    assert (member.name, member.departments, member.alias, member.position) == (
        "钱七",
        [SERVICE],
        "Kiki",
        "工程师",
    )
    assert await chat.say("zhangsan", "找同事 Kiki") == [
        "钱七（qianqi）· 售后部 · 工程师 · 别名 Kiki"
    ]


async def test_an_edit_renames_and_moves_the_member(chat: Chat) -> None:
    await chat.say("lisi", "帮助")
    await chat.sim.put_person("acme", "lisi", "李思", [SERVICE], notify=True)
    await settle(chat)
    member = await DirectoryMember.get(userid="lisi")
    assert (member.name, member.departments) == ("李思", [SERVICE])
    assert (await Employee.get(userid="lisi")).name == "李思"


async def test_a_changed_userid_keeps_the_history(chat: Chat) -> None:
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
    assert (await Employee.get(userid="lisi2")).id == before.id
    assert await DirectoryMember.exists(userid="lisi2", name="李四")
    assert not await DirectoryMember.exists(userid="lisi")


async def test_a_deleted_member_is_marked_left_and_frees_the_seat_once(chat: Chat) -> None:
    assert await chat.say("zhangsan", "给李四开个席位") == ["已为 lisi 分配席位（已用 1 / 10）。"]
    since = await chat.sim.sent_count()
    await chat.sim.delete_person("acme", "lisi", notify=True)
    records = await chat.settle(since)
    member = await DirectoryMember.get(userid="lisi")
    assert member.status is MemberStatus.LEFT
    assert not await SeatAssignment.exists()
    assert [r["body"]["touser"] for r in records] == ["zhangsan"]
    assert "TA 的席位已收回" in records[0]["body"]["text"]["content"]
    again = await chat.event(
        {"Event": "change_contact", "ChangeType": "delete_user", "UserID": "lisi"}
    )
    assert again == []  # nothing more to say about someone who already left


async def test_departments_follow_their_callbacks(chat: Chat) -> None:
    await chat.sim.put_department("acme", 9, "华东大区", notify=True)
    await settle(chat)
    assert (await Department.get(dept_id=9)).name == "华东大区"
    await chat.sim.put_department("acme", 9, "华东区", notify=True)
    await settle(chat)
    assert (await Department.get(dept_id=9)).name == "华东区"
    await chat.sim.delete_department("acme", 9, notify=True)
    await settle(chat)
    assert (await Department.get(dept_id=9)).removed


async def test_members_outside_the_visible_range_raise_no_callback(chat: Chat) -> None:
    await chat.sim.set_visible("acme", departments=[SALES])
    answer = await chat.sim.put_person("acme", "sunba", "孙八", [SERVICE], notify=True)
    assert answer["event"] is None


async def test_the_welcome_text_names_the_member_from_the_address_book(chat: Chat) -> None:
    await chat.say("zhangsan", "设置欢迎语 你好{客户名}，我是{员工名}")
    await chat.sim.clear_contact_calls()
    since = await chat.sim.sent_count()
    await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(since)
    assert welcome_texts(await chat.sim.sent(since=since)) == ["你好王小明，我是李四"]
    assert await chat.sim.contact_calls("user/get") == []  # the synced book already knew
