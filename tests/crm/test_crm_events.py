"""Customer-contact callbacks through the whole encrypted path: the simulator plays the
customer (adding, deleting, accepting a handover), the bot stores, greets and tells people."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.crm import Chat, open_chat, welcome_texts

from bot.clock import FrozenClock
from bot.embedded import Embedded
from models.crm.customers import (
    Customer,
    CustomerFollower,
    CustomerKind,
    CustomerNote,
    FollowerStatus,
    NoteKind,
)
from models.crm.groups import CustomerGroup, CustomerGroupEvent, GroupStatus, MemberChange
from models.crm.tags import CorpTag, CustomerTag
from models.inbox import InboxStatus, InboxUpdate
from models.tenants import Tenant


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def add(chat: Chat, userid: str = "lisi", **fields: object) -> str:
    since = await chat.sim.sent_count()
    answer = await chat.sim.add_contact("acme", userid, **fields)
    assert answer["status"] == 200
    await chat.settle(since)
    return str(answer["external_userid"])


async def notes_of(customer: Customer) -> list[tuple[NoteKind, str]]:
    rows = await CustomerNote.filter(customer_id=customer.id).order_by("id")
    return [(row.kind, row.text) for row in rows]


async def test_a_new_wechat_customer_is_stored_and_welcomed_at_once(chat: Chat) -> None:
    since = await chat.sim.sent_count()
    external = await add(
        chat, name="王小明", state="booth", remark_mobiles=["13800138000"], remark="展会认识"
    )
    [welcome] = welcome_texts(await chat.sim.sent(since=since))
    assert welcome == "你好，王小明！我是lisi，很高兴认识你，有任何需要随时找我。"
    customer = await Customer.get(external_userid=external)
    assert (customer.name, customer.kind, customer.source) == (
        "王小明",
        CustomerKind.WECHAT,
        "booth",
    )
    assert customer.phone == "13800138000"
    follower = await CustomerFollower.get(customer_id=customer.id).prefetch_related("employee")
    assert (follower.employee.userid, follower.state, follower.remark) == (
        "lisi",
        "booth",
        "展会认识",
    )
    assert follower.status == FollowerStatus.ACTIVE
    assert await notes_of(customer) == [
        (NoteKind.ADDED, "通过「booth」添加了 lisi"),
        (NoteKind.WELCOME, f"发送欢迎语：{welcome}"),
    ]
    [get] = await chat.sim.contact_calls("externalcontact/get")
    assert get["body"] == {"external_userid": external}


async def test_the_welcome_text_follows_the_tenants_template_for_the_contact_way(
    chat: Chat,
) -> None:
    [saved] = await chat.say("zhangsan", "设置欢迎语 渠道 booth 欢迎{客户名}来展位！我是{员工名}")
    assert saved == "已设置渠道「booth」的欢迎语。新客户会收到：\n欢迎张三来展位！我是zhangsan"
    await chat.say("zhangsan", "设置欢迎语 你好{客户名}")
    since = await chat.sim.sent_count()
    await add(chat, name="王小明", state="booth")
    await add(chat, name="赵六", state="")
    assert welcome_texts(await chat.sim.sent(since=since)) == [
        "欢迎王小明来展位！我是lisi",
        "你好赵六",
    ]
    [listing] = await chat.say("lisi", "欢迎语")
    assert "· 默认：你好{客户名}" in listing
    assert "· 渠道「booth」：欢迎{客户名}来展位！我是{员工名}" in listing


async def test_a_customer_added_through_auto_accept_is_welcomed_too(chat: Chat) -> None:
    since = await chat.sim.sent_count()
    await add(chat, name="钱七", half=True)
    assert welcome_texts(await chat.sim.sent(since=since)) == [
        "你好，钱七！我是lisi，很高兴认识你，有任何需要随时找我。"
    ]


async def test_a_welcome_too_late_for_the_window_is_skipped_and_logged(
    chat: Chat, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    since = await chat.sim.sent_count()
    added_at = clock.now() - timedelta(seconds=25)
    with caplog.at_level(logging.WARNING, logger="bot.crm.welcome"):
        external = await add(chat, name="孙八", create_time=int(added_at.timestamp()))
    assert welcome_texts(await chat.sim.sent(since=since)) == []
    assert await chat.sim.contact_calls("externalcontact/send_welcome_msg") == []
    assert "skipped: the add event is" in caplog.text
    assert "WeCom's window is 20s" in caplog.text
    customer = await Customer.get(external_userid=external)
    assert [kind for kind, _ in await notes_of(customer)] == [NoteKind.ADDED]


@pytest.mark.parametrize("errcode", [41051, 41096])
async def test_someone_else_already_greeting_is_a_normal_outcome(
    chat: Chat, errcode: int, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.sim.inject_fault("externalcontact/send_welcome_msg", errcode)
    with caplog.at_level(logging.INFO):
        external = await add(chat, name="周九")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    customer = await Customer.get(external_userid=external)
    assert [kind for kind, _ in await notes_of(customer)] == [NoteKind.ADDED]
    assert {row.status for row in await InboxUpdate.all()} == {InboxStatus.DONE}


async def test_a_customer_wecom_will_not_describe_is_still_stored(chat: Chat) -> None:
    await chat.sim.inject_fault("externalcontact/get", 84061)
    external = await add(chat, name="吴十")
    customer = await Customer.get(external_userid=external)
    assert (customer.name, customer.display_name) == ("", "未命名客户")
    assert (
        await CustomerFollower.filter(customer_id=customer.id, status=FollowerStatus.ACTIVE).count()
        == 1
    )


async def test_an_edited_contact_is_refreshed(chat: Chat) -> None:
    external = await add(chat, name="王小明")
    await chat.sim.seed_customer(
        "acme", {"external_userid": external, "name": "王晓明", "type": 2, "corp_name": "华夏科技"}
    )
    await chat.event(
        {
            "Event": "change_external_contact",
            "ChangeType": "edit_external_contact",
            "UserID": "lisi",
            "ExternalUserID": external,
        }
    )
    customer = await Customer.get(external_userid=external)
    assert (customer.name, customer.kind, customer.company) == (
        "王晓明",
        CustomerKind.WECOM,
        "华夏科技",
    )


async def test_the_employee_hears_at_once_when_a_customer_deletes_them(chat: Chat) -> None:
    external = await add(chat, name="王小明", remark_mobiles=["13800138000"])
    await chat.say("lisi", "客户 王小明 备注 想要报价单")
    since = await chat.sim.sent_count()
    await chat.sim.remove_contact("acme", "lisi", external, by="customer")
    await chat.settle(since)
    [told] = chat.sent_to("lisi")
    lines = told.splitlines()
    assert lines[0] == "客户王小明删除了你。"
    assert "【客户】王小明（微信客户）" in lines
    assert "电话：13800138000" in lines  # lisi owns the customer: the number in full
    assert any(line.startswith("最近互动：") and line.endswith("备注 想要报价单") for line in lines)
    follower = await CustomerFollower.get(customer__external_userid=external)
    assert follower.status == FollowerStatus.LOST and follower.ended_at is not None
    customer = await Customer.get(external_userid=external)
    assert (await notes_of(customer))[-1] == (NoteKind.LOST, "删除了 lisi")


async def test_an_employee_deleting_a_customer_ends_that_relationship_quietly(chat: Chat) -> None:
    external = await add(chat, name="王小明")
    since = await chat.sim.sent_count()
    await chat.sim.remove_contact("acme", "lisi", external, by="employee")
    assert await chat.settle(since) == []
    follower = await CustomerFollower.get(customer__external_userid=external)
    assert follower.status == FollowerStatus.REMOVED


async def test_customer_groups_follow_the_chat_callbacks(chat: Chat) -> None:
    external = await add(chat, name="王小明")
    await chat.sim.put_group_chat(
        "acme",
        "wrGroup1",
        {"name": "华夏客户群", "owner": "lisi", "members": [{"userid": "lisi", "type": 1}]},
    )
    chat_event = {"Event": "change_external_chat", "ChatId": "wrGroup1"}
    await chat.event({**chat_event, "ChangeType": "create"})
    group = await CustomerGroup.get(chat_id="wrGroup1")
    assert (group.name, group.owner_userid, group.member_count) == ("华夏客户群", "lisi", 1)
    await chat.sim.put_group_chat(
        "acme",
        "wrGroup1",
        {
            "name": "华夏客户群",
            "owner": "lisi",
            "members": [{"userid": "lisi", "type": 1}, {"userid": external, "type": 2}],
        },
    )
    await chat.event(
        {
            **chat_event,
            "ChangeType": "update",
            "UpdateDetail": "add_member",
            "JoinScene": 3,
            "MemChangeCnt": 1,
            "MemChangeList": {"Item": [external]},
        }
    )
    await chat.event(
        {
            **chat_event,
            "ChangeType": "update",
            "UpdateDetail": "del_member",
            "QuitScene": 0,
            "MemChangeCnt": 1,
            "MemChangeList": {"Item": [external]},
        }
    )
    history = await CustomerGroupEvent.filter(group_id=group.id).order_by("id")
    assert [(e.member_id, e.change, e.scene) for e in history] == [
        (external, MemberChange.JOIN, 3),
        (external, MemberChange.QUIT, 0),
    ]
    customer = await Customer.get(external_userid=external)
    assert (await notes_of(customer))[-2:] == [
        (NoteKind.GROUP_JOIN, "加入了客户群「华夏客户群」"),
        (NoteKind.GROUP_QUIT, "退出了客户群「华夏客户群」"),
    ]
    await chat.event({**chat_event, "ChangeType": "dismiss"})
    assert (await CustomerGroup.get(id=group.id)).status == GroupStatus.DISMISSED


async def test_tag_library_changes_resync_from_wecom(chat: Chat) -> None:
    acme = await Tenant.get(key="acme")
    await CorpTag.create(tenant_id=acme.id, tag_id="etGone", name="旧标签")
    since = await chat.sim.sent_count()
    answer = await chat.sim.seed_tags("acme", "客户等级", ["重点客户", "普通客户"], notify=True)
    await chat.settle(since)
    tags = {t.name: (t.tag_id, t.group_name, t.deleted) for t in await CorpTag.all()}
    assert tags == {
        "重点客户": (answer["重点客户"], "客户等级", False),
        "普通客户": (answer["普通客户"], "客户等级", False),
        "旧标签": ("etGone", "", True),
    }


async def test_welcome_templates_refuse_bad_input_and_non_admins(chat: Chat) -> None:
    usage = (
        "请按这个格式写：设置欢迎语 你好{客户名}，我是{员工名}\n"
        "只对某个渠道（联系我二维码的 state）生效：设置欢迎语 渠道 booth 你好{客户名}"
    )
    assert await chat.say("zhangsan", "设置欢迎语") == [usage]
    assert await chat.say("zhangsan", "设置欢迎语 你好{姓名}") == [
        "欢迎语里只能用 {客户名} 和 {员工名}，看不懂「{姓名}」。"
    ]
    assert await chat.say("zhangsan", "设置欢迎语 " + "好" * 1400) == [
        "欢迎语太长了：最多 4000 字节（约 1300 个汉字）。"
    ]
    assert await chat.say("lisi", "设置欢迎语 你好{客户名}") == ["仅管理员可用"]
    [listing] = await chat.say("lisi", "欢迎语")
    assert listing.splitlines()[1] == (
        "· 默认（内置）：你好，{客户名}！我是{员工名}，很高兴认识你，有任何需要随时找我。"
    )


async def test_tags_removed_in_wecom_are_removed_here_when_the_contact_is_refreshed(
    chat: Chat,
) -> None:
    tag_ids = await chat.sim.seed_tags("acme", "客户等级", ["重点客户", "老客户"], notify=True)
    await chat.settle(0)
    external = await add(chat, name="王小明", tag_ids=[tag_ids["重点客户"], tag_ids["老客户"]])
    await chat.say("lisi", "打标签 王小明 本地备注标签")
    customer = await Customer.get(external_userid=external)
    assert await tag_names(customer) == {"老客户", "本地备注标签", "重点客户"}

    # Someone removes 老客户 in the WeCom client; WeCom reports an edit.
    kept = [tag_ids["重点客户"], (await CorpTag.get(name="本地备注标签")).tag_id]
    await chat.sim.seed_customer(
        "acme",
        {
            "external_userid": external,
            "name": "王小明",
            "follow_users": [{"userid": "lisi", "tag_ids": kept}],
        },
    )
    await chat.event(
        {
            "Event": "change_external_contact",
            "ChangeType": "edit_external_contact",
            "UserID": "lisi",
            "ExternalUserID": external,
        }
    )
    assert await tag_names(customer) == {"本地备注标签", "重点客户"}


async def tag_names(customer: Customer) -> set[str]:
    rows = await CustomerTag.filter(customer_id=customer.id).prefetch_related("tag")
    return {row.tag.name for row in rows}


async def test_a_customer_agreeing_to_chat_archiving_is_recorded_once(chat: Chat) -> None:
    external = await add(chat, name="王小明")
    approved = {
        "Event": "change_external_contact",
        "ChangeType": "msg_audit_approved",
        "UserID": "lisi",
        "ExternalUserID": external,
    }
    assert await chat.event(approved) == []  # nobody is messaged
    follower = await CustomerFollower.get(customer__external_userid=external)
    assert follower.archive_agreed_at is not None
    customer = await Customer.get(external_userid=external)
    assert (await notes_of(customer))[-1] == (NoteKind.ARCHIVE, "同意了与 lisi 的会话存档")
    await chat.event({**approved, "CreateTime": 1795470000})  # a second approval: no new note
    assert [kind for kind, _ in await notes_of(customer)].count(NoteKind.ARCHIVE) == 1
    [timeline] = await chat.say("lisi", "客户动态 王小明")
    assert "会话存档：同意了与 lisi 的会话存档（lisi）" in timeline
