"""Handovers: 转交 and 离职交接 in chat, settled by WeCom's callbacks (accepted or refused)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.crm.customers import Customer, CustomerFollower, FollowerStatus
from models.crm.ops import CustomerTransfer, TransferKind, TransferStatus
from models.tenants import Employee


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        await opened.say("wangwu", "帮助")  # wangwu becomes a known colleague
        yield opened


async def add_wechat_customer(chat: Chat, name: str, userid: str = "lisi") -> str:
    answer = await chat.sim.add_contact("acme", userid, name=name)
    await chat.settle(0)
    return str(answer["external_userid"])


async def owner_of(external: str) -> str:
    customer = await Customer.get(external_userid=external)
    return (await Employee.get(id=customer.owner_id)).userid


async def test_an_on_the_job_handover_completes_when_wecom_confirms(chat: Chat) -> None:
    external = await add_wechat_customer(chat, "王小明")
    assert await chat.say("lisi", "转交 王小明 给 wangwu") == [
        "已向企业微信发起转交：王小明 → wangwu。"
        "客户同意后（或 24 小时后自动）生效，届时负责人改为 wangwu。"
    ]
    [call] = await chat.sim.contact_calls("externalcontact/transfer_customer")
    assert call["body"] == {
        "handover_userid": "lisi",
        "takeover_userid": "wangwu",
        "external_userid": [external],
    }
    transfer = await CustomerTransfer.get()
    assert (transfer.kind, transfer.status) == (TransferKind.ON_JOB, TransferStatus.PENDING)
    assert await owner_of(external) == "lisi"  # nothing moves before WeCom says so

    await chat.sim.settle_transfer("acme", external, "accepted")
    await chat.settle(0)
    assert (await CustomerTransfer.get(id=transfer.id)).status == TransferStatus.DONE
    assert await owner_of(external) == "wangwu"
    followers = {
        f.employee.userid: f.status
        for f in await CustomerFollower.all().prefetch_related("employee")
    }
    assert followers == {"lisi": FollowerStatus.TRANSFERRED, "wangwu": FollowerStatus.ACTIVE}


async def test_a_refused_handover_tells_the_admins_and_the_asker_in_chinese(chat: Chat) -> None:
    external = await add_wechat_customer(chat, "王小明")
    await chat.say("lisi", "转交 王小明 给 wangwu")
    since = await chat.sim.sent_count()
    await chat.sim.settle_transfer("acme", external, "customer_refused")
    await chat.settle(since)
    told = "客户王小明转交给 wangwu 失败：客户拒绝了转接。客户仍由 lisi 跟进。"
    assert chat.sent_to("zhangsan") == [told]
    assert chat.sent_to("lisi") == [told]
    transfer = await CustomerTransfer.get()
    assert (transfer.status, transfer.reason) == (TransferStatus.FAILED, "客户拒绝了转接")
    assert await owner_of(external) == "lisi"


async def test_handover_refusals_in_chat(chat: Chat) -> None:
    await add_wechat_customer(chat, "王小明", userid="wangwu")
    assert await chat.say("wangwu", "转交 王小明 给 wangwu") == ["不能转交给自己。"]
    assert await chat.say("lisi", "转交 王小明 给 钱七") == [
        "没找到同事「钱七」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    ]
    assert await chat.say("zhangsan", "转交 王小明 给 lisi") == [
        "你不是「王小明」在企业微信里的跟进人，不能转交。"
    ]
    assert await chat.say("lisi", "转交 王小明") == [
        "请按这个格式写：转交 张三 给 lisi（写同事的企业微信账号）"
    ]
    assert await CustomerTransfer.all().count() == 0


async def test_an_offline_customer_moves_at_once_and_the_colleague_is_told(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 王五 13800138000")
    assert await chat.say("lisi", "转交 王五 给 wangwu") == ["已把 王五 转交给 wangwu。"]
    [told] = chat.sent_to("wangwu")
    assert told.startswith("lisi 把客户 王五 转交给了你：\n【客户】王五（线下客户）")
    assert (await Customer.get(name="王五")).owner_id == (await Employee.get(userid="wangwu")).id
    assert await chat.say("lisi", "转交 王五 给 wangwu") == ["「王五」不是你负责的客户，不能转交。"]


async def test_admins_hand_over_a_departed_employees_customers(chat: Chat) -> None:
    first = await add_wechat_customer(chat, "王小明", userid="wangwu")
    second = await add_wechat_customer(chat, "李小红", userid="wangwu")
    await chat.say("wangwu", "新建客户 线下老赵")
    await chat.say("lisi", "帮助")
    assert await chat.say("lisi", "离职交接 wangwu 给 lisi") == ["仅管理员可用"]
    [summary] = await chat.say("zhangsan", "离职交接 wangwu 给 lisi")
    assert summary.splitlines() == [
        "已为 wangwu 的 2 位企业微信客户发起离职继承给 lisi：成功 2 位，失败 0 位。",
        "另有 1 位线下客户已直接转给 lisi。",
    ]
    assert chat.sent_to("lisi") == [
        "zhangsan 把离职同事 wangwu 的客户交给了你，发送「我的客户」查看。"
    ]
    [call] = await chat.sim.contact_calls("externalcontact/resigned/transfer_customer")
    assert sorted(call["body"]["external_userid"]) == sorted([first, second])
    kinds = {t.kind for t in await CustomerTransfer.all()}
    assert kinds == {TransferKind.RESIGNED}
    assert (await Customer.get(name="线下老赵")).owner_id == (await Employee.get(userid="lisi")).id
    await chat.sim.settle_transfer("acme", first, "accepted")
    await chat.settle(0)
    assert await owner_of(first) == "lisi"
    assert await chat.say("zhangsan", "离职交接 钱七 给 lisi") == [
        "没找到同事「钱七」。通讯录还没同步过，管理员发送「同步通讯录」后就能按名字找同事了。"
        "也可以写企业微信账号，例如：lisi"
    ]
