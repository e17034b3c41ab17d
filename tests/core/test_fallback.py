"""Nothing answers a flat 没听懂: small talk gets a friendly answer with things to try, and text
nothing understood gets what was recognised and the closest actions as a numbered choice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.conversations import ConversationState


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


@pytest.mark.parametrize(
    ("said", "head"),
    [
        ("你好", "你好！我是你的客户助手"),
        ("在吗？", "你好！我是你的客户助手"),
        ("Hello", "你好！我是你的客户助手"),
        ("谢谢", "不客气！"),
        ("好的，谢谢你！", "不客气！"),
        ("你能干啥", "我能帮你管客户"),
        ("你会什么呀", "我能帮你管客户"),
        ("怎么用", "我能帮你管客户"),
        ("嗨，机器人", "你好！我是你的客户助手"),
        ("太好了，谢了哈", "不客气！"),
        ("你都会些啥", "我能帮你管客户"),
        ("你叫什么名字", "我能帮你管客户"),
        ("你是真人还是机器人", "我能帮你管客户"),
    ],
)
async def test_small_talk_gets_a_friendly_answer_with_three_things_to_try(
    chat: Chat, said: str, head: str
) -> None:
    [reply] = await chat.say("lisi", said)
    lines = reply.splitlines()
    assert lines[0].startswith(head)
    tries = [line for line in lines if line.startswith("· ")]
    assert len(tries) == 3
    assert lines[-1] == "发送「帮助」查看全部。"


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("拜拜", "好的，回头见！有事随时叫我。"),
        ("好的，晚安", "好的，回头见！有事随时叫我。"),
        ("收到", "好的👌 有事随时叫我。"),
        ("👍", "好的👌 有事随时叫我。"),
        ("哈哈哈", "好的👌 有事随时叫我。"),
        ("我先下了，明天见", "好的，回头见！有事随时叫我。"),
        ("知道了", "好的👌 有事随时叫我。"),
    ],
)
async def test_words_said_in_passing_get_a_word_back(chat: Chat, said: str, answer: str) -> None:
    assert await chat.say("lisi", said) == [answer]


async def test_things_to_try_follow_the_plan(chat: Chat) -> None:
    """The trial plan has customers but not work orders: nothing offered needs 工单."""
    [reply] = await chat.say("lisi", "你好")
    assert "工单" not in reply


async def test_the_closest_actions_are_offered_and_a_number_shows_how(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总")
    [reply] = await chat.say("lisi", "张总那边弄个标签吧")
    lines = reply.splitlines()
    assert lines[0] == "没听懂「张总那边弄个标签吧」。"
    assert lines[1] == "我听出了：「张总」。"
    assert lines[2] == "你是想："
    assert lines[3] == "1. 给客户打标签"
    assert lines[-1] == "回复序号，我告诉你怎么说；或者换个说法。"
    [how] = await chat.say("lisi", "1")
    assert how.splitlines()[:2] == ["给客户打标签", "这样发：打标签 张总 重点客户"]
    assert await ConversationState.all().count() == 0  # the choice is answered


async def test_a_number_past_the_choices_asks_again(chat: Chat) -> None:
    await chat.say("lisi", "张总那边弄个标签吧")
    [again] = await chat.say("lisi", "9")
    assert again.startswith("没有第 9 项，请回复 1–")


async def test_recognised_phone_and_time_are_said_back(chat: Chat) -> None:
    [reply] = await chat.say("lisi", "13800138000 明天下午3点 嗯嗯")
    assert "我听出了：电话 13800138000、时间 " in reply
    assert " 15:00" in reply
