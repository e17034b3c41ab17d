"""The address book comes in from WeCom's simulator: departments and members of the app's
visible range, alias and position from user/get, leavers kept as left, resuming a sync that
died, one sync per tenant at a time, the admins' 同步通讯录 and the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.crm import Chat
from support.people import SALES, SERVICE, book, people_chat, sync

from bot.clock import FrozenClock
from bot.config import Settings
from bot.wecom.client import WeComAPIError
from models.people import Department, DirectoryMember, DirectorySync, MemberStatus, SyncStatus
from models.subscriptions import SeatAssignment
from models.tenants import Employee

PEOPLE = (("lisi", "李四", SALES), ("wangwu", "王五", SERVICE), ("zhaoliu", "赵六", SALES))


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with people_chat(settings, clock) as opened:
        await book(opened, PEOPLE)
        yield opened


async def members() -> dict[str, tuple[str, list[int], str]]:
    rows = await DirectoryMember.all()
    return {m.userid: (m.name, m.departments, m.status.value) for m in rows}


async def test_a_sync_brings_departments_and_members_of_the_visible_range(chat: Chat) -> None:
    await chat.sim.put_person("acme", "lisi", "李四", [SALES], alias="Leo", position="销售经理")
    report = await sync(chat)
    assert (report.started, report.departments, report.members, report.joined) == (
        True,
        3,
        3,
        3,
    )
    assert await members() == {
        "lisi": ("李四", [SALES], "active"),
        "wangwu": ("王五", [SERVICE], "active"),
        "zhaoliu": ("赵六", [SALES], "active"),
    }
    lisi = await DirectoryMember.get(userid="lisi")
    assert (lisi.alias, lisi.position, lisi.detailed) == ("Leo", "销售经理", True)
    names = dict(await Department.all().values_list("dept_id", "name"))
    assert (sorted(names), names[SALES], names[SERVICE]) == (
        [1, SALES, SERVICE],
        "销售部",
        "售后部",
    )
    # Nobody talked to the bot: the directory alone knows them.
    assert not await Employee.filter(userid__in=["lisi", "wangwu", "zhaoliu"]).exists()
    apis = [c["api"] for c in await chat.sim.contact_calls()]
    assert apis.count("department/simplelist") == 1 and apis.count("user/get") == 3


async def test_syncing_again_changes_nothing_and_asks_only_about_newcomers(chat: Chat) -> None:
    await sync(chat)
    before = await members()
    await chat.sim.clear_contact_calls()
    report = await sync(chat)
    assert (report.joined, report.left, await members()) == (0, 0, before)
    assert "user/get" not in [c["api"] for c in await chat.sim.contact_calls()]


async def test_only_the_visible_range_is_synced(chat: Chat) -> None:
    await chat.sim.set_visible("acme", departments=[SALES], users=[])
    report = await sync(chat)
    assert report.members == 2
    assert set(await members()) == {"lisi", "zhaoliu"}


async def test_a_member_who_left_is_kept_loses_the_seat_and_the_admins_hear_once(
    chat: Chat,
) -> None:
    await sync(chat)
    assert await chat.say("zhangsan", "分配席位 李四") == ["已为 lisi 分配席位（已用 1 / 10）。"]
    await chat.sim.delete_person("acme", "lisi")
    since = await chat.sim.sent_count()
    report = await sync(chat)
    assert (report.left, report.members) == (1, 2)
    assert (await members())["lisi"] == ("李四", [SALES], "left")
    assert await Employee.exists(userid="lisi")  # history stays with the row
    assert not await SeatAssignment.exists()
    await chat.embedded.runtime.sender.sweep_all()  # type: ignore[union-attr]
    notices = [r for r in await chat.sim.sent(since=since) if r["api"] == "message/send"]
    assert [r["body"]["touser"] for r in notices] == ["zhangsan"]
    assert notices[0]["body"]["text"]["content"] == (
        "李四（lisi）已不在企业微信通讯录里（已删除或移出应用的可见范围）。\n"
        "TA 的席位已收回，可以分配给别人：分配席位 同事名字"
    )
    await sync(chat)
    await chat.embedded.runtime.sender.sweep_all()  # type: ignore[union-attr]
    assert len([r for r in await chat.sim.sent(since=since) if r["api"] == "message/send"]) == 1


async def test_a_sync_that_died_resumes_after_the_last_stored_department(
    chat: Chat, clock: FrozenClock
) -> None:
    await chat.sim.inject_fault("user/simplelist", 60011, after=2)
    with pytest.raises(WeComAPIError):
        await sync(chat)
    row = await DirectorySync.get()
    assert (row.status, row.position, row.finished_at) == (SyncStatus.RUNNING, 2, None)
    await chat.sim.clear_contact_calls()
    report = await sync(chat)
    assert (report.started, report.resumed, report.members, report.left) == (True, True, 3, 0)
    listed = [c["body"] for c in await chat.sim.contact_calls("user/simplelist")]
    assert listed == [{"department_id": str(SERVICE)}]  # only what was left to do


async def test_two_syncs_of_one_tenant_never_run_at_once(chat: Chat, clock: FrozenClock) -> None:
    first, second = await asyncio.gather(sync(chat), sync(chat))
    assert sorted([first.started, second.started]) == [False, True]
    # A process that died mid-sync holds the tenant until its lease runs out.
    held = clock.now() + timedelta(minutes=1)
    await DirectorySync.all().update(status=SyncStatus.RUNNING, lease_until=held)
    assert (await sync(chat)).started is False
    clock.advance(timedelta(minutes=2))
    report = await sync(chat)
    assert (report.started, report.resumed) == (True, True)


async def test_admins_sync_from_chat_in_their_own_words(chat: Chat) -> None:
    assert await chat.say("zhangsan", "帮我同步一下通讯录") == [
        "通讯录已同步：3 个部门，3 位同事在本应用的可见范围内。这次新增 3 位，离开 0 位。"
    ]
    assert await chat.say("zhangsan", "更新通讯录") == [
        "通讯录已同步：3 个部门，3 位同事在本应用的可见范围内。"
    ]
    assert await chat.say("lisi", "同步通讯录") == ["仅管理员可用"]


async def test_without_the_address_book_permission_the_admin_hears_how_to_fix_it(
    chat: Chat,
) -> None:
    await chat.sim.inject_fault("department/simplelist", 60011)
    [answer] = await chat.say("zhangsan", "同步通讯录")
    assert answer.startswith("企业微信没有给本应用读取通讯录的权限（60011）。")
    assert "可见范围" in answer


async def test_left_members_come_back_when_they_return(chat: Chat) -> None:
    await sync(chat)
    await chat.sim.delete_person("acme", "wangwu")
    await sync(chat)
    await chat.sim.put_person("acme", "wangwu", "王五", [SERVICE])
    report = await sync(chat)
    assert report.joined == 1
    member = await DirectoryMember.get(userid="wangwu")
    assert (member.status, member.left_at) == (MemberStatus.ACTIVE, None)


async def test_a_member_visible_on_their_own_is_not_taken_for_a_leaver(chat: Chat) -> None:
    await chat.sim.set_visible("acme", departments=[SALES], users=["wangwu"])
    await chat.sim.put_person("acme", "wangwu", "王五", [SERVICE], notify=True)
    await chat.settle(0)
    report = await sync(chat)  # no department list shows wangwu: user/get says he is there
    assert report.left == 0
    assert (await members())["wangwu"] == ("王五", [SERVICE], "active")
    await chat.sim.delete_person("acme", "wangwu")
    assert (await sync(chat)).left == 1


async def test_a_seat_given_before_the_first_sync_to_a_stranger_goes_back(chat: Chat) -> None:
    assert await chat.say("zhangsan", "分配席位 ghost") == ["已为 ghost 分配席位（已用 1 / 10）。"]
    assert await chat.say("zhangsan", "分配席位 lisi") == ["已为 lisi 分配席位（已用 2 / 10）。"]
    since = await chat.sim.sent_count()
    await sync(chat)
    holders = await SeatAssignment.all().prefetch_related("employee")
    assert [h.employee.userid for h in holders] == ["lisi"]
    await chat.embedded.runtime.sender.sweep_all()  # type: ignore[union-attr]
    [notice] = [r for r in await chat.sim.sent(since=since) if r["api"] == "message/send"]
    assert notice["body"]["text"]["content"].startswith(
        "ghost 不在企业微信通讯录（本应用的可见范围）里，TA 的席位已收回。"
    )


async def test_admins_see_how_the_address_book_stands(chat: Chat) -> None:
    assert await chat.say("zhangsan", "通讯录同步了吗") == [
        "通讯录还没有同步过。发送「同步通讯录」把企业微信里的部门和同事同步进来。"
    ]
    await sync(chat)
    await chat.sim.inject_fault("user/simplelist", 60011)
    await chat.say("zhangsan", "同步通讯录")
    assert await chat.say("zhangsan", "通讯录") == [
        "通讯录：3 个部门，3 位同事，上次同步完成于 11-23 10:00。"
        "每晚 2 点自动同步，发送「同步通讯录」马上同步。\n"
        "最近一次同步没有完成（企业微信返回 60011），再发送「同步通讯录」会接着同步。"
    ]
