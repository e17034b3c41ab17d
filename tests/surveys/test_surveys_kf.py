"""The survey conversation in a 微信客服 chat: typed scores, one re-prompt then a polite
stop, 取消, answers after expiry, NPS, and 发满意度 from an employee."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from support.kf import CUSTOMER, KFID, KfChat, kf_chat, kf_text

from bot.clock import FrozenClock
from bot.config import Settings
from bot.surveys.settings import SurveySettings, SurveyTemplate
from bot.surveys.sweep import sweep_surveys
from bot.tenants import TenantInfo
from bot.wecom_sim.chat import message_text
from bot.wecom_sim.control_contacts import ContactsSimControl
from models.conversations import ConversationState
from models.crm.customers import Customer, CustomerKind
from models.surveys import Survey, SurveyChannel, SurveyKind, SurveyStatus, SurveyTrigger

REPROMPT = (
    "抱歉，没有看懂您的评分。请为本次服务打分：\n5 非常满意\n4 满意\n3 一般\n2 不满意\n1 非常不满意"
)
STOPPED = "好的，这次就不打扰了，感谢您的耐心！如需帮助可随时给我们留言。"


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock, tenant: TenantInfo) -> AsyncIterator[KfChat]:
    async with kf_chat(settings, clock) as running:
        yield running


async def ended_session(chat: KfChat) -> Survey:
    await chat.says("你好")
    await chat.session_ends()
    return await Survey.get()


async def test_a_typed_score_counts_like_a_click(chat: KfChat) -> None:
    await ended_session(chat)
    [ask] = await chat.says("3分")
    assert kf_text(ask).startswith("感谢您的评价！")
    assert (await Survey.get()).score == 3


async def test_an_unreadable_answer_gets_one_reprompt_then_the_survey_stops(chat: KfChat) -> None:
    survey = await ended_session(chat)
    [again] = await chat.says("你们的东西还行吧")
    assert again["body"]["msgtype"] == "msgmenu"
    assert kf_text(again) == REPROMPT
    assert again["body"]["msgmenu"]["tail_content"] == "点击上面的选项即可评价，回复“取消”不参与。"
    [stop] = await chat.says("8")  # not on a 1-5 scale either
    assert kf_text(stop) == STOPPED
    stored = await Survey.get(id=survey.id)
    assert (stored.status, stored.score) == (SurveyStatus.CANCELLED, None)
    assert await ConversationState.all().count() == 0
    # The chat is back to questions.
    [answer] = await chat.says("你好")
    assert kf_text(answer) == "抱歉，暂时没有找到相关答案。回复“人工”转人工客服。"


@pytest.mark.parametrize("word", ["取消", "算了"])
async def test_cancel_words_end_the_survey(chat: KfChat, word: str) -> None:
    survey = await ended_session(chat)
    [bye] = await chat.says(word)
    assert kf_text(bye) == "好的，已取消本次评价。祝您生活愉快！"
    assert (await Survey.get(id=survey.id)).status is SurveyStatus.CANCELLED


async def test_cancel_after_the_score_keeps_the_score(chat: KfChat) -> None:
    survey = await ended_session(chat)
    await chat.says("4 满意", menu_id="csat:4")
    [bye] = await chat.says("算了")
    assert kf_text(bye) == "好的，不打扰了，感谢您的评价！"
    stored = await Survey.get(id=survey.id)
    assert (stored.status, stored.score, stored.comment) == (SurveyStatus.ANSWERED, 4, "")


async def test_a_click_after_expiry_is_refused_politely(chat: KfChat) -> None:
    survey = await ended_session(chat)
    chat.clock.advance(timedelta(days=7, minutes=1))
    await sweep_surveys(chat.clock.now(), "http://bot")
    [refusal] = await chat.says("5 非常满意", menu_id="csat:5")
    assert kf_text(refusal) == "抱歉，这次评价已经过期了，无需再填写。感谢您的支持！"
    stored = await Survey.get(id=survey.id)
    assert (stored.status, stored.score) == (SurveyStatus.EXPIRED, None)


async def test_a_second_click_is_told_it_was_counted(chat: KfChat) -> None:
    await ended_session(chat)
    await chat.says("5 非常满意", menu_id="csat:5")
    await chat.says("跳过")
    [again] = await chat.says("1 非常不满意", menu_id="csat:1")
    assert kf_text(again) == "您已经评价过了，感谢您的反馈！"
    assert (await Survey.get()).score == 5


async def test_the_reminder_goes_to_the_kf_chat_once(chat: KfChat) -> None:
    survey = await ended_session(chat)
    chat.clock.advance(timedelta(hours=24))
    assert await sweep_surveys(chat.clock.now(), "http://bot") == 1
    [reminder] = await chat.sweep_outbox()
    assert reminder["api"] == "kf/send_msg"
    assert kf_text(reminder).startswith(
        "打扰一下，想再请您为我们的服务打个分：您对本次服务满意吗？"
    )
    assert await sweep_surveys(chat.clock.now() + timedelta(hours=24), "http://bot") == 0
    assert (await Survey.get(id=survey.id)).reminded_at == chat.clock.now()


@pytest.fixture
async def nps_chat(
    settings: Settings, clock: FrozenClock, tenant: TenantInfo
) -> AsyncIterator[KfChat]:
    nps = SurveySettings(default=SurveyTemplate(kind=SurveyKind.NPS))
    async with kf_chat(replace(settings, surveys=nps), clock) as running:
        yield running


async def test_nps_asks_for_a_number(nps_chat: KfChat) -> None:
    await nps_chat.says("你好")
    [menu] = await nps_chat.session_ends()
    assert menu["body"]["msgmenu"]["list"] == []
    assert kf_text(menu) == (
        "您有多大可能把我们推荐给朋友或同事？\n"
        "请回复 0 到 10 之间的数字（10 表示非常愿意），回复“取消”不参与。"
    )
    await nps_chat.says("9")
    survey = await Survey.get()
    assert (survey.kind, survey.score) == (SurveyKind.NPS, 9)


async def employee_says(chat: KfChat, text: str) -> list[dict[str, Any]]:
    since = await chat.sim.sent_count()
    fields = {"MsgType": "text", "FromUserName": "lisi", "Content": text}
    assert (await chat.sim.deliver("acme", fields))["status"] == 200
    await chat.embedded.runtime.tasks.drain()
    return await chat.sim.sent(since=since)


async def add_customer(chat: KfChat, name: str, external_userid: str) -> Customer:
    now = chat.clock.now()
    return await Customer.create(
        tenant_id=1,
        name=name,
        external_userid=external_userid,
        kind=CustomerKind.WECHAT,
        created_at=now,
        updated_at=now,
    )


async def test_manual_survey_goes_to_an_open_kf_chat(chat: KfChat) -> None:
    await add_customer(chat, "张三", CUSTOMER)
    await chat.says("你好")
    records = await employee_says(chat, "发满意度 张三")
    assert [(r["api"], r["body"]["touser"]) for r in records] == [
        ("kf/send_msg", CUSTOMER),
        ("message/send", "lisi"),
    ]
    assert records[0]["body"]["open_kfid"] == KFID
    assert kf_text(records[0]).startswith("您对本次服务满意吗？\n5 非常满意")
    assert message_text(records[1]["body"]) == (
        "已通过微信客服向 张三 发出满意度调查，客户评价后会通知低分情况。"
    )
    survey = await Survey.get()
    assert (survey.trigger, survey.channel) == (SurveyTrigger.MANUAL, SurveyChannel.KF)
    await chat.says("5 非常满意", menu_id="csat:5")
    assert (await Survey.get(id=survey.id)).score == 5


async def test_manual_survey_without_kf_goes_through_the_employee(chat: KfChat) -> None:
    await add_customer(chat, "王五", "wmWANGWU")
    async with aiohttp.ClientSession() as http:
        contacts = ContactsSimControl(http, chat.embedded.simulator_url)
        customer = {
            "external_userid": "wmWANGWU",
            "name": "王五",
            "follow_users": [{"userid": "lisi"}],
        }
        await contacts.seed_customer("acme", customer)
    [reply] = await employee_says(chat, "发满意度 王五")
    assert message_text(reply["body"]) == (
        "王五 目前不在微信客服会话中：满意度调查的群发确认和链接马上发给你。"
    )
    survey = await Survey.get()
    assert (survey.channel, survey.trigger) == (SurveyChannel.PAGE, SurveyTrigger.MANUAL)
    [note] = await chat.sweep_outbox()
    base = chat.embedded.settings.server.public_base_url
    assert f"{base}/s/{survey.token}" in message_text(note["body"])
    async with (
        aiohttp.ClientSession(chat.embedded.simulator_url) as http,
        http.get("/_sim/msg_templates/acme") as response,
    ):
        [task] = await response.json()
    assert task["external_userid"] == ["wmWANGWU"]


async def test_manual_survey_needs_a_name(chat: KfChat) -> None:
    [record] = await employee_says(chat, "发满意度")
    assert message_text(record["body"]) == "请按这个格式写：发满意度 张三（客户姓名、手机号或公司）"
    assert await Survey.all().count() == 0
