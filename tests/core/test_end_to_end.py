"""Through the whole path: simulator → encrypted callback → inbox → handler → outbox →
simulator's message/send."""

from __future__ import annotations

from bot.embedded import Embedded
from bot.wecom_sim.control import SimulatorControl
from models.inbox import InboxStatus, InboxUpdate
from models.outbox import OutboxMessage, OutboxStatus
from models.tenants import Employee, Role


async def say(sim: SimulatorControl, user: str, text: str) -> dict:
    return await sim.deliver("acme", {"MsgType": "text", "FromUserName": user, "Content": text})


async def test_help_reaches_the_employee(embedded: Embedded, sim: SimulatorControl) -> None:
    answer = await say(sim, "zhangsan", "帮助")
    assert answer == {"status": 200, "attempts": 1, "msg_id": answer["msg_id"]}
    [sent] = await sim.wait_for_sent(1)
    assert sent["api"] == "message/send"
    assert sent["body"]["touser"] == "zhangsan"
    assert sent["body"]["agentid"] == 1000002
    assert "【通用】" in sent["body"]["text"]["content"]
    assert "【通用】帮助" in sent["body"]["text"]["content"]
    await embedded.runtime.tasks.drain()
    inbox = await InboxUpdate.get(key=f"msg:{answer['msg_id']}")
    assert inbox.status == InboxStatus.DONE
    outbox = await OutboxMessage.get(idempotency_key=f"in:msg:{answer['msg_id']}:0")
    assert outbox.status == OutboxStatus.SENT
    employee = await Employee.get(userid="zhangsan")
    assert employee.role == Role.ADMIN  # listed in the tenant's admins


async def test_unknown_text_gets_the_hint(embedded: Embedded, sim: SimulatorControl) -> None:
    await say(sim, "lisi", "今天天气怎么样")
    [sent] = await sim.wait_for_sent(1)
    assert sent["body"]["text"]["content"].startswith("没听懂「今天天气怎么样」。\n")
    assert (await Employee.get(userid="lisi")).role == Role.MEMBER


async def test_a_message_wecom_delivers_twice_is_answered_once(
    embedded: Embedded, sim: SimulatorControl
) -> None:
    # WeCom re-sends a callback it got no timely 200 for; the MsgId stays the same.
    fields = {"MsgType": "text", "FromUserName": "zhangsan", "Content": "帮助", "MsgId": 7001}
    first, retry = await sim.deliver("acme", fields), await sim.deliver("acme", fields)
    assert first["status"] == retry["status"] == 200
    await sim.wait_for_sent(1)
    await embedded.runtime.tasks.drain()
    [sent] = await sim.sent()
    assert "【通用】帮助" in sent["body"]["text"]["content"]
    assert await InboxUpdate.filter(key="msg:7001").count() == 1


async def test_a_contact_event_wecom_delivers_twice_is_stored_once(
    embedded: Embedded, sim: SimulatorControl
) -> None:
    fields = {
        "MsgType": "event",
        "FromUserName": "sys",
        "CreateTime": 1795399200,
        "Event": "change_external_contact",
        "ChangeType": "add_external_contact",
        "UserID": "zhangsan",
        "ExternalUserID": "wmEAlECwAAHrbWYDetiu3Af13xlYDDNQ",
        "WelcomeCode": "WELCOME-1",
    }
    for _ in range(2):
        assert (await sim.deliver("acme", fields))["status"] == 200
    await embedded.runtime.tasks.drain()
    [row] = await InboxUpdate.all()
    assert row.status == InboxStatus.DONE
    assert await sim.sent() == []
