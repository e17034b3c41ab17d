"""A finished follow-up about a WeChat customer sends a survey, when the tenant wants that."""

from __future__ import annotations

from dataclasses import replace

from support.crm import Chat
from support.followups import add_customer, frozen_chat

from bot.clock import FrozenClock
from bot.config import Settings
from bot.surveys.settings import SurveySettings, SurveyTemplate
from models.crm.customers import Customer, CustomerKind
from models.followups import Followup
from models.outbox import OutboxMessage
from models.surveys import Survey, SurveyChannel, SurveyTrigger

ON = SurveySettings(default=SurveyTemplate(on_followup_done=True))


async def finish_a_follow_up(chat: Chat, kind: CustomerKind) -> Followup:
    zhang = await add_customer("张伟", company="华夏科技")
    await Customer.filter(id=zhang.id).update(kind=kind, external_userid="wmZHANGWEI")
    await chat.say("lisi", "明天下午3点提醒我回访张总")
    [done] = await chat.say("lisi", "完成 1 已回访，客户满意")
    assert done.startswith("已完成跟进 #1")
    return await Followup.get(number=1)


async def test_a_wechat_customer_is_surveyed_after_the_follow_up(
    settings: Settings, clock: FrozenClock
) -> None:
    async with frozen_chat(replace(settings, surveys=ON), clock) as chat:
        followup = await finish_a_follow_up(chat, CustomerKind.WECHAT)
        survey = await Survey.get()
        assert (survey.trigger, survey.trigger_ref, survey.channel, survey.recipient) == (
            SurveyTrigger.FOLLOWUP_DONE,
            str(followup.id),
            SurveyChannel.PAGE,
            "lisi",
        )
        task, note = await OutboxMessage.filter(
            idempotency_key__startswith=f"survey:{survey.id}:"
        ).order_by("id")
        assert (task.channel, task.payload["external_userid"]) == ("msg_template", ["wmZHANGWEI"])
        assert f"/s/{survey.token}" in note.payload["content"]


async def test_a_customer_typed_in_by_hand_is_not_surveyed(
    settings: Settings, clock: FrozenClock
) -> None:
    async with frozen_chat(replace(settings, surveys=ON), clock) as chat:
        await finish_a_follow_up(chat, CustomerKind.OFFLINE)
        assert await Survey.all().count() == 0


async def test_off_by_default(settings: Settings, clock: FrozenClock) -> None:
    async with frozen_chat(settings, clock) as chat:
        await finish_a_follow_up(chat, CustomerKind.WECHAT)
        assert await Survey.all().count() == 0
