"""Purchase approval (采购审批) as transcripts: an admin's 采购设置 makes purchases (all, or
over an amount) wait after 确认; the admins get the text and a 批准 / 驳回 card; the first
decision wins (a double click, two admins, a typed and a clicked answer), the author hears
it; nothing arrives at a pending order; natural phrasings reach the same commands."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.crm import Chat
from support.erp import erp_chat, product
from support.tickets import colleague

from bot.clock import FrozenClock
from bot.config import Settings
from bot.erp.approval import approval_of
from models.erp import ApprovalMode, PurchaseOrder, PurchaseState
from models.tenants import Role

N1 = "CG-20261123-0001"
SENTENCE = "向晨光采购 A4纸100箱 单价18 周五到货"
SUBMITTED = f"采购单 {N1}（合计 ¥1,800.00）已提交管理员审批，批准后发出，结果会通知你。"
ASK = (
    f"【采购审批】李四 提交了采购单 {N1}：晨光文具，合计 ¥1,800.00。"
    "批准发送「批准采购 0001」，驳回发送「驳回采购 0001 原因」。"
)
CARD = f"【采购单 {N1} 待审批】\n晨光文具 · 合计 ¥1,800.00\n[批准] [驳回]"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with erp_chat(settings, clock) as opened:
        await product()
        await opened.say("lisi", "新增供应商 晨光文具 王五 13800000000")
        yield opened


async def submit(chat: Chat) -> PurchaseOrder:
    await chat.say("lisi", SENTENCE)
    assert await chat.say("lisi", "确认") == [SUBMITTED]
    return await PurchaseOrder.get(number=N1)


def press(order: PurchaseOrder, user: str, action: str, task: str) -> dict[str, Any]:
    return {
        "Event": "template_card_event",
        "FromUserName": user,
        "EventKey": f"purchase-approval:{action}:{order.id}",
        "TaskId": task,
        "CardType": "button_interaction",
    }


async def test_the_setting_is_shown_and_changed_by_admins_only(chat: Chat) -> None:
    assert await chat.say("zhangsan", "采购设置") == [
        "采购设置：采购单确认后直接发出，不用审批。\n"
        "到货：不允许超收（到货不能多于订购数量）。\n"
        "修改：采购设置 审批 全部、采购设置 审批 超过5000、采购设置 审批 关、采购设置 超收 5%"
    ]
    [saved] = await chat.say("zhangsan", "采购设置 审批 超过5000")
    assert saved.startswith("已保存。采购设置：超过 ¥5,000.00 的采购单要管理员批准。")
    await chat.say("lisi", "采购设置 审批 关")  # members may not change it
    assert (await approval_of(1)).mode is ApprovalMode.OVER
    [saved] = await chat.say("zhangsan", "采购设置 审批 随便")
    assert saved.startswith("请按这个格式写：采购设置 审批 全部")


async def test_under_the_amount_goes_out_at_once_over_it_waits(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 审批 超过5000")
    await chat.say("lisi", "向晨光采购 A4纸10箱 单价18")
    [confirmed] = await chat.say("lisi", "确认")
    assert confirmed.startswith(f"已确认采购单 {N1}")
    await chat.say("lisi", "向晨光采购 A4纸500箱 单价18")
    [submitted] = await chat.say("lisi", "确认")
    assert submitted.startswith("采购单 CG-20261123-0002（合计 ¥9,000.00）已提交管理员审批")
    assert (await PurchaseOrder.get(number="CG-20261123-0002")).state is PurchaseState.PENDING


async def test_admins_get_the_ask_and_a_card_and_approval_is_exactly_once(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 审批 全部")
    await chat.say("lisi", SENTENCE)
    assert await chat.say("lisi", "确认") == [SUBMITTED]
    assert chat.sent_to("zhangsan") == [ASK, CARD]
    order = await PurchaseOrder.get(number=N1)
    assert await chat.say("wangwu", "到货 0001") == [f"采购单 {N1} 还在等管理员审批。"]
    assert await chat.say("lisi", "确认采购 0001") == [f"采购单 {N1} 已提交审批，等管理员批准。"]
    await chat.event(press(order, "zhangsan", "approve", "t1"))
    assert chat.sent_to("zhangsan") == [f"已批准采购单 {N1}，合计 ¥1,800.00，已发出。"]
    assert chat.sent_to("lisi") == [f"你提交的采购单 {N1} 已由 张三丰 批准，已发出。"]
    await chat.event(press(order, "zhangsan", "approve", "t2"))  # a double click
    assert chat.sent_to("zhangsan") == [f"采购单 {N1} 已经由 张三丰 批准了。"]
    assert chat.sent_to("lisi") == []
    assert await chat.say("zhangsan", "驳回采购 0001 太贵") == [
        f"采购单 {N1} 已经由 张三丰 批准了。"
    ]
    await chat.event(press(order, "lisi", "reject", "t3"))
    assert chat.sent_to("lisi") == ["只有管理员可以审批采购单。"]
    order = await PurchaseOrder.get(number=N1)
    assert (order.state, order.approved_by) == (PurchaseState.CONFIRMED, "张三丰")
    [received] = await chat.say("wangwu", "到货 0001 A4纸 10")
    assert received.startswith(f"采购单 {N1} 到货")


async def test_rejecting_cancels_and_tells_the_author(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 审批 全部")
    await submit(chat)
    assert await chat.say("zhangsan", "驳回采购 0001 先用库存") == [f"已驳回采购单 {N1}。"]
    assert chat.sent_to("lisi") == [f"你提交的采购单 {N1} 被 张三丰 驳回：先用库存。"]
    assert await chat.say("zhangsan", "批准采购 0001") == [
        f"采购单 {N1} 已取消（张三丰 驳回：先用库存）。"
    ]
    assert (await PurchaseOrder.get(number=N1)).state is PurchaseState.CANCELLED


async def test_two_admins_deciding_at_once_decide_once(chat: Chat) -> None:
    await colleague("sunqi", "孙七", Role.ADMIN)
    await chat.say("zhangsan", "采购设置 审批 全部")
    order = await submit(chat)
    await asyncio.gather(
        chat.event(press(order, "zhangsan", "approve", "a1")),
        chat.event(press(order, "sunqi", "reject", "a2")),
    )
    await chat.embedded.runtime.tasks.drain()
    order = await PurchaseOrder.get(number=N1)
    assert order.state in (PurchaseState.CONFIRMED, PurchaseState.CANCELLED)
    assert (order.state is PurchaseState.CONFIRMED) == bool(order.approved_by)


async def test_an_admins_own_purchase_needs_no_approval(chat: Chat) -> None:
    await chat.say("zhangsan", "采购设置 审批 全部")
    await chat.say("zhangsan", SENTENCE)
    [confirmed] = await chat.say("zhangsan", "确认")
    assert confirmed.startswith(f"已确认采购单 {N1}")


@pytest.mark.parametrize(
    ("said", "canonical"),
    [
        ("超过5000的采购要管理员审批", "超过 ¥5,000.00 的采购单要管理员批准"),
        ("所有采购单都要审批", "所有采购单都要管理员批准"),
        ("采购不用审批了", "采购单确认后直接发出，不用审批"),
    ],
)
async def test_natural_phrasings_change_the_setting(chat: Chat, said: str, canonical: str) -> None:
    [reply] = await chat.say("zhangsan", said)
    assert f"已保存。采购设置：{canonical}。" in reply


@pytest.mark.parametrize("said", ["同意采购单0001", "采购单0001批准了", "批准采购单 CG0001"])
async def test_natural_phrasings_approve(chat: Chat, said: str) -> None:
    await chat.say("zhangsan", "采购设置 审批 全部")
    await submit(chat)
    [reply] = await chat.say("zhangsan", said)
    assert reply.endswith(f"已批准采购单 {N1}，合计 ¥1,800.00，已发出。")


@pytest.mark.parametrize("said", ["打回采购单0001，数量太多", "采购单0001驳回 数量太多"])
async def test_natural_phrasings_reject(chat: Chat, said: str) -> None:
    await chat.say("zhangsan", "采购设置 审批 全部")
    await submit(chat)
    [reply] = await chat.say("zhangsan", said)
    assert reply.endswith(f"已驳回采购单 {N1}。")
    assert chat.sent_to("lisi") == [f"你提交的采购单 {N1} 被 张三丰 驳回：数量太多。"]
