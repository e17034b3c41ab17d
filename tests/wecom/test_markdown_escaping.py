"""User and customer words shown where WeCom renders markdown (the group bot's answers, the
webhook robot) read as typed and never become markup: links appear only where the bot makes
them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from support.knowledge import give_knowledge_module
from support.surveys import customer, employee, survey

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.types import Reply
from bot.notices import FOR_ANY_SENDER, notify_admins
from bot.outbox import enqueue
from bot.passive import joined_text
from bot.tenants import TenantInfo
from bot.wecom.markdown import escape_markdown
from models.outbox import OutboxMessage
from tests.support.aibot import GROUP, GroupBot, group_bot, with_aibot

LINK = "[退款点这里](http://evil.example/r)"
# What a markdown renderer would turn into a link, bold text, a tag, a heading or a quote.
MARKUP = re.compile(r"\]\(|\*\*|<[a-z/]|://|^\s*[#>]", re.IGNORECASE | re.MULTILINE)


def shown(text: str) -> str:
    """What a reader sees: the zero-width breaks are invisible."""
    return text.replace("\u200b", "")


@pytest.mark.parametrize(
    "text",
    [
        LINK,
        "**加粗** 和 ***更粗***",
        '<font color="warning">红字</font>',
        "# 标题\n> 引用\n  ## 缩进的标题",
        "访问 www.evil.example 或 HTTPS://evil.example",
        "<http://evil.example>",
    ],
)
def test_escaped_text_reads_the_same_and_carries_no_markup(text: str) -> None:
    escaped = escape_markdown(text)
    assert shown(escaped) == text
    assert not MARKUP.search(escaped), escaped


def test_plain_text_is_left_alone() -> None:
    text = "【满意度】本月（11月1日—11月23日）\n· 1 分 张三：等了太久 3*4=12 a_b [备注] (括号)"
    assert escape_markdown(text) == text


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_aibot(settings)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


@pytest.fixture
async def bot(settings: Settings, clock: FrozenClock) -> AsyncIterator[GroupBot]:
    async with group_bot(settings, clock) as running:
        yield running


async def test_a_question_with_a_link_is_not_posted_as_a_link(bot: GroupBot) -> None:
    await give_knowledge_module(bot.embedded)
    answer = await bot.wecom.aibot(
        "acme", "@小助手 问 [点此查看答案](http://evil.example/a)", chatid=GROUP
    )
    content = answer["reply"]["stream"]["content"]
    assert "[点此查看答案](http://evil.example/a)" in shown(content)  # the words, as typed
    assert not MARKUP.search(content), content


async def test_a_survey_comment_with_a_link_is_no_link_in_the_groups_report(
    bot: GroupBot, clock: FrozenClock
) -> None:
    at = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    lisi = await employee("lisi", "李四", at)
    await survey(at, score=1, comment=LINK, who=lisi, about=await customer("张三", at))
    answer = await bot.wecom.aibot("acme", "@小助手 本月满意度", chatid=GROUP)
    content = answer["reply"]["stream"]["content"]
    assert f"· 1 分 张三（李四，11月10日）：{LINK}" in shown(content)
    assert not MARKUP.search(content), content


async def test_a_notice_through_the_webhook_robot_is_escaped(tenant: TenantInfo) -> None:
    robot = replace(tenant, aibot=replace(tenant.aibot, webhook_key="robot-key-1"))
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    await notify_admins(robot, f"客户留言：{LINK}", key="t", now=now, lease=FOR_ANY_SENDER)
    [row] = await OutboxMessage.all()
    assert (row.channel, row.msg_type) == ("webhook", "markdown")
    assert shown(row.payload["content"]) == f"客户留言：{LINK}"
    assert not MARKUP.search(row.payload["content"])


async def test_markup_split_across_two_parts_of_a_long_reply_is_still_escaped(
    tenant: TenantInfo,
) -> None:
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    filler = "好" * 680  # 2,040 bytes: the outbox splits right inside the link
    await enqueue(
        tenant.id,
        [Reply(filler + LINK, to_user="aibot:m1", channel="aibot")],
        default_user=None,
        key_prefix="t",
        channel="aibot",
        now=now,
        lease=FOR_ANY_SENDER,
    )
    rows = await OutboxMessage.all().order_by("id")
    assert len(rows) == 2
    joined = joined_text(rows)
    assert shown(joined) == filler + LINK
    assert not MARKUP.search(joined)


async def test_the_bots_own_markdown_is_kept(tenant: TenantInfo) -> None:
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    await enqueue(
        tenant.id,
        [Reply.markdown("**本月新增 12 位客户**", to_user="aibot:m2")],
        default_user=None,
        key_prefix="t",
        channel="aibot",
        now=now,
        lease=FOR_ANY_SENDER,
    )
    assert joined_text(await OutboxMessage.all()) == "**本月新增 12 位客户**"
