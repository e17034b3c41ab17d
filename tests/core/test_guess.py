"""The second stage of understanding (``bot.dispatch.guess``): a sentence no command word or
phrasing took, clearly like one command, runs as that command's canonical form and says so;
anything less clear is offered, never run."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.crm.customers import Customer
from models.crm.tags import CustomerTag


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        await opened.say("lisi", "新建客户 王经理 13900139000")
        yield opened


async def tags_of(name: str) -> list[str]:
    customer = await Customer.get(name=name)
    links = await CustomerTag.filter(customer=customer).prefetch_related("tag")
    return sorted(link.tag.name for link in links)


async def test_a_sentence_like_one_command_runs_it_and_says_how_it_was_read(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "王经理身上加个标签 老客户")
    assert reply.startswith("（按「打标签 王经理 老客户」处理）\n")
    assert await tags_of("王经理") == ["老客户"]
    [reply] = await chat.say("lisi", "最近王经理这边有什么动态")
    assert reply.startswith("（按「客户动态 王经理」处理）\n")


async def test_another_tag_said_loosely_is_added_not_taken_for_a_removal(chat: Chat) -> None:
    await chat.say("lisi", "打标签 王经理 老客户")
    # it shares 标签 and 王经理 with 去标签 too, but 再加一个 says only adding
    [reply] = await chat.say("lisi", "王经理的标签再加一个 重点客户")
    assert reply.startswith("（按「打标签 王经理 重点客户」处理）\n")
    assert await tags_of("王经理") == ["老客户", "重点客户"]


async def test_what_is_not_a_request_is_not_taken_for_one(chat: Chat) -> None:
    for said in ("今天天气不错", "下午开会别迟到", "报销单交给谁"):
        [reply] = await chat.say("lisi", said)
        assert reply.startswith(f"没听懂「{said}」。"), said


async def test_a_module_the_plan_lacks_is_never_guessed_or_offered(chat: Chat) -> None:
    # acme is on its trial (标准版: no 工单); the sentence reads like 新建工单
    [reply] = await chat.say("lisi", "王经理那边打印机又卡纸了 建个工单")
    assert "未开通" not in reply
    assert not reply.startswith("（按")


async def test_a_command_word_at_the_start_of_other_talk_is_no_command(chat: Chat) -> None:
    # 工单 takes a ticket number; 备注 (a ticket's note) too: neither is asked for here, so
    # neither answers 没有找到工单 nor offers the locked module
    for said in ("工单系统的培训改到周四了", "备注一下今天下午开会"):
        [reply] = await chat.say("lisi", said)
        assert "未开通" not in reply, said
        assert "没有找到工单" not in reply, said


async def test_names_from_the_tenants_catalog_fill_a_guessed_command(chat: Chat) -> None:
    # the subscription capability gives the catalog's names (editions, modules, periods)
    [reply] = await chat.say("zhangsan", "我们想改年付，便宜点")
    assert reply.startswith("（按「付费周期 年付」处理）\n"), reply
    await chat.say("zhangsan", "取消")  # the change waits for 确认
    [reply] = await chat.say("zhangsan", "上售后服务版一年下来多少钱")
    assert reply.startswith("（按「报价 售后服务版 一年」处理）\n"), reply


async def test_remind_me_with_a_time_is_a_new_reminder_whatever_it_is_about(chat: Chat) -> None:
    # the content sounds like 今天跟进 (a list), but it asks to be reminded
    [reply] = await chat.say("lisi", "每天早上八点半提醒我看一下今天的待办")
    assert not reply.startswith("（按"), reply
    assert "每天" in reply and "08:30" in reply, reply


async def test_a_command_that_takes_nothing_takes_no_other_talk(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "日报写完了，下班")
    assert reply.startswith("没听懂「日报写完了，下班」。"), reply
    # a short question after its word still asks it
    assert await chat.say("lisi", "席位够不够") == await chat.say("lisi", "席位")
