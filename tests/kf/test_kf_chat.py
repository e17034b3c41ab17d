"""微信客服 through the simulator: a customer asks, the session ends, the rating menu comes,
the customer clicks and comments, and the survey is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from support.kf import CUSTOMER, KFID, KfChat, kf_chat, kf_text

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.types import Reply
from bot.outbox import enqueue
from bot.tenants import TenantInfo
from models.crm.customers import Customer, CustomerKind
from models.inbox import InboxStatus, InboxUpdate
from models.kf import KfCursor, KfWindow
from models.knowledge import UnansweredQuestion
from models.outbox import OutboxMessage, OutboxStatus
from models.subscriptions import SubscriptionStatus as Status
from models.surveys import Survey, SurveyChannel, SurveyStatus, SurveyTrigger
from models.tenants import Employee
from models.tickets import Ticket
from tests.support.billing import subscribe
from tests.support.knowledge import give_knowledge_module, load_example

NO_ANSWER = "抱歉，暂时没有找到相关答案。回复“人工”转人工客服。"
MENU = "您对本次服务满意吗？\n5 非常满意\n4 满意\n3 一般\n2 不满意\n1 非常不满意"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock, tenant: TenantInfo) -> AsyncIterator[KfChat]:
    async with kf_chat(settings, clock) as running:
        yield running


async def test_a_customer_rates_the_session_and_comments(chat: KfChat) -> None:
    [answer] = await chat.says("你们周末上班吗？")
    assert answer["api"] == "kf/send_msg"
    assert answer["body"]["touser"] == CUSTOMER
    assert answer["body"]["open_kfid"] == KFID
    assert kf_text(answer) == NO_ANSWER

    [menu] = await chat.session_ends(servicer="lisi")
    assert menu["api"] == "kf/send_msg_on_event"
    assert menu["body"]["msgtype"] == "msgmenu"
    assert kf_text(menu) == MENU
    ids = [item["click"]["id"] for item in menu["body"]["msgmenu"]["list"]]
    assert ids == ["csat:5", "csat:4", "csat:3", "csat:2", "csat:1"]

    [ask] = await chat.says("4 满意", menu_id="csat:4")
    assert kf_text(ask) == "感谢您的评价！可以说说原因吗？直接回复即可，回复“跳过”结束"
    [thanks] = await chat.says("客服很耐心，问题解决了")
    assert kf_text(thanks) == "收到，感谢您的宝贵意见！我们会认真改进。"

    survey = await Survey.get()
    assert (survey.status, survey.score, survey.comment) == (
        SurveyStatus.ANSWERED,
        4,
        "客服很耐心，问题解决了",
    )
    assert survey.trigger is SurveyTrigger.KF_SESSION_END
    assert survey.channel is SurveyChannel.KF
    assert survey.recipient == f"{KFID}|{CUSTOMER}"
    assert survey.employee_id == (await Employee.get(userid="lisi")).id
    assert survey.answered_at == chat.clock.now()
    # Four entries read (question, session end, click, comment): the cursor is past them all.
    assert (await KfCursor.get(open_kfid=KFID)).cursor == "4"
    assert await InboxUpdate.filter(status=InboxStatus.DONE, key__startswith="kf:").count() == 4
    # A high score alerts nobody.
    assert await chat.sweep_outbox() == []


async def test_skip_ends_the_survey_without_a_comment(chat: KfChat) -> None:
    await chat.says("你好")
    await chat.session_ends()
    await chat.says("5 非常满意", menu_id="csat:5")
    [thanks] = await chat.says("跳过")
    assert kf_text(thanks) == "感谢您的反馈，我们会继续努力！"
    survey = await Survey.get()
    assert (survey.score, survey.comment) == (5, "")
    # The next message is a question again, not a comment.
    [answer] = await chat.says("还有一个问题")
    assert kf_text(answer) == NO_ANSWER


async def test_a_low_score_in_the_chat_alerts_the_servicer_and_the_admins(chat: KfChat) -> None:
    await chat.says("你好")
    await chat.session_ends(servicer="lisi")
    await chat.says("1 非常不满意", menu_id="csat:1")
    alerts = await chat.sweep_outbox()
    assert sorted(r["body"]["touser"] for r in alerts) == ["lisi", "zhangsan"]
    assert "⚠️ 低分提醒：一位客户 给出了 1 分（非常不满意）" in alerts[0]["body"]["text"]["content"]
    assert "留言：（暂无）" in alerts[0]["body"]["text"]["content"]
    await chat.says("等了半小时没人理")
    follow_ups = await chat.sweep_outbox()
    assert sorted(r["body"]["touser"] for r in follow_ups) == ["lisi", "zhangsan"]
    assert "等了半小时没人理" in follow_ups[0]["body"]["text"]["content"]


async def test_the_rating_menu_is_skipped_when_the_event_is_read_too_late(chat: KfChat) -> None:
    await chat.says("你好")
    # The session ends, but its callback is lost; the event is read with the next message.
    assert await chat.session_ends(callback=False) == []
    chat.clock.advance(timedelta(seconds=25))
    [answer] = await chat.says("在吗")
    assert kf_text(answer) == NO_ANSWER
    assert await Survey.all().count() == 0


async def test_the_sixth_message_in_one_window_is_never_sent(
    chat: KfChat, tenant: TenantInfo
) -> None:
    await chat.says("你好")  # one answer: four sends left
    window = await KfWindow.get(external_userid=CUSTOMER)
    assert window.sends_left == 4
    now = chat.clock.now()
    replies = [Reply(f"第 {n} 条", to_user=f"{KFID}|{CUSTOMER}") for n in range(1, 6)]
    await enqueue(
        tenant.id,
        replies,
        default_user=None,
        key_prefix="t",
        channel="kf",
        now=now,
        lease=timedelta(0),
    )
    sent = await chat.sweep_outbox()
    assert [kf_text(r) for r in sent] == ["第 1 条", "第 2 条", "第 3 条", "第 4 条"]
    dead = await OutboxMessage.get(idempotency_key="t:4")
    assert dead.status is OutboxStatus.DEAD
    assert "5 messages already sent since the customer's last message" in dead.last_error
    # The customer writes again: the budget is back.
    [answer] = await chat.says("还在吗")
    assert kf_text(answer) == NO_ANSWER


async def test_a_customer_asks_for_a_person(chat: KfChat) -> None:
    await chat.says("你好")
    records = await chat.says("人工")
    assert [r["api"] for r in records] == ["kf/service_state/trans", "kf/send_msg"]
    assert records[0]["body"]["service_state"] == 2  # no owner on record: the waiting pool
    assert kf_text(records[1]) == "正在为您转接人工客服，请稍候…"


async def test_employee_commands_never_answer_a_customer(chat: KfChat) -> None:
    [answer] = await chat.says("帮助")
    assert kf_text(answer) == NO_ANSWER


async def test_the_customers_owner_takes_over_when_receiving(chat: KfChat) -> None:
    now = chat.clock.now()
    owner = await Employee.create(
        tenant_id=1, userid="lisi", name="李四", first_seen_at=now, last_seen_at=now
    )
    await Customer.create(
        tenant_id=1,
        name="张三",
        external_userid=CUSTOMER,
        kind=CustomerKind.WECHAT,
        owner_id=owner.id,
        created_at=now,
        updated_at=now,
    )
    await chat.sim.kf_servicers("acme", KFID, ["lisi"])
    records = await chat.says("转人工")
    assert records[0]["body"] == {
        "open_kfid": KFID,
        "external_userid": CUSTOMER,
        "service_state": 3,
        "servicer_userid": "lisi",
    }
    assert kf_text(records[1]) == "正在为您转接人工客服，请稍候…"


@pytest.mark.parametrize("lapsed_days", [20, 400])  # suspended, then cancelled
async def test_a_lapsed_tenants_customers_hear_nothing_about_its_bill(
    chat: KfChat, lapsed_days: int
) -> None:
    billing = chat.embedded.runtime.billing
    assert billing is not None
    today = chat.clock.now().date()
    end = today - timedelta(days=lapsed_days)
    await subscribe(billing, 1, end - timedelta(days=30), end)
    status = billing.current((await billing.snapshot(1)).term, chat.clock.now().tzinfo).status
    assert status in (Status.SUSPENDED, Status.CANCELLED)
    assert await chat.says("你好") == []
    row = await InboxUpdate.filter(key__startswith="kf").order_by("-id").first()
    assert row is not None
    assert row.status == InboxStatus.DONE


async def test_customers_get_the_knowledge_bases_answer_when_the_tenant_has_it(
    chat: KfChat,
) -> None:
    [without] = await chat.says("打印机卡纸了怎么处理")  # no knowledge module yet
    assert kf_text(without) == NO_ANSWER
    tenant_id = await give_knowledge_module(chat.embedded)
    await load_example(tenant_id, chat.clock.now())
    [answer] = await chat.says("打印机卡纸了怎么处理")
    assert kf_text(answer).startswith("先关闭电源，打开前盖和后盖")
    assert kf_text(answer).endswith("没有解决您的问题？回复“人工”转人工客服。")
    [unknown] = await chat.says("你们公司年会在哪里开")
    assert kf_text(unknown) == NO_ANSWER
    logged = await UnansweredQuestion.get(tenant_id=tenant_id)
    assert logged.channel == "kf"


async def test_without_work_orders_a_report_is_just_a_question(chat: KfChat) -> None:
    [answer] = await chat.says("报修 打印机不出纸")
    assert kf_text(answer) == NO_ANSWER
    assert not await Ticket.exists()
