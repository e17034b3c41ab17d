"""Reading 微信客服 messages: paging, the cursor kept across restarts, dedupe by msgid, and
the send budget each customer message opens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FrozenClock
from bot.dispatch.types import Channel, Update
from bot.kf.budget import budget_for
from bot.kf.sync import KfSync
from bot.tenants import TenantInfo
from bot.wecom.client import AppCredentials
from bot.wecom.kf import KfAddress, SyncPage, parse_sync_item, parse_sync_page
from models.inbox import InboxUpdate
from models.kf import KfCursor

KFID = "wkKF1"


def message(n: int, text: str = "你好", customer: str = "wmA") -> dict[str, Any]:
    return {
        "msgid": f"m{n}",
        "open_kfid": KFID,
        "external_userid": customer,
        "send_time": 1795399200 + n,
        "origin": 3,
        "msgtype": "text",
        "text": {"content": text},
    }


class FakeKfAPI:
    """Serves ``items`` a page of ``page_size`` at a time; cursors are positions."""

    def __init__(self, items: list[dict[str, Any]], page_size: int = 2) -> None:
        self.items = items
        self.page_size = page_size
        self.cursors: list[str] = []

    async def sync_msg(
        self, creds: AppCredentials, tenant_key: str, *, token: str, open_kfid: str, cursor: str
    ) -> SyncPage:
        self.cursors.append(cursor)
        start = int(cursor or 0)
        end = min(start + self.page_size, len(self.items))
        raw = {
            "next_cursor": str(end),
            "has_more": int(end < len(self.items)),
            "msg_list": self.items[start:end],
        }
        return parse_sync_page(tenant_key, raw)


class FakeInbox:
    lease = timedelta(seconds=30)

    def __init__(self) -> None:
        self.started: list[Update] = []

    def process_stored(self, tenant: TenantInfo, inbox_id: int, update: Update) -> None:
        self.started.append(update)


def sync_with(api: FakeKfAPI, inbox: FakeInbox, clock: FrozenClock) -> KfSync:
    return KfSync(api, lambda: inbox, clock)  # type: ignore[arg-type, return-value]


async def test_pages_are_read_until_has_more_is_off(tenant: TenantInfo, clock: FrozenClock) -> None:
    api, inbox = FakeKfAPI([message(n) for n in range(5)]), FakeInbox()
    assert await sync_with(api, inbox, clock).run(tenant, token="T", open_kfid=KFID) == 5
    assert api.cursors == ["", "2", "4"]
    assert [u.fields["msgid"] for u in inbox.started] == ["m0", "m1", "m2", "m3", "m4"]
    assert (await KfCursor.get(tenant_id=tenant.id, open_kfid=KFID)).cursor == "5"
    assert await InboxUpdate.filter(tenant_id=tenant.id).count() == 5


async def test_the_cursor_survives_a_restart(tenant: TenantInfo, clock: FrozenClock) -> None:
    items = [message(n) for n in range(3)]
    api = FakeKfAPI(items, page_size=10)
    await sync_with(api, FakeInbox(), clock).run(tenant, token="T1", open_kfid=KFID)
    items.append(message(3, "又来了"))
    # A new process: nothing in memory, the cursor comes from the database.
    restarted_api, inbox = FakeKfAPI(items, page_size=10), FakeInbox()
    await sync_with(restarted_api, inbox, clock).run(tenant, token="T2", open_kfid=KFID)
    assert restarted_api.cursors == ["3"]
    assert [u.text for u in inbox.started] == ["又来了"]


async def test_a_message_read_twice_is_handled_once(tenant: TenantInfo, clock: FrozenClock) -> None:
    api, inbox = FakeKfAPI([message(1)]), FakeInbox()
    await sync_with(api, inbox, clock).run(tenant, token="T", open_kfid=KFID)
    # WeCom hands the same message out again (the cursor was lost with a crash before commit).
    await KfCursor.filter(tenant_id=tenant.id).update(cursor="")
    await sync_with(api, inbox, clock).run(tenant, token="T", open_kfid=KFID)
    assert len(inbox.started) == 1
    assert await InboxUpdate.filter(tenant_id=tenant.id, key="kf:m1").count() == 1


async def test_a_page_another_process_stored_first_is_read_on(
    tenant: TenantInfo, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another replica, woken by a callback of its own, commits m1 between our check and insert.
    await InboxUpdate.create(
        tenant_id=tenant.id, key="kf:m1", payload="{}", received_at=clock.now()
    )
    real_exists = InboxUpdate.exists
    checks: list[object] = []

    async def raced(**where: Any) -> bool:
        checks.append(where)
        return False if len(checks) == 1 else await real_exists(**where)

    monkeypatch.setattr(InboxUpdate, "exists", raced)
    api, inbox = FakeKfAPI([message(1), message(2)], page_size=10), FakeInbox()
    assert await sync_with(api, inbox, clock).run(tenant, token="T", open_kfid=KFID) == 1
    assert [u.fields["msgid"] for u in inbox.started] == ["m2"]
    assert api.cursors == ["", ""]
    assert (await KfCursor.get(tenant_id=tenant.id, open_kfid=KFID)).cursor == "2"


async def test_a_customer_message_opens_five_sends_for_48_hours(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    to = KfAddress(KFID, "wmA")
    assert (await budget_for(tenant.id, to, clock.now())).sends_left == 0
    api = FakeKfAPI([message(1)])
    await sync_with(api, FakeInbox(), clock).run(tenant, token="T", open_kfid=KFID)
    sent_at = api_time(1)
    budget = await budget_for(tenant.id, to, clock.now())
    assert (budget.sends_left, budget.open_until) == (5, sent_at + timedelta(hours=48))
    assert not (await budget_for(tenant.id, to, sent_at + timedelta(hours=48))).allows()


def api_time(n: int) -> Any:
    update = parse_sync_item("acme", message(n))
    assert update is not None
    return update.created_at


def test_sync_entries_become_kf_updates() -> None:
    update = parse_sync_item("acme", message(7, " 你好 "))
    assert update is not None
    assert (update.channel, update.key, update.user_id, update.text) == (
        Channel.KF,
        "kf:m7",
        None,
        "你好",
    )
    assert update.reply_to == f"{KFID}|wmA"
    assert dict(update.fields) == {
        "msgid": "m7",
        "open_kfid": KFID,
        "external_userid": "wmA",
        "reply_to": f"{KFID}|wmA",
    }
    click = dict(message(8), text={"content": "满意", "menu_id": "csat:4"})
    parsed = parse_sync_item("acme", click)
    assert parsed is not None and parsed.fields["menu_id"] == "csat:4"


def test_session_events_and_servicer_messages() -> None:
    ended = {
        "msgid": "e1",
        "send_time": 1795399200,
        "origin": 4,
        "msgtype": "event",
        "event": {
            "event_type": "session_status_change",
            "open_kfid": KFID,
            "external_userid": "wmA",
            "change_type": 3,
            "old_servicer_userid": "lisi",
            "msg_code": "CODE",
        },
    }
    update = parse_sync_item("acme", ended)
    assert update is not None
    assert (update.event, update.change_type, update.msg_type) == (
        "session_status_change",
        "3",
        "event",
    )
    assert update.fields["msg_code"] == "CODE"
    assert update.reply_to == f"{KFID}|wmA"
    # What a servicer typed in the WeCom client is theirs, not the bot's to answer.
    assert parse_sync_item("acme", dict(message(1), origin=5)) is None
    assert parse_sync_item("acme", {"msgtype": "text", "origin": 3}) is None
