"""The survey core: one survey per trigger, the channel it goes out on, answers by token,
low-score alerts, one reminder, expiry and cancelling."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.config import ConfigError, Settings, parse_settings
from bot.kf.budget import note_customer_message
from bot.surveys.lifecycle import cancel_for_trigger, survey_for_trigger
from bot.surveys.service import AnswerOutcome, answer_by_token, question_text, score_labels
from bot.surveys.settings import SurveySettings, SurveyTemplate
from bot.surveys.sweep import sweep_surveys
from bot.tenants import TenantInfo
from bot.wecom.kf import KfAddress
from models.aibot import TenantAibot
from models.crm.customers import Customer, CustomerKind
from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyChannel, SurveyKind, SurveyStatus, SurveyTrigger
from models.tenants import Employee, Role, Tenant

BASE = "https://scrm.example.com"


@pytest.fixture
def survey_settings(settings: Settings) -> Settings:
    return replace(settings, server=replace(settings.server, public_base_url=BASE))


async def people(tenant: TenantInfo, clock: FrozenClock) -> tuple[Customer, Employee]:
    now = clock.now()
    employee = await Employee.create(
        tenant_id=tenant.id, userid="lisi", name="李四", first_seen_at=now, last_seen_at=now
    )
    customer = await Customer.create(
        tenant_id=tenant.id,
        name="张三",
        external_userid="wmZHANG",
        kind=CustomerKind.WECHAT,
        owner_id=employee.id,
        created_at=now,
        updated_at=now,
    )
    return customer, employee


async def resolved(
    tenant: TenantInfo, settings: Settings, clock: FrozenClock, ref: str = "T-12"
) -> Survey | None:
    customer, employee = await people(tenant, clock) if ref == "T-12" else (None, None)
    return await survey_for_trigger(
        tenant,
        trigger=SurveyTrigger.TICKET_RESOLVED,
        trigger_ref=ref,
        customer_id=customer.id if customer else None,
        employee_id=employee.id if employee else None,
        now=clock.now(),
        settings=settings,
    )


def texts(rows: list[OutboxMessage]) -> list[tuple[str, str, str]]:
    return [(r.channel, r.recipient, str(r.payload.get("content", ""))) for r in rows]


async def test_a_resolved_ticket_sends_a_page_link_through_the_employee(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    assert (survey.channel, survey.recipient, survey.status) == (
        SurveyChannel.PAGE,
        "lisi",
        SurveyStatus.SENT,
    )
    assert len(survey.token) >= 22
    assert survey.expires_at == clock.now() + timedelta(days=7)
    assert survey.remind_at == clock.now() + timedelta(hours=24)
    task, note = await OutboxMessage.all().order_by("id")
    # A mass-send task for lisi to confirm, and a note with the link should it not arrive.
    assert (task.channel, task.recipient, task.payload["external_userid"]) == (
        "msg_template",
        "lisi",
        ["wmZHANG"],
    )
    assert task.payload["attachments"][0]["link"]["url"] == f"{BASE}/s/{survey.token}"
    assert (note.channel, note.recipient) == ("app", "lisi")
    assert f"{BASE}/s/{survey.token}" in note.payload["content"]


async def test_a_customer_in_an_open_kf_chat_gets_the_menu_there(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    await note_customer_message(tenant.id, KfAddress("wkKF1", "wmZHANG"), clock.now())
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None and survey.channel is SurveyChannel.KF
    [row] = await OutboxMessage.all()
    assert (row.channel, row.recipient, row.msg_type) == ("kf", "wkKF1|wmZHANG", "msgmenu")
    assert row.payload["list"][0]["click"] == {"id": "csat:5", "content": "5 非常满意"}


async def test_one_survey_per_trigger(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    assert await resolved(tenant, survey_settings, clock) is not None
    customer = await Customer.get(name="张三")
    again = await survey_for_trigger(
        tenant,
        trigger=SurveyTrigger.TICKET_RESOLVED,
        trigger_ref="T-12",
        customer_id=customer.id,
        employee_id=customer.owner_id,
        now=clock.now(),
        settings=survey_settings,
    )
    assert again is None
    assert await Survey.all().count() == 1
    assert await OutboxMessage.all().count() == 2  # the first survey's task and note only


async def test_nobody_to_ask_means_no_survey(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    assert await resolved(tenant, survey_settings, clock, ref="T-99") is None
    assert await Survey.all().count() == 0


async def test_an_answer_is_recorded_once(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    now = clock.now()
    assert await answer_by_token("nope", 4, "", now=now) == (AnswerOutcome.NOT_FOUND, None)
    outcome, _ = await answer_by_token(survey.token, 6, "", now=now)
    assert outcome is AnswerOutcome.INVALID_SCORE
    outcome, answered = await answer_by_token(survey.token, 4, " 很好 ", now=now)
    assert outcome is AnswerOutcome.RECORDED and answered is not None
    stored = await Survey.get(id=survey.id)
    assert (stored.status, stored.score, stored.comment, stored.answered_at) == (
        SurveyStatus.ANSWERED,
        4,
        "很好",
        now,
    )
    outcome, _ = await answer_by_token(survey.token, 5, "", now=now)
    assert outcome is AnswerOutcome.ALREADY_ANSWERED
    assert (await Survey.get(id=survey.id)).score == 4


async def test_a_low_score_alerts_the_employee_and_the_admins_with_the_comment(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    await OutboxMessage.all().delete()
    await answer_by_token(survey.token, 2, "上门晚了两个小时", now=clock.now())
    alert = (
        "⚠️ 低分提醒：张三 给出了 2 分（不满意）\n来源：工单 T-12 已解决\n负责员工：李四\n"
        "留言：上门晚了两个小时\n请尽快联系客户回访。"
    )
    assert sorted(texts(await OutboxMessage.all())) == [
        ("app", "lisi", alert),
        ("app", "zhangsan", alert),
    ]


async def test_a_low_score_goes_to_the_admins_group_through_its_webhook_robot(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    # A webhook and no listed admins: the group still hears, like every other admin notice.
    await Tenant.filter(id=tenant.id).update(admins=[])
    await TenantAibot.create(tenant_id=tenant.id, webhook_key="robot-key-1")
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    await OutboxMessage.all().delete()
    link = "[退款点这里](http://evil.example/r)"
    await answer_by_token(survey.token, 1, link, now=clock.now())
    rows = sorted(texts(await OutboxMessage.all()))
    assert [(channel, to) for channel, to, _ in rows] == [
        ("app", "lisi"),
        ("webhook", "robot-key-1"),
    ]
    (_, _, told_lisi), (_, _, told_group) = rows
    assert f"留言：{link}" in told_lisi  # a text message: shown as typed, never a link
    assert told_group.replace("\u200b", "") == told_lisi
    assert "](" not in told_group and "://" not in told_group


async def test_an_employee_who_is_an_admin_is_alerted_once(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    await Employee.filter(userid="lisi").update(role=Role.ADMIN)
    await OutboxMessage.all().delete()
    await answer_by_token(survey.token, 1, "", now=clock.now())
    assert sorted(r.recipient for r in await OutboxMessage.all()) == ["lisi", "zhangsan"]


async def test_nps_scores_of_six_and_below_are_low(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    nps = SurveySettings(default=SurveyTemplate(kind=SurveyKind.NPS))
    settings = replace(survey_settings, surveys=nps)
    survey = await resolved(tenant, settings, clock)
    assert survey is not None and survey.kind is SurveyKind.NPS
    assert question_text(survey) == "您有多大可能把我们推荐给朋友或同事？"
    await OutboxMessage.all().delete()
    outcome, _ = await answer_by_token(survey.token, 7, "", now=clock.now())
    assert outcome is AnswerOutcome.RECORDED
    assert await OutboxMessage.all().count() == 0
    assert (await Survey.get(id=survey.id)).is_low is False
    survey.score = 6
    assert survey.is_low


async def test_one_reminder_then_expiry_and_a_polite_refusal(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    await OutboxMessage.all().delete()
    clock.advance(timedelta(hours=23))
    assert await sweep_surveys(clock.now(), BASE) == 0
    clock.advance(timedelta(hours=1))
    assert await sweep_surveys(clock.now(), BASE) == 1
    assert texts(await OutboxMessage.all()) == [
        (
            "app",
            "lisi",
            f"客户 张三 还没有填写满意度调查，方便的话请再提醒一下：\n{BASE}/s/{survey.token}",
        )
    ]
    clock.advance(timedelta(hours=24))
    assert await sweep_surveys(clock.now(), BASE) == 0
    assert await OutboxMessage.all().count() == 1
    assert (await Survey.get(id=survey.id)).reminded_at == clock.now() - timedelta(hours=24)
    clock.advance(timedelta(days=5))
    assert await sweep_surveys(clock.now(), BASE) == 1
    assert (await Survey.get(id=survey.id)).status is SurveyStatus.EXPIRED
    outcome, _ = await answer_by_token(survey.token, 5, "", now=clock.now())
    assert outcome is AnswerOutcome.EXPIRED


async def test_an_answer_after_the_deadline_is_refused_before_the_sweep(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    outcome, _ = await answer_by_token(survey.token, 5, "", now=clock.now() + timedelta(days=7))
    assert outcome is AnswerOutcome.EXPIRED


async def test_a_reopened_ticket_cancels_its_unanswered_survey(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    now = clock.now()
    assert await cancel_for_trigger(tenant.id, SurveyTrigger.TICKET_RESOLVED, "T-12", now)
    stored = await Survey.get(id=survey.id)
    assert (stored.status, stored.cancelled_at) == (SurveyStatus.CANCELLED, now)
    outcome, _ = await answer_by_token(survey.token, 5, "", now=now)
    assert outcome is AnswerOutcome.CANCELLED
    clock.advance(timedelta(days=2))
    assert await sweep_surveys(clock.now(), BASE) == 0  # no reminder for a cancelled survey


async def test_an_answered_survey_is_not_cancelled(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    survey = await resolved(tenant, survey_settings, clock)
    assert survey is not None
    await answer_by_token(survey.token, 5, "", now=clock.now())
    assert not await cancel_for_trigger(
        tenant.id, SurveyTrigger.TICKET_RESOLVED, "T-12", clock.now()
    )
    assert (await Survey.get(id=survey.id)).status is SurveyStatus.ANSWERED


async def test_follow_ups_are_surveyed_only_when_the_tenant_turns_it_on(
    tenant: TenantInfo, survey_settings: Settings, clock: FrozenClock
) -> None:
    customer, employee = await people(tenant, clock)

    async def done(settings: Settings) -> Survey | None:
        return await survey_for_trigger(
            tenant,
            trigger=SurveyTrigger.FOLLOWUP_DONE,
            trigger_ref="7",
            customer_id=customer.id,
            employee_id=employee.id,
            now=clock.now(),
            settings=settings,
        )

    assert await done(survey_settings) is None
    turned_on = SurveySettings(default=SurveyTemplate(on_followup_done=True))
    assert await done(replace(survey_settings, surveys=turned_on)) is not None


def test_scales() -> None:
    assert score_labels(SurveyKind.CSAT) == [
        (1, "非常不满意"),
        (2, "不满意"),
        (3, "一般"),
        (4, "满意"),
        (5, "非常满意"),
    ]
    assert [score for score, _ in score_labels(SurveyKind.NPS)] == list(range(11))


def test_survey_config_with_a_tenant_override() -> None:
    raw = {
        "surveys": {
            "kind": "nps",
            "reminder_after_hours": 12,
            "tenants": {"acme": {"kind": "csat", "question": "这次上门服务怎么样？"}},
        }
    }
    surveys = parse_settings(raw).surveys
    assert surveys.for_tenant("other") == SurveyTemplate(
        kind=SurveyKind.NPS, reminder_after_hours=12
    )
    assert surveys.for_tenant("acme") == SurveyTemplate(
        kind=SurveyKind.CSAT, question="这次上门服务怎么样？", reminder_after_hours=12
    )
    assert parse_settings({}).surveys.for_tenant("acme") == SurveyTemplate()


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"kind": "stars"}, "surveys.kind"),
        ({"expire_after_days": 0}, "surveys.expire_after_days"),
        ({"reminder_after_hours": "24"}, "surveys.reminder_after_hours"),
        ({"remind": 1}, "surveys.remind"),
        (
            {"tenants": {"acme": {"on_followup_done": "yes"}}},
            "surveys.tenants.acme.on_followup_done",
        ),
    ],
)
def test_bad_survey_config_names_the_key(raw: dict[str, object], path: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_settings({"surveys": raw})
    assert error.value.path == path
