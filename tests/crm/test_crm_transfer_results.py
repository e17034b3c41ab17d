"""Handovers no callback settled are settled from WeCom's transfer_result: the takeover who
already had the customer (no add event), a lost callback, a refusal WeCom did not report."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.crm import Chat, open_chat

from bot.clock import FrozenClock
from bot.embedded import Embedded
from models.crm.customers import Customer, CustomerFollower, CustomerNote, FollowerStatus, NoteKind
from models.crm.ops import CustomerTransfer, TransferStatus
from models.tenants import Employee
from scheduler.crm import settle_transfers

REFUSED = "客户王小明转交给 wangwu 失败：客户拒绝了转接。客户仍由 lisi 跟进。"


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        await opened.say("wangwu", "帮助")  # wangwu becomes a known colleague
        yield opened


async def hand_over(chat: Chat) -> str:
    answer = await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(0)
    await chat.say("lisi", "转交 王小明 给 wangwu")
    return str(answer["external_userid"])


async def poll(chat: Chat, after: timedelta) -> int:
    runtime = chat.embedded.runtime
    assert runtime.client is not None and runtime.sender is not None
    since = await chat.sim.sent_count()
    clock = FrozenClock(runtime.options.clock.now() + after)  # later than the handover
    written = await settle_transfers(runtime.tenants, runtime.client, runtime.sender, clock)
    await chat.settle(since)
    return written


async def transfer_notes() -> list[str]:
    notes = CustomerNote.filter(kind=NoteKind.TRANSFER).order_by("id")
    return [str(text) for text in await notes.values_list("text", flat=True)]


async def owner_of(external: str) -> str:
    customer = await Customer.get(external_userid=external)
    return (await Employee.get(id=customer.owner_id)).userid


async def test_a_handover_wecom_finished_silently_is_settled_from_transfer_result(
    chat: Chat,
) -> None:
    external = await hand_over(chat)
    await chat.sim.settle_transfer("acme", external, "accepted", callbacks=False)

    await poll(chat, timedelta(minutes=30))  # the callbacks may still come: wait
    assert await chat.sim.contact_calls("externalcontact/transfer_result") == []
    assert (await CustomerTransfer.get()).status == TransferStatus.PENDING

    await poll(chat, timedelta(hours=2))
    [call] = await chat.sim.contact_calls("externalcontact/transfer_result")
    assert call["body"] == {"handover_userid": "lisi", "takeover_userid": "wangwu", "cursor": ""}
    assert (await CustomerTransfer.get()).status == TransferStatus.DONE
    assert await owner_of(external) == "wangwu"
    lisi = await CustomerFollower.get(employee__userid="lisi")
    assert lisi.status == FollowerStatus.TRANSFERRED
    assert await transfer_notes() == [
        "由 lisi 转交给 wangwu（等待客户确认）",
        "已由 lisi 转交给 wangwu",
    ]


async def test_a_refusal_wecom_did_not_report_reaches_the_asker_and_admins_once(
    chat: Chat,
) -> None:
    external = await hand_over(chat)
    await chat.sim.settle_transfer("acme", external, "customer_refused", callbacks=False)
    await poll(chat, timedelta(hours=2))
    assert chat.sent_to("zhangsan") == [REFUSED]
    assert chat.sent_to("lisi") == [REFUSED]
    transfer = await CustomerTransfer.get()
    assert (transfer.status, transfer.reason) == (TransferStatus.FAILED, "客户拒绝了转接")
    assert await owner_of(external) == "lisi"

    assert await poll(chat, timedelta(hours=3)) == 0  # settled: not asked or told again
    assert chat.last == []


async def test_a_handover_still_waiting_stays_pending(chat: Chat) -> None:
    await hand_over(chat)
    assert await poll(chat, timedelta(hours=2)) == 0
    assert len(await chat.sim.contact_calls("externalcontact/transfer_result")) == 1
    assert (await CustomerTransfer.get()).status == TransferStatus.PENDING


async def test_handovers_the_callbacks_settled_are_not_asked_about(chat: Chat) -> None:
    external = await hand_over(chat)
    await chat.sim.settle_transfer("acme", external, "accepted")
    await chat.settle(0)
    await poll(chat, timedelta(hours=2))
    assert await chat.sim.contact_calls("externalcontact/transfer_result") == []
    assert await transfer_notes() == [
        "由 lisi 转交给 wangwu（等待客户确认）",
        "已由 lisi 转交给 wangwu",
    ]
