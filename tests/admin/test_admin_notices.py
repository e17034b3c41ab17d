"""One notice channel: the admins' group through its webhook robot, else an app group chat,
else each admin 1:1, and each notice once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.crm.churn import summarise_churn
from bot.dispatch.types import ReplyKind
from bot.followups.reminders import ReminderSweep
from bot.notices import FOR_ANY_SENDER, notify_admins
from bot.outbox import Transport
from bot.subscription.notices import NoticeSweep
from bot.subscription.service import Billing
from bot.tenants import TenantDirectory, TenantInfo
from models.aibot import TenantAibot
from models.crm.customers import Customer, CustomerFollower, FollowerStatus
from models.followups import Followup
from models.outbox import OutboxMessage
from models.subscriptions import Notice
from models.tenants import Employee, Role
from tests.support.billing import build_dispatcher, recording_sender, say, subscribe

TEXT = "【续费提醒】艾克米科技的标准版将于 2026-11-30 到期（还有 7 天）。"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def with_webhook(tenant: TenantInfo, key: str = "robot-key-1") -> TenantInfo:
    return replace(tenant, aibot=replace(tenant.aibot, webhook_key=key))


def with_admin_chat(tenant: TenantInfo, chat_id: str = "wr_admins") -> TenantInfo:
    return replace(tenant, aibot=replace(tenant.aibot, admin_chat_id=chat_id))


@pytest.fixture
async def two_admins(tenant: TenantInfo) -> TenantInfo:
    """zhangsan from config, wangwu made admin in chat."""
    await Employee.create(
        tenant_id=tenant.id, userid="wangwu", role=Role.ADMIN, first_seen_at=NOW, last_seen_at=NOW
    )
    return tenant


async def rows() -> list[tuple[str, str, str, dict[str, object]]]:
    found = await OutboxMessage.all().order_by("id")
    return [(r.channel, r.recipient, r.msg_type, r.payload) for r in found]


async def test_without_a_group_each_admin_is_told_one_to_one(two_admins: TenantInfo) -> None:
    async with in_transaction():
        written = await notify_admins(two_admins, TEXT, key="renewal:1", now=NOW)
    assert len(written) == 2
    assert await rows() == [
        ("app", "zhangsan", "text", {"content": TEXT}),
        ("app", "wangwu", "text", {"content": TEXT}),
    ]


async def test_a_webhook_robot_gets_one_markdown_message_not_one_per_admin(
    two_admins: TenantInfo,
) -> None:
    tenant = with_admin_chat(with_webhook(two_admins))  # the webhook wins over the app chat
    await notify_admins(tenant, TEXT, key="renewal:1", now=NOW)
    assert await rows() == [("webhook", "robot-key-1", "markdown", {"content": TEXT})]


async def test_an_app_group_chat_gets_one_message(two_admins: TenantInfo) -> None:
    await notify_admins(with_admin_chat(two_admins), TEXT, key="renewal:1", now=NOW)
    assert await rows() == [("appchat", "wr_admins", "text", {"content": TEXT})]


@pytest.mark.parametrize("route", [with_webhook, with_admin_chat, lambda tenant: tenant])
async def test_the_same_key_twice_is_sent_once(two_admins: TenantInfo, route: object) -> None:
    tenant = route(two_admins)  # type: ignore[operator]
    first = await notify_admins(tenant, TEXT, key="renewal:1", now=NOW)
    assert first
    assert await notify_admins(tenant, TEXT, key="renewal:1", now=NOW) == []
    assert await OutboxMessage.all().count() == len(first)
    assert {row.lease_until for row in first} == {NOW + FOR_ANY_SENDER}  # any sweep sends it


async def test_a_renewal_notice_goes_to_the_configured_webhook_once(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    billing = Billing(settings.subscription, clock)
    await subscribe(billing, tenant.id, date(2026, 11, 1), date(2026, 12, 1))
    await TenantAibot.create(tenant_id=tenant.id, webhook_key="robot-key-1")
    sender, app_client = recording_sender(clock)
    posted: list[tuple[str, str, str]] = []

    async def post(tenant: TenantInfo, row: OutboxMessage) -> None:
        posted.append((row.recipient, row.msg_type, str(row.payload["content"])))

    sender.add_transport("webhook", Transport(post, per_minute=20))
    sweep = NoticeSweep(billing, sender)
    assert await sweep.run() == 1
    assert await sweep.run() == 0
    [(recipient, msg_type, text)] = posted
    assert (recipient, msg_type) == ("robot-key-1", "markdown")
    assert text.startswith(TEXT)
    assert app_client.sent == []  # nobody 1:1
    [notice] = await Notice.filter(kind="renewal")
    assert notice.recipients == ["webhook"]  # the key is a secret: not kept in the record


async def test_the_churn_summary_goes_to_the_group(tenant: TenantInfo) -> None:
    lisi = await Employee.create(
        tenant_id=tenant.id, userid="lisi", first_seen_at=NOW, last_seen_at=NOW
    )
    customer = await Customer.create(
        tenant_id=tenant.id, name="王五", created_at=NOW, updated_at=NOW
    )
    await CustomerFollower.create(
        tenant_id=tenant.id,
        customer_id=customer.id,
        employee_id=lisi.id,
        status=FollowerStatus.LOST,
        added_at=NOW,
        ended_at=NOW,
    )
    written = await summarise_churn(with_webhook(tenant), NOW, FOR_ANY_SENDER)
    assert [(r.channel, r.recipient) for r in written] == [("webhook", "robot-key-1")]
    assert str(written[0].payload["content"]).startswith("【客户流失日报】")
    assert await summarise_churn(with_webhook(tenant), NOW, FOR_ANY_SENDER) == []


async def test_an_upgrade_notice_from_a_refused_command_reaches_the_group(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> None:
    billing = Billing(settings.subscription, clock)
    await subscribe(billing, tenant.id, date(2026, 11, 1), date(2026, 12, 1))
    bot = build_dispatcher(billing, clock)
    replies = await say(bot, with_webhook(tenant), "新建工单 打印机坏了", user="lisi")
    [notice] = [r for r in replies if r.channel == "webhook"]
    assert (notice.to_user, notice.kind) == ("robot-key-1", ReplyKind.MARKDOWN)
    assert "售后工单" in notice.text
    again = await say(bot, with_webhook(tenant), "新建工单 又坏了", user="wangwu")
    assert [r for r in again if r.channel == "webhook"] == []  # once a day per module


async def test_a_follow_up_escalated_to_admins_reaches_the_group(
    tenant: TenantInfo, clock: FrozenClock
) -> None:
    await TenantAibot.create(tenant_id=tenant.id, webhook_key="robot-key-1")
    lisi = await Employee.create(
        tenant_id=tenant.id, userid="lisi", first_seen_at=NOW, last_seen_at=NOW
    )
    due = NOW - timedelta(hours=8)
    await Followup.create(
        tenant_id=tenant.id,
        number=1,
        owner_id=lisi.id,
        content="回访张总",
        due_at=due,
        remind_at=NOW,
        created_at=due,
        stage=2,  # reminded, then reminded again: now the admins hear
    )
    sender, app_client = recording_sender(clock)
    posted: list[str] = []

    async def post(tenant: TenantInfo, row: OutboxMessage) -> None:
        posted.append(str(row.payload["content"]))

    sender.add_transport("webhook", Transport(post, per_minute=20))
    assert await ReminderSweep(TenantDirectory(), sender, clock).run() == 1
    assert [text.split("（")[0] for text in posted] == ["【跟进逾期】lisi 的跟进 #1"]
    assert app_client.sent == []
